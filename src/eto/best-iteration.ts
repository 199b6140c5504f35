// Model selection on dev, as the paper does it: the ETO iteration with the highest dev reward is the one the
// tables report, and the policy a user should keep is the best of SFT and every iteration (ETO can end below
// its start; then SFT is kept). Ties keep the earlier stage, so SFT wins a tie with any iteration.
import type { StageResult } from '../data/schemas.ts';

export interface BestOnDev {
  /** The ETO iteration with the highest dev average reward ('sft' when there are no iterations). */
  eto: string;
  /** The best of 'sft' and every ETO iteration on dev. */
  overall: string;
}

export function bestOnDev(results: readonly StageResult[], devSplit: string, iterations: number): BestOnDev {
  const dev = (stage: string): number =>
    results.find((r) => r.stage === stage && r.split === devSplit)?.avgReward ?? -Infinity;
  let eto = iterations > 0 ? 'eto-1' : 'sft';
  for (let k = 2; k <= iterations; k++) if (dev(`eto-${k}`) > dev(eto)) eto = `eto-${k}`;
  const overall = dev(eto) > dev('sft') ? eto : 'sft';
  return { eto, overall };
}
