// DPO on trajectory pairs (ETO): policy log-probs of chosen and rejected in one batch, the frozen
// reference's log-probs read from ref-logprobs.jsonl, sigmoid or IPO loss, optional NLL on chosen.
import type { LlamaModel } from '../model/llama.ts';
import type { Tokenizer } from '../model/tokenizer.ts';
import { dpoStep, type DpoSettings, type PairReference } from './dpo-step.ts';
import type { EncodedPair } from './encode.ts';
import { train, type TrainHyper, type TrainProgress } from './trainer.ts';

export type { DpoSettings };

export interface DpoOptions {
  iteration: number;
  model: LlamaModel;
  tokenizer: Tokenizer;
  pairs: readonly EncodedPair[];
  reference: ReadonlyMap<string, PairReference>;
  settings: DpoSettings;
  hyper: TrainHyper;
  seed: number;
  stateDir: string;
  logFile: string;
  onProgress?: ((progress: TrainProgress) => void) | undefined;
  onStart?: ((totalSteps: number, resumedAfter: number) => void) | undefined;
}

export function runDpo(options: DpoOptions): { steps: number; lastLoss: number } {
  return train({
    stage: 'dpo',
    iteration: options.iteration,
    model: options.model,
    tokenizer: options.tokenizer,
    hyper: options.hyper,
    seed: options.seed,
    // chosen and rejected share a batch: a pair costs both padded to the longer one
    lengths: options.pairs.map((pair) => 2 * Math.max(pair.chosen.ids.length, pair.rejected.ids.length)),
    stateDir: options.stateDir,
    logFile: options.logFile,
    onProgress: options.onProgress,
    onStart: options.onStart,
    step: (indices) => dpoStep(options.model, indices.map((i) => options.pairs[i] as EncodedPair), options.reference, options.settings),
  });
}
