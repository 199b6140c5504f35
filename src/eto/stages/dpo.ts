// DPO stage (one ETO iteration's update): the trainer scores the pairs under the frozen start policy once
// (ref-logprobs.jsonl), then trains the policy on them. No pairs: the policy is kept as it is.
import type { Pair } from '../../data/schemas.ts';
import { checkpointExists } from '../../model/checkpoint.ts';
import { openModel, saveModel, withModel } from '../../model/policy-model.ts';
import type { TrainResult } from '../../train/trainer-backend.ts';
import type { LoraOptions } from '../../model/lora-adapter.ts';
import { withLora, type RunConfig } from '../config.ts';
import type { PipelineDeps } from '../deps.ts';
import { withTrainBar } from '../progress.ts';
import { dpoSeed } from '../seeds.ts';
import { undoOnRefusal } from './refusal.ts';

export interface DpoStageOptions {
  pairs: readonly Pair[];
  /** Where the pairs came from, named in errors. */
  dataSource?: string;
  /** The policy at the start of the iteration: DPO starts from it and it is the reference. */
  policyDir: string;
  iteration: number;
  dpo: RunConfig['dpo'];
  /** Train a LoRA adapter over the iteration's start policy instead of every weight. */
  lora?: LoraOptions | undefined;
  /** The run seed (the batch order uses dpoSeed(seed, iteration)). */
  seed: number;
  stageDir: string;
  outModel: string;
  logFile: string;
  refLogProbsFile: string;
  /** With no pairs: copy the policy (the pipeline) instead of refusing (a standalone `eto dpo`). */
  keepPolicyWithoutPairs: boolean;
}

export async function dpoStage(options: DpoStageOptions, deps: PipelineDeps): Promise<TrainResult | null> {
  const k = options.iteration;
  if (checkpointExists(options.outModel)) return null;
  if (options.pairs.length === 0 && options.keepPolicyWithoutPairs) {
    deps.log(`iter ${k}: no pairs, the policy is kept as it is`);
    await withModel(
      deps.engine,
      () => openModel(deps.engine, options.policyDir, { grads: false }),
      (policy) => saveModel(options.outModel, policy),
    );
    return null;
  }
  const { beta, loss, nllWeight } = options.dpo;
  // the trainer scores the reference first, then starts its steps: the first bar closes when the second opens
  const reference = deps.startProgress(`reference log-probs iter ${k}`, options.pairs.length, 'pairs');
  let referenceOpen = true;
  const closeReference = (): void => {
    if (referenceOpen) reference.stop();
    referenceOpen = false;
  };
  try {
    // a refusal (no pairs, NaN) removes the folder and the reference scores this call created
    const result = await undoOnRefusal([options.stageDir, options.refLogProbsFile], () =>
      withTrainBar(deps, `DPO iter ${k}`, (callbacks) =>
        deps.trainer.dpo({
          iteration: k,
          pairs: options.pairs,
          from: { kind: 'checkpoint', dir: options.policyDir },
          hyper: options.dpo,
          settings: { beta, loss, nllWeight },
          ...withLora(options.lora),
          seed: dpoSeed(options.seed, k),
          outModel: options.outModel,
          stageDir: options.stageDir,
          logFile: options.logFile,
          refLogProbsFile: options.refLogProbsFile,
          ...(options.dataSource === undefined ? {} : { dataSource: options.dataSource }),
          onReferenceProgress: (done) => reference.update(done),
          ...callbacks,
          onStart: (totalSteps, resumedAfter) => {
            closeReference();
            callbacks.onStart(totalSteps, resumedAfter);
          },
        }),
      ),
    );
    const cuts = result.cutPairs;
    if (cuts && cuts.prompt + cuts.tail > 0) {
      deps.log(
        `DPO iter ${k}: ${cuts.prompt + cuts.tail} of ${options.pairs.length} pairs exceeded the context; ` +
          `${cuts.prompt} fitted by dropping shared prompt tokens, ${cuts.tail} also lost scored tokens at the end`,
      );
    }
    return result;
  } finally {
    closeReference();
  }
}
