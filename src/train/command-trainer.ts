// The command Trainer (`--trainer command --trainer-command TEMPLATE`): any program behind the trainer seam.
// Per job eto writes the job folder {data} (job-export.ts), fills the template and runs it under /bin/sh, then
// takes {out}/model (and {out}/adapter) and {out}/train-log.jsonl into the run. The contract is in
// trainer-backend.ts; eto's own CLI meets it (`eto sft|dpo --from-tokenized {data} --out {out}`).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { readJsonl, writeJsonlAtomic } from '../data/jsonl.ts';
import { TrainLogEntrySchema } from '../data/schemas.ts';
import type { Engine } from '../engine/index.ts';
import { AppError } from '../errors.ts';
import { checkpointExists } from '../model/checkpoint.ts';
import { fillTemplate } from './command-template.ts';
import { DryRunStop } from './dry-run.ts';
import { OUT_ADAPTER_DIR, OUT_MODEL_DIR, OUT_TRAIN_LOG } from './from-tokenized.ts';
import { exportDpoJob, exportSftJob, type ExportedJob } from './job-export.ts';
import type { DpoJob, SftJob, TrainCallbacks, Trainer, TrainResult } from './trainer-backend.ts';

export interface CommandTrainerOptions {
  /** The --trainer-command template (checked by checkTemplate). */
  template: string;
  log(line: string): void;
  /** --dry-run: write the job folder, print the filled command, stop (DryRunStop). */
  dryRun?: boolean;
}

const EVENT_PREFIX = 'eto-train ';
const STDERR_TAIL_LINES = 20;

export function createCommandTrainer(engine: Engine, options: CommandTrainerOptions): Trainer {
  return {
    name: 'command',
    sft: async (job) => {
      const work = workDir(job.stageDir);
      const exported = await exportSftJob(engine, job, join(work, 'data'), join(work, 'initial-model'));
      return runJob(options, job, 'sft', job.stage, exported);
    },
    dpo: async (job) => {
      const exported = await exportDpoJob(engine, job, join(workDir(job.stageDir), 'data'));
      return runJob(options, job, 'dpo', 'dpo', exported);
    },
  };
}

async function runJob(
  options: CommandTrainerOptions,
  job: SftJob | DpoJob,
  kind: 'sft' | 'dpo',
  stage: string,
  exported: ExportedJob,
): Promise<TrainResult> {
  const data = join(workDir(job.stageDir), 'data');
  const out = join(workDir(job.stageDir), 'out');
  const named = stage === 'dpo' ? `dpo (iteration ${job.iteration})` : stage;
  const line = fillTemplate(options.template, {
    data,
    out,
    model: exported.modelDir,
    kind,
    stage,
    iteration: String(job.iteration),
    seed: String(job.seed),
  });
  options.log(`${named}: ${line}`);
  if (options.dryRun) throw new DryRunStop(named, data);
  // a command that finished just before a kill is not run again
  if (!finished(out)) {
    mkdirSync(out, { recursive: true });
    const exit = await runShell(line, job, options.log);
    if (exit.code !== 0 || !finished(out)) {
      const status =
        exit.code === 0
          ? `exited 0 without ${out}/${OUT_MODEL_DIR} and ${OUT_TRAIN_LOG}`
          : `exited with ${exit.code ?? exit.signal}`;
      throw new TrainerCommandError(
        `${named}: the trainer command ${status}; its state in ${out} is kept, rerun with --resume. ` +
          `Last output:\n${exit.stderrTail.join('\n')}`,
      );
    }
  }
  return takeResults(job, named, out);
}

/** The command failed: not a refusal (TrainingError would remove the stage's folder), its state stays. */
export class TrainerCommandError extends AppError {
  override name = 'TrainerCommandError';
}

function finished(out: string): boolean {
  return checkpointExists(join(out, OUT_MODEL_DIR)) && existsSync(join(out, OUT_TRAIN_LOG));
}

/** Checkpoint (and adapter) into place, then the log; the work folder goes last. */
function takeResults(job: SftJob | DpoJob, named: string, out: string): TrainResult {
  const entries = readJsonl(join(out, OUT_TRAIN_LOG), TrainLogEntrySchema);
  const last = entries.at(-1);
  if (!last) throw new TrainerCommandError(`${named}: ${out}/${OUT_TRAIN_LOG} has no steps`);
  rmSync(job.outModel, { recursive: true, force: true });
  mkdirSync(dirname(job.outModel), { recursive: true });
  renameSync(join(out, OUT_MODEL_DIR), job.outModel);
  // the adapter a LoRA trainer writes goes beside the stage's model
  const adapter = join(out, OUT_ADAPTER_DIR);
  if (existsSync(adapter)) renameSync(adapter, join(dirname(job.outModel), OUT_ADAPTER_DIR));
  mkdirSync(dirname(job.logFile), { recursive: true });
  writeJsonlAtomic(job.logFile, entries);
  rmSync(workDir(job.stageDir), { recursive: true, force: true });
  return { steps: last.step, lastLoss: last.loss };
}

interface ShellExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string[];
}

/** Runs the line under /bin/sh: "eto-train {json}" stdout lines are progress events, other lines go to the log. */
function runShell(line: string, callbacks: TrainCallbacks, log: (line: string) => void): Promise<ShellExit> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', line], { stdio: ['ignore', 'pipe', 'pipe'] });
    const stderrTail: string[] = [];
    createInterface({ input: child.stdout }).on('line', (text) => {
      if (!text.startsWith(EVENT_PREFIX)) return log(text);
      const event = JSON.parse(text.slice(EVENT_PREFIX.length)) as Record<string, number | string>;
      if (event.event === 'start') callbacks.onStart?.(Number(event.totalSteps), Number(event.resumedAfter));
      if (event.event === 'step') {
        const [step, totalSteps, loss, tokens] = [event.step, event.totalSteps, event.loss, event.tokens].map(Number);
        callbacks.onProgress?.({ step: step!, totalSteps: totalSteps!, loss: loss!, tokens: tokens! });
      }
    });
    createInterface({ input: child.stderr }).on('line', (text) => {
      stderrTail.push(text);
      if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
    });
    child.on('error', (error) =>
      reject(new TrainerCommandError(`cannot start /bin/sh for the trainer command: ${error.message}`)),
    );
    child.on('close', (code, signal) => resolve({ code, signal, stderrTail }));
  });
}

function workDir(stageDir: string): string {
  return join(stageDir, 'command');
}
