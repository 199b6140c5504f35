// Token-budget batching with a seeded shuffle: each epoch shuffles the items, then packs them in order
// into batches whose padded size (items × longest item) stays within the budget (one item at least).
import { Rng } from '../rng.ts';

/** Batches (lists of item indices) for every epoch, in training order. Deterministic for a seed. */
export interface PlannedBatch {
  items: number[];
  /** 0-based epoch this batch belongs to. */
  epoch: number;
}

export function planBatches(lengths: readonly number[], budgetTokens: number, epochs: number, seed: number): PlannedBatch[] {
  const rng = new Rng(seed);
  const order = lengths.map((_, index) => index);
  const batches: PlannedBatch[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    let current: number[] = [];
    let longest = 0;
    for (const index of rng.shuffle(order)) {
      const length = lengths[index] ?? 0;
      const nextLongest = Math.max(longest, length);
      if (current.length > 0 && nextLongest * (current.length + 1) > budgetTokens) {
        batches.push({ items: current, epoch });
        current = [];
        longest = 0;
      }
      current.push(index);
      longest = Math.max(longest, length);
    }
    if (current.length > 0) batches.push({ items: current, epoch });
  }
  return batches;
}
