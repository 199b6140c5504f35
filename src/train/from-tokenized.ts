// Training from a job folder (job-folder.ts) in this process: what `eto sft|dpo --from-tokenized DIR --out OUT`
// runs, so eto itself can stand behind `--trainer command`. The rows carry eto's ids and masks and the DPO
// reference log-probs, so the steps equal the in-process trainer's on the same job. Output as the seam's
// contract says: OUT/model, OUT/train-log.jsonl (and OUT/adapter with LoRA); resumable state in OUT/train-state
// until the model is written.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../engine/index.ts';
import { TrainingError } from '../errors.ts';
import { savePeftAdapter, type LoraOptions } from '../model/lora-adapter.ts';
import { openModel, saveModel, withModel, type PolicyModel } from '../model/policy-model.ts';
import { runDpo } from './dpo.ts';
import type { DpoSettings } from './dpo-step.ts';
import { readDpoItems, readSftItems } from './job-folder.ts';
import { sftStep } from './sft.ts';
import type { TrainCallbacks, TrainResult } from './trainer-backend.ts';
import { clearTrainState, stateDirFor, train, type TrainHyper, type TrainOutcome, type TrainRun } from './trainer.ts';

export interface FromTokenizedJob extends TrainCallbacks {
  kind: 'sft' | 'dpo';
  stage: 'sft' | 'rft' | 'dpo';
  dataDir: string;
  outDir: string;
  /** The checkpoint to start from (DPO: also the reference the rows' ref_*_logps came from). */
  modelDir: string;
  iteration: number;
  seed: number;
  hyper: TrainHyper;
  /** DPO only. */
  dpo?: DpoSettings;
  /** Train a LoRA adapter over the frozen weights (OUT/adapter); absent = every weight. */
  lora?: LoraOptions;
}

export const OUT_MODEL_DIR = 'model';
export const OUT_TRAIN_LOG = 'train-log.jsonl';
export const OUT_ADAPTER_DIR = 'adapter';

export function trainFromTokenized(engine: Engine, job: FromTokenizedJob): Promise<TrainResult> {
  return withModel(
    engine,
    () => openModel(engine, job.modelDir, { grads: !job.lora }),
    (policy) => {
      const stateDir = stateDirFor(job.outDir);
      const run: TrainRun = {
        iteration: job.iteration,
        ...policy,
        hyper: job.hyper,
        lora: job.lora,
        seed: job.seed,
        stateDir,
        logFile: join(stateDir, OUT_TRAIN_LOG),
        onStart: job.onStart,
        onProgress: job.onProgress,
      };
      const result = job.kind === 'dpo' ? trainDpo(job, run) : trainSft(job, run);
      if (result.adapter) savePeftAdapter(join(job.outDir, OUT_ADAPTER_DIR), result.adapter, job.modelDir);
      finish(job.outDir, policy, stateDir);
      return { steps: result.steps, lastLoss: result.lastLoss };
    },
  );
}

function trainDpo(job: FromTokenizedJob, run: TrainRun): TrainOutcome {
  const { pairs, reference } = readDpoItems(job.dataDir);
  if (pairs.length === 0) throw new TrainingError(`dpo (iteration ${job.iteration}) step 0: ${job.dataDir}: no pairs`);
  if (job.dpo === undefined) throw new TrainingError(`dpo (iteration ${job.iteration}): no DPO settings given`);
  return runDpo({ ...run, pairs, reference, settings: job.dpo });
}

function trainSft(job: FromTokenizedJob, run: TrainRun): TrainOutcome {
  const items = readSftItems(job.dataDir);
  // nothing to score would train on a NaN mean (0/0): refused before any step, as the in-process SFT does
  if (!items.some((item) => item.mask.includes(1)))
    throw new TrainingError(`${job.stage} step 0: ${job.dataDir}: no assistant tokens to learn from`);
  const stage = job.stage === 'dpo' ? 'sft' : job.stage;
  return train({
    ...run,
    stage,
    lengths: items.map((item) => item.ids.length),
    step: (indices) => sftStep(run.model, indices.map((i) => items[i]!)),
  });
}

/** Checkpoint first, then the log beside it, then the resumable state goes. */
function finish(outDir: string, policy: PolicyModel, stateDir: string): void {
  saveModel(join(outDir, OUT_MODEL_DIR), policy);
  mkdirSync(outDir, { recursive: true });
  const partial = join(stateDir, OUT_TRAIN_LOG);
  if (existsSync(partial)) renameSync(partial, join(outDir, OUT_TRAIN_LOG));
  clearTrainState(stateDir);
}
