// SFT (and RFT, which is SFT on expert + successful explored trajectories): masked NLL on assistant
// tokens through sequenceLogProbs, trained with the shared loop.
import type { Trajectory } from '../data/schemas.ts';
import { TrainingError } from '../errors.ts';
import type { LlamaModel } from '../model/llama.ts';
import { sequenceLogProbs } from '../model/sequence-logprobs.ts';
import { encodeMessages, toScoredBatch, type EncodedSequence } from './encode.ts';
import { sftLoss } from './sft-loss.ts';
import { train, type TrainOutcome, type TrainRun } from './trainer.ts';

export interface SftOptions extends TrainRun {
  stage: 'sft' | 'rft';
  trajectories: readonly Trajectory[];
  /** The data's file, named in errors. */
  dataSource?: string;
}

export function runSft(options: SftOptions): TrainOutcome {
  const { trajectories, dataSource, ...run } = options;
  const context = run.model.config.maxPositionEmbeddings;
  const items: EncodedSequence[] = trajectories.map((t) => encodeMessages(run.chat, t.messages, context));
  // a set with nothing to score would train on a NaN mean (0/0): refuse it before any step
  if (!items.some((item) => item.mask.includes(1))) {
    const source = dataSource === undefined ? '' : `${dataSource}: `;
    throw new TrainingError(`${run.stage} step 0: ${source}no assistant tokens to learn from in ${items.length} trajectories`);
  }
  return train({
    ...run,
    lengths: items.map((item) => item.ids.length),
    step: (indices) => sftStep(run.model, indices.map((i) => items[i] as EncodedSequence)),
  });
}

/** Loss and gradient of one SFT batch: mean NLL per assistant token. */
export function sftStep(model: LlamaModel, batch: readonly EncodedSequence[]): { loss: number; tokens: number } {
  const scores = sequenceLogProbs(model, toScoredBatch(batch), { grad: true });
  const out = sftLoss(scores.logProbs, scores.tokenCounts);
  scores.backward(out.grads);
  return { loss: out.loss, tokens: out.tokens };
}
