// The local Trainer: SFT, RFT and DPO in this process on our engine. Resumable state and the partial
// train log live in `<stageDir>/train-state/` until training ends; only then are the checkpoint and the
// log put in place, so a stop (a kill, NaN/inf, bad data) never leaves a checkpoint or a half log behind.
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Engine } from '../engine/index.ts';
import { TrainingError } from '../errors.ts';
import { newModel, openModel, saveModel, withModel, type PolicyModel } from '../model/policy-model.ts';
import { Tokenizer } from '../model/tokenizer.ts';
import { runDpo } from './dpo.ts';
import { countPairCuts, encodePair } from './encode.ts';
import { computeReferenceLogProbs } from './reference-logprobs.ts';
import { runSft } from './sft.ts';
import type { DpoJob, ModelSource, SftJob, Trainer, TrainResult } from './trainer-backend.ts';
import { clearTrainState, stateDirFor } from './trainer.ts';

/** Pairs scored per forward pass when computing the reference log-probs (memory vs speed; results equal). */
export const REFERENCE_BATCH_PAIRS = 8;

export function createLocalTrainer(engine: Engine): Trainer {
  return {
    name: 'local',
    sft: (job) =>
      withModel(
        engine,
        () => openSource(engine, job.from),
        (policy) => trainSft(job, policy),
      ),
    dpo: (job) =>
      withModel(
        engine,
        () => openModel(engine, job.from.dir),
        (policy) => trainDpo(job, policy),
      ),
  };
}

function trainSft(job: SftJob, policy: PolicyModel): TrainResult {
  if (job.trajectories.length === 0)
    throw new TrainingError(`${job.stage} step 0: ${where(job)}no trajectories to train on`);
  const stateDir = stateDirFor(job.stageDir);
  const result = runSft({
    ...loopOptions(job, policy, stateDir),
    stage: job.stage,
    trajectories: job.trajectories,
    ...(job.dataSource === undefined ? {} : { dataSource: job.dataSource }),
  });
  finish(job, policy, stateDir);
  return result;
}

function trainDpo(job: DpoJob, policy: PolicyModel): TrainResult {
  if (job.pairs.length === 0)
    throw new TrainingError(`dpo (iteration ${job.iteration}) step 0: ${where(job)}no pairs to train on`);
  const context = policy.model.config.maxPositionEmbeddings;
  const encoded = job.pairs.map((pair) => encodePair(policy.tokenizer, pair, context));
  // the reference is the policy at the start of the iteration: scored before any update
  const reference = computeReferenceLogProbs(policy.model, encoded, job.refLogProbsFile, {
    batchPairs: REFERENCE_BATCH_PAIRS,
    ...(job.onReferenceProgress ? { onProgress: job.onReferenceProgress } : {}),
  });
  const stateDir = stateDirFor(job.stageDir);
  const result = runDpo({ ...loopOptions(job, policy, stateDir), pairs: encoded, reference, settings: job.settings });
  finish(job, policy, stateDir);
  return { ...result, cutPairs: countPairCuts(encoded) };
}

/** What the SFT and DPO loops share: the model, hyper-parameters, seed, resumable state and callbacks. */
function loopOptions(job: SftJob | DpoJob, policy: PolicyModel, stateDir: string) {
  const { iteration, hyper, seed, onStart, onProgress } = job;
  return { iteration, ...policy, hyper, seed, stateDir, logFile: partialLog(stateDir), onStart, onProgress };
}

function openSource(engine: Engine, from: ModelSource): PolicyModel {
  if (from.kind === 'checkpoint') return openModel(engine, from.dir);
  const tokenizer = Tokenizer.fromJSON(JSON.parse(readFileSync(from.tokenizerFile, 'utf8')));
  return newModel(engine, from.shape, tokenizer, from.seed);
}

function partialLog(stateDir: string): string {
  return join(stateDir, 'train-log.jsonl');
}

/** Checkpoint first, then the log beside it, then the resumable state goes. */
function finish(job: SftJob | DpoJob, policy: PolicyModel, stateDir: string): void {
  saveModel(job.outModel, policy);
  mkdirSync(dirname(job.logFile), { recursive: true });
  if (existsSync(partialLog(stateDir))) renameSync(partialLog(stateDir), job.logFile);
  clearTrainState(stateDir);
}

function where(job: SftJob | DpoJob): string {
  return job.dataSource === undefined ? '' : `${job.dataSource}: `;
}
