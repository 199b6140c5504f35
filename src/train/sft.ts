// SFT (and RFT, which is SFT on expert + successful explored trajectories): masked NLL on assistant
// tokens through sequenceLogProbs, trained with the shared loop.
import type { Trajectory } from '../data/schemas.ts';
import type { LlamaModel } from '../model/llama.ts';
import { sequenceLogProbs } from '../model/sequence-logprobs.ts';
import type { Tokenizer } from '../model/tokenizer.ts';
import { encodeMessages, type EncodedSequence } from './encode.ts';
import { sftLoss } from './sft-loss.ts';
import { train, type TrainHyper, type TrainProgress } from './trainer.ts';

export interface SftOptions {
  stage: 'sft' | 'rft';
  iteration: number;
  model: LlamaModel;
  tokenizer: Tokenizer;
  trajectories: readonly Trajectory[];
  hyper: TrainHyper;
  seed: number;
  stateDir: string;
  logFile: string;
  onProgress?: ((progress: TrainProgress) => void) | undefined;
  onStart?: ((totalSteps: number, resumedAfter: number) => void) | undefined;
}

export function runSft(options: SftOptions): { steps: number; lastLoss: number } {
  const context = options.model.config.maxPositionEmbeddings;
  const items: EncodedSequence[] = options.trajectories.map((t) => encodeMessages(options.tokenizer, t.messages, context));
  return train({
    stage: options.stage,
    iteration: options.iteration,
    model: options.model,
    tokenizer: options.tokenizer,
    hyper: options.hyper,
    seed: options.seed,
    lengths: items.map((item) => item.ids.length),
    stateDir: options.stateDir,
    logFile: options.logFile,
    onProgress: options.onProgress,
    onStart: options.onStart,
    step: (indices) => sftStep(options.model, indices.map((i) => items[i] as EncodedSequence)),
  });
}

/** Loss and gradient of one SFT batch: mean NLL per assistant token. */
export function sftStep(model: LlamaModel, batch: readonly EncodedSequence[]): { loss: number; tokens: number } {
  const scores = sequenceLogProbs(model, { ids: batch.map((s) => s.ids), mask: batch.map((s) => s.mask) }, { grad: true });
  const out = sftLoss(scores.logProbs, scores.tokenCounts);
  scores.backward(out.grads);
  return { loss: out.loss, tokens: out.tokens };
}
