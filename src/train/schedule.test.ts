import { describe, expect, it } from 'vitest';
import { planBatches } from './batching.ts';
import { learningRate } from './schedule.ts';

describe('learning-rate schedules', () => {
  it('warms up linearly, then decays by cosine to the floor or stays constant', () => {
    const cosine = { kind: 'cosine' as const, peak: 1, totalSteps: 110, warmupRatio: 1 / 11, minRatio: 0.1 };
    expect(learningRate(5, cosine)).toBeCloseTo(0.5, 12);
    expect(learningRate(10, cosine)).toBeCloseTo(1, 12);
    expect(learningRate(60, cosine)).toBeCloseTo(0.1 + 0.9 * 0.5, 12); // halfway through the decay
    expect(learningRate(110, cosine)).toBeCloseTo(0.1, 12);
    const constant = { ...cosine, kind: 'constant' as const };
    expect(learningRate(3, constant)).toBeCloseTo(0.3, 12);
    expect(learningRate(100, constant)).toBe(1);
  });
});

describe('token-budget batching', () => {
  it('covers every item once per epoch, respects the padded budget and is seeded', () => {
    const lengths = [10, 50, 20, 30, 40, 5, 60, 25];
    const plan = planBatches(lengths, 100, 2, 7);
    for (const epoch of [0, 1]) {
      const items = plan.filter((batch) => batch.epoch === epoch).flatMap((batch) => batch.items);
      expect(items.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    }
    for (const batch of plan) {
      const longest = Math.max(...batch.items.map((i) => lengths[i]!));
      expect(batch.items.length === 1 || longest * batch.items.length <= 100).toBe(true);
    }
    expect(planBatches(lengths, 100, 2, 7)).toEqual(plan);
    expect(planBatches(lengths, 100, 2, 8)).not.toEqual(plan);
    // an item longer than the budget still gets its own batch
    expect(planBatches([500, 1], 100, 1, 1).map((b) => b.items.length)).toEqual([1, 1]);
  });
});
