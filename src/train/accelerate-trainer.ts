// The accelerate Trainer: exports the job's data with eto's encoders (tokenized-export.ts), runs python/sft.py or
// dpo.py under `accelerate launch --config_file <config>`, then puts the checkpoint (written by the script in eto's
// HF layout) and the train log in place. The log's header line (world_size, backend, versions) goes to
// train-run.json beside it, so train-log.jsonl stays one TrainLogEntry per line. Resumable: the script's
// step state lives in <stageDir>/train-state until the checkpoint is written.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeJsonAtomic, writeJsonlAtomic } from '../data/jsonl.ts';
import { TrainLogEntrySchema } from '../data/schemas.ts';
import type { Engine } from '../engine/index.ts';
import type { LoraOptions } from '../model/lora-adapter.ts';
import { runLaunch } from './accelerate-launch.ts';
import { DryRunStop } from './dry-run.ts';
import { exportDpoJob, exportSftJob } from './job-export.ts';
import { shellLine } from './shell-words.ts';
import type { DpoJob, SftJob, Trainer, TrainResult } from './trainer-backend.ts';
import type { TrainHyper } from './trainer.ts';
import { clearTrainState, stateDirFor } from './trainer.ts';

export interface AccelerateOptions {
  /** The Python interpreter of the environment; `accelerate` is taken from the same bin folder. */
  python: string;
  /** An accelerate config file (configs/accelerate/*.yaml). */
  config: string;
  /** The folder holding sft.py and dpo.py (the project's python/). */
  scriptsDir: string;
  log(line: string): void;
  /** --dry-run: write the dataset, print the launch command for each of these configs, stop (DryRunStop). */
  dryRunConfigs?: readonly string[];
}

export function createAccelerateTrainer(engine: Engine, options: AccelerateOptions): Trainer {
  return {
    name: `accelerate:${basename(options.config)}`,
    sft: (job) => trainSft(engine, options, job),
    dpo: (job) => trainDpo(engine, options, job),
  };
}

async function trainSft(engine: Engine, options: AccelerateOptions, job: SftJob): Promise<TrainResult> {
  const work = workDir(job.stageDir);
  const { modelDir, rowLengths } = await exportSftJob(engine, job, join(work, 'data'), join(work, 'initial-model'));
  const batchRows = rowsPerStep(job.hyper.batchTokens, rowLengths);
  return launchAndFinish(options, job, 'sft.py', modelDir, batchRows, ['--stage', job.stage]);
}

async function trainDpo(engine: Engine, options: AccelerateOptions, job: DpoJob): Promise<TrainResult> {
  // the reference is the policy at the start of the iteration, scored by the export before the script updates anything
  const { modelDir, rowLengths } = await exportDpoJob(engine, job, join(workDir(job.stageDir), 'data'));
  const { beta, loss, nllWeight } = job.settings;
  const settings = ['--beta', String(beta), '--loss', loss, '--nll-weight', String(nllWeight)];
  return launchAndFinish(options, job, 'dpo.py', modelDir, rowsPerStep(job.hyper.batchTokens, rowLengths), settings);
}

async function launchAndFinish(
  options: AccelerateOptions,
  job: SftJob | DpoJob,
  script: string,
  modelDir: string,
  batchRows: number,
  extra: string[],
): Promise<TrainResult> {
  const stateDir = stateDirFor(job.stageDir);
  const partialLog = join(stateDir, 'train-log.jsonl');
  const scriptArgs = [
    '--data',
    join(workDir(job.stageDir), 'data'),
    '--model',
    modelDir,
    '--out',
    job.outModel,
    '--log',
    partialLog,
    '--state-dir',
    stateDir,
    '--iteration',
    String(job.iteration),
    '--seed',
    String(job.seed),
    ...hyperArgs(job.hyper, batchRows),
    ...loraArgs(job.lora),
    ...extra,
  ];
  const argsFor = (config: string): string[] => launchArgs(config, join(options.scriptsDir, script), scriptArgs);
  const accelerate = join(dirname(options.python), 'accelerate');
  const stage = 'stage' in job ? job.stage : 'dpo';
  if (options.dryRunConfigs !== undefined) {
    for (const config of options.dryRunConfigs) options.log(shellLine([accelerate, ...argsFor(config)]));
    const named = stage === 'dpo' ? `dpo (iteration ${job.iteration})` : stage;
    throw new DryRunStop(named, join(workDir(job.stageDir), 'data'));
  }
  mkdirSync(stateDir, { recursive: true });
  const args = argsFor(options.config);
  const result = await runLaunch({ command: accelerate, args }, { stage, iteration: job.iteration }, job, options.log);
  const [header, ...entries] = readFileSync(partialLog, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
  mkdirSync(dirname(job.logFile), { recursive: true });
  writeJsonAtomic(join(dirname(job.logFile), 'train-run.json'), (header as { header: unknown }).header);
  writeJsonlAtomic(
    job.logFile,
    entries.map((entry) => TrainLogEntrySchema.parse(entry)),
  );
  clearTrainState(stateDir);
  rmSync(join(workDir(job.stageDir), 'data'), { recursive: true, force: true });
  return result;
}

/** `launch --config_file <config> <script> [--cpu] <script args>`: the CPU configs need the script's --cpu. */
export function launchArgs(config: string, script: string, scriptArgs: readonly string[]): string[] {
  const cpu = basename(config).startsWith('cpu') ? ['--cpu'] : [];
  return ['launch', '--config_file', config, script, ...cpu, ...scriptArgs];
}

/**
 * eto batches by a token budget; the script takes a fixed number of rows per step (its global batch, split over
 * the processes): the budget over the mean row length (a pair counts chosen + rejected), at least 1.
 */
function rowsPerStep(batchTokens: number, lengths: readonly number[]): number {
  const mean = lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length);
  return Math.max(1, Math.round(batchTokens / Math.max(1, mean)));
}

function hyperArgs(hyper: TrainHyper, batchRows: number): string[] {
  return [
    '--lr',
    String(hyper.lr),
    '--epochs',
    String(hyper.epochs),
    '--batch-rows',
    String(batchRows),
    '--schedule',
    hyper.schedule,
    '--warmup-ratio',
    String(hyper.warmupRatio),
    '--min-lr-ratio',
    String(hyper.minLrRatio),
    '--weight-decay',
    String(hyper.weightDecay),
    '--clip',
    String(hyper.clip),
    '--checkpoint-every',
    String(hyper.checkpointEvery),
  ];
}

/** peft's LoraConfig from the job's LoRA settings (the script saves the adapter beside the merged model). */
function loraArgs(lora: LoraOptions | undefined): string[] {
  if (!lora) return [];
  return ['--lora-r', String(lora.rank), '--lora-alpha', String(lora.alpha), '--lora-dropout', String(lora.dropout),
    '--lora-targets', lora.targets.join(',')];
}

function workDir(stageDir: string): string {
  return join(stageDir, 'accelerate');
}
