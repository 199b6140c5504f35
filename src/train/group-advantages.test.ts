import { describe, expect, it } from 'vitest';
import {
  groupAdvantages, keepInformativeGroups, meanAndStd, normalizeInGroup, zeroVarianceGroups,
} from './group-advantages.ts';

describe('GRPO group advantages', () => {
  it('rewards [1,0,0,1]: mean 0.5, population std 0.5 → ±0.5/(0.5+eps)', () => {
    const out = normalizeInGroup([1, 0, 0, 1]);
    const a = 0.5 / (0.5 + 1e-6); // ≈ 0.999998
    expect([...out].map((v) => Number(v.toFixed(12)))).toEqual([a, -a, -a, a].map((v) => Number(v.toFixed(12))));
    // with eps = 0 it is exactly ±1
    expect([...normalizeInGroup([1, 0, 0, 1], { eps: 0 })]).toEqual([1, -1, -1, 1]);
  });

  it('uses the population std (÷ G), not the sample std (÷ G − 1)', () => {
    // rewards [0, 0, 3]: mean 1, squared deviations 1+1+4 = 6, population variance 6/3 = 2 (sample would be 3)
    expect(meanAndStd([0, 0, 3]).std).toBeCloseTo(Math.SQRT2, 12);
    const out = normalizeInGroup([0, 0, 3], { eps: 0 });
    expect(out[0]).toBeCloseTo(-1 / Math.SQRT2, 12);
    expect(out[2]).toBeCloseTo(2 / Math.SQRT2, 12);
  });

  it('mean-only (Dr.GRPO) subtracts the group mean and does not divide', () => {
    // rewards [0, 0, 3] → mean 1 → [−1, −1, 2]; [0.2, 0.6] → mean 0.4 → [−0.2, 0.2]
    const [a, b] = groupAdvantages([[0, 0, 3], [0.2, 0.6]], { normalize: 'mean-only' });
    expect([...a!]).toEqual([-1, -1, 2]);
    expect(b![0]).toBeCloseTo(-0.2, 12);
    expect(b![1]).toBeCloseTo(0.2, 12);
  });

  it('zero-variance groups give zeros and are reported as skippable', () => {
    const groups = [[1, 1, 1], [0, 1], [0, 0, 0, 0], [0.5]];
    const advantages = groupAdvantages(groups, { eps: 0 });
    expect([...advantages[0]!]).toEqual([0, 0, 0]); // no NaN from 0/0
    expect([...advantages[2]!]).toEqual([0, 0, 0, 0]);
    expect([...advantages[3]!]).toEqual([0]); // a singleton is its own mean
    expect([...advantages[1]!]).toEqual([-1, 1]);
    expect(zeroVarianceGroups(groups)).toEqual([0, 2, 3]);
    // equal rewards whose float mean is an ulp off them (0.7 × 3 / 3 ≠ 0.7) still give exact zeros with eps
    expect([...normalizeInGroup([0.7, 0.7, 0.7])]).toEqual([0, 0, 0]);
    const tasks = groups.map((rewards, i) => ({ task: `t${i}`, rewards }));
    const { kept, skipped } = keepInformativeGroups(tasks, (t) => t.rewards);
    expect(kept.map((t) => t.task)).toEqual(['t1']);
    expect(skipped.map((t) => t.task)).toEqual(['t0', 't2', 't3']);
  });

  it('rejects empty groups and negative eps', () => {
    expect(() => normalizeInGroup([])).toThrow('empty');
    expect(() => normalizeInGroup([1, 2], { eps: -1 })).toThrow('eps');
  });
});
