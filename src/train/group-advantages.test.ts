import { describe, expect, it } from 'vitest';
import { groupAdvantages } from './group-advantages.ts';

describe('groupAdvantages (GRPO)', () => {
  it('rewards [1, 0, 0, 1]: mean 0.5, population std 0.5, so ±1 (less the eps share)', () => {
    const { advantages, zeroVariance } = groupAdvantages([1, 0, 0, 1], 'std', 1e-6);
    const expected = 0.5 / (0.5 + 1e-6);
    const signs = [1, -1, -1, 1];
    signs.forEach((sign, i) => expect(advantages[i]).toBeCloseTo(sign * expected, 12));
    expect(zeroVariance).toBe(false);
  });

  it('rewards [0.2, 0.5, 0.8]: mean 0.5, std sqrt(0.06) ≈ 0.2449', () => {
    const std = Math.sqrt((0.09 + 0 + 0.09) / 3);
    const { advantages } = groupAdvantages([0.2, 0.5, 0.8], 'std', 0);
    expect(advantages[0]).toBeCloseTo(-0.3 / std, 12);
    expect(advantages[1]).toBeCloseTo(0, 12);
    expect(advantages[2]).toBeCloseTo(0.3 / std, 12);
    // normalised advantages have mean 0 and (population) std 1
    const mean = advantages.reduce((s, a) => s + a, 0) / 3;
    expect(mean).toBeCloseTo(0, 12);
    expect(Math.sqrt(advantages.reduce((s, a) => s + a * a, 0) / 3)).toBeCloseTo(1, 12);
  });

  it('a group whose rewards are all equal gives zeros and is flagged for dynamic sampling', () => {
    const { advantages, zeroVariance } = groupAdvantages([0.7, 0.7, 0.7]);
    expect(Array.from(advantages)).toEqual([0, 0, 0]);
    expect(zeroVariance).toBe(true);
  });

  it("'mean-only' (Dr. GRPO) subtracts the group mean and does not divide", () => {
    expect(Array.from(groupAdvantages([1, 0, 0, 0], 'mean-only').advantages)).toEqual([0.75, -0.25, -0.25, -0.25]);
  });

  it('refuses an empty group and a non-finite reward', () => {
    expect(() => groupAdvantages([])).toThrow(/empty group/);
    expect(() => groupAdvantages([1, Number.NaN])).toThrow(/not finite/);
  });
});
