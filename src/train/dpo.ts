// DPO on trajectory pairs (ETO): policy log-probs of chosen and rejected in one batch, the frozen
// reference's log-probs read from ref-logprobs.jsonl, sigmoid or IPO loss, optional NLL on chosen.
import { dpoStep, type DpoSettings, type PairReference } from './dpo-step.ts';
import type { EncodedPair } from './encode.ts';
import { train, type TrainOutcome, type TrainRun } from './trainer.ts';

export type { DpoSettings };

export interface DpoOptions extends TrainRun {
  pairs: readonly EncodedPair[];
  reference: ReadonlyMap<string, PairReference>;
  settings: DpoSettings;
}

export function runDpo(options: DpoOptions): TrainOutcome {
  const { pairs, reference, settings, ...run } = options;
  return train({
    ...run,
    stage: 'dpo',
    // chosen and rejected share a batch: a pair costs both padded to the longer one
    lengths: pairs.map((pair) => 2 * Math.max(pair.chosen.ids.length, pair.rejected.ids.length)),
    step: (indices) => dpoStep(run.model, indices.map((i) => pairs[i] as EncodedPair), reference, settings),
  });
}
