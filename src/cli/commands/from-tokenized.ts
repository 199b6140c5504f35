// `eto sft --from-tokenized DIR --out OUT` and `eto dpo --from-tokenized DIR --out OUT`: train on a job folder
// (an `eto export *-tokenized` folder, or the {data} folder `--trainer command` hands out), so eto's own CLI can
// stand behind the trainer seam. The folder's job.json, when present, gives the settings (stage, iteration, seed,
// hyper-parameters, DPO settings) and wins over the preset and flags; the start model is --model, else the
// job's, else dataset_info.json's.
import { join } from 'node:path';
import { ConfigError } from '../../errors.ts';
import { loraOptions, withLora, type RunConfig } from '../../eto/config.ts';
import type { PipelineDeps } from '../../eto/deps.ts';
import { withTrainBar } from '../../eto/progress.ts';
import { dpoSeed } from '../../eto/seeds.ts';
import { OUT_MODEL_DIR, trainFromTokenized, type FromTokenizedJob } from '../../train/from-tokenized.ts';
import { readDatasetInfo, readJobFile } from '../../train/job-folder.ts';
import type { TrainCallbacks, TrainResult } from '../../train/trainer-backend.ts';
import { checkFreshOutput, checkModelDir } from './stage-helpers.ts';

export interface FromTokenizedFlags {
  dir: string;
  out: string;
  model?: string;
  /** --iteration of `eto dpo` (used when the folder has no job.json). */
  iteration: number;
}

/** Trains `kind` from the folder; refuses a folder of the other kind before writing anything. */
export async function trainFromTokenizedFlags(
  kind: 'sft' | 'dpo',
  flags: FromTokenizedFlags,
  config: RunConfig,
  deps: PipelineDeps,
): Promise<TrainResult> {
  const info = readDatasetInfo(flags.dir);
  if (info.kind !== kind)
    throw new ConfigError('--from-tokenized', `${flags.dir} holds a ${info.kind} dataset; use eto ${info.kind} for it`);
  const job = readJobFile(flags.dir);
  const modelDir = flags.model ?? job?.model ?? info.model;
  checkModelDir(modelDir, '--model');
  checkFreshOutput(join(flags.out, OUT_MODEL_DIR), '--out');
  const iteration = job?.iteration ?? (kind === 'dpo' ? flags.iteration : 0);
  const { beta, loss, nllWeight } = config.dpo;
  const settings: Omit<FromTokenizedJob, keyof TrainCallbacks> = {
    kind,
    stage: job?.stage ?? kind,
    dataDir: flags.dir,
    outDir: flags.out,
    modelDir,
    iteration,
    seed: job?.seed ?? (kind === 'dpo' ? dpoSeed(config.seed, iteration) : config.seed),
    hyper: job?.hyper ?? (kind === 'dpo' ? config.dpo : config.sft),
    ...(kind === 'dpo' ? { dpo: job?.dpo ?? { beta, loss, nllWeight } } : {}),
    ...withLora(job ? job.lora : loraOptions(config)),
  };
  const label = kind === 'dpo' ? `DPO iter ${iteration}` : settings.stage.toUpperCase();
  return withTrainBar(deps, label, (callbacks) => trainFromTokenized(deps.engine, { ...settings, ...callbacks }));
}
