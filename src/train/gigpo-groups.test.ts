import { describe, expect, it } from 'vitest';
import { anchorGroups, discountedReturns, gigpoAdvantages, type RolloutStep } from './gigpo-groups.ts';

// Three rollouts of one task. A and B both reach "at shelf" after different first steps; C never does.
// Rewards are sparse: 1 on the winning last step of A only.
const A: RolloutStep[] = [
  { state: 'start', reward: 0 },
  { state: 'at shelf', reward: 0 },
  { state: 'holding cup', reward: 1 },
];
const B: RolloutStep[] = [
  { state: 'start', reward: 0 },
  { state: 'at desk', reward: 0 },
  { state: 'at shelf', reward: 0 },
];
const C: RolloutStep[] = [{ state: 'start', reward: 0 }, { state: 'at sofa', reward: 0 }];

describe('GiGPO step groups', () => {
  it('discounted returns by hand: [0, 0, 1] with γ = 0.9 → [0.81, 0.9, 1]', () => {
    const returns = discountedReturns([0, 0, 1], 0.9);
    [0.81, 0.9, 1].forEach((r, t) => expect(returns[t]).toBeCloseTo(r, 12));
    expect(Array.from(discountedReturns([1, 2, 3], 0.5))).toEqual([1 + 0.5 * (2 + 0.5 * 3), 2 + 1.5, 3]);
  });

  it('groups the steps taken from identical states across rollouts', () => {
    const groups = anchorGroups([A, B, C]);
    expect(groups.get('start')).toEqual([{ episode: 0, step: 0 }, { episode: 1, step: 0 }, { episode: 2, step: 0 }]);
    expect(groups.get('at shelf')).toEqual([{ episode: 0, step: 1 }, { episode: 1, step: 2 }]);
    expect(groups.get('at desk')).toEqual([{ episode: 1, step: 1 }]);
    expect([...groups.keys()]).toEqual(['start', 'at shelf', 'holding cup', 'at desk', 'at sofa']);
  });

  it('combines the episode advantage with ω × the step advantage, worked by hand', () => {
    const omega = 0.5;
    const advantages = gigpoAdvantages([A, B, C], [1, 0, 0], { gamma: 0.9, omega, norm: 'mean-only' });
    // episode (mean-only): mean 1/3 → A +2/3, B −1/3, C −1/3
    const [eA, eB, eC] = [2 / 3, -1 / 3, -1 / 3];
    // "start": returns A 0.81, B 0, C 0 → mean 0.27 → +0.54, −0.27, −0.27
    // "at shelf": A's step 1 return 0.9, B's step 2 return 0 → mean 0.45 → +0.45, −0.45; singletons → 0
    const expected = [
      [eA + omega * 0.54, eA + omega * 0.45, eA],
      [eB - omega * 0.27, eB, eB - omega * 0.45],
      [eC - omega * 0.27, eC],
    ];
    expected.forEach((row, e) => row.forEach((a, t) => expect(advantages[e]![t]).toBeCloseTo(a, 12)));
  });

  it('with ω = 0 it is GRPO: every step carries its episode advantage', () => {
    const advantages = gigpoAdvantages([A, B, C], [1, 0, 0], { gamma: 0.9, omega: 0, norm: 'std' });
    const std = Math.sqrt(((2 / 3) ** 2 + 2 * (1 / 3) ** 2) / 3);
    for (const t of [0, 1, 2]) expect(advantages[0]![t]).toBeCloseTo((2 / 3) / (std + 1e-6), 9);
    expect(advantages[2]![1]).toBeCloseTo(-(1 / 3) / (std + 1e-6), 9);
  });
});
