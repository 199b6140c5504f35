import { describe, expect, it } from 'vitest';
import {
  discountedReturns, episodeAdvantages, gigpoAdvantages, stepGroups, type GigpoEpisode,
} from './gigpo-groups.ts';

const steps = (observations: string[], rewards: number[]) =>
  observations.map((observation, t) => ({ observation, reward: rewards[t]! }));

// Three rollouts of task T. E0 reaches room "a1" at step 1 straight from "s0"; E1 reaches it at step 2 via "b1"
// (same state, different history). E2 also goes through "b1" and then finds the goal from "b2".
// A fourth episode of another task U starts from the same text "s0" and must not join T's groups.
const episodes: GigpoEpisode[] = [
  { taskId: 'T', steps: steps(['s0', 'a1', 'goal'], [0, 0, 1]) },
  { taskId: 'T', steps: steps(['s0', 'b1', 'a1'], [0, 0, 0]) },
  { taskId: 'T', steps: steps(['s0', 'b1', 'b2'], [0, 0, 1]) },
  { taskId: 'U', steps: steps(['s0'], [5]) },
];

describe('GiGPO step groups', () => {
  it('discounted returns R_t = r_t + γ·R_{t+1}', () => {
    // γ = 0.9, r = [1, 2, 3]: R2 = 3, R1 = 2 + 0.9·3 = 4.7, R0 = 1 + 0.9·4.7 = 5.23
    const out = discountedReturns([1, 2, 3], 0.9);
    expect(out[2]).toBeCloseTo(3, 12);
    expect(out[1]).toBeCloseTo(4.7, 12);
    expect(out[0]).toBeCloseTo(5.23, 12);
    expect(() => discountedReturns([1], 1.5)).toThrow('gamma');
  });

  it('groups steps of one task with identical observations, across different histories', () => {
    const groups = stepGroups(episodes)
      .map((g) => [g.taskId, g.observation, g.members.map((m) => `${m.episode}.${m.step}`)]);
    expect(groups).toEqual([
      ['T', 's0', ['0.0', '1.0', '2.0']],
      ['T', 'a1', ['0.1', '1.2']], // step 1 of E0 and step 2 of E1 share the anchor
      ['T', 'goal', ['0.2']],
      ['T', 'b1', ['1.1', '2.1']],
      ['T', 'b2', ['2.2']],
      ['U', 's0', ['3.0']], // same text, other task: its own group
    ]);
  });

  it('returns, step advantages and combined advantages by hand (γ = 0.5, ω = 0.5, eps = 0)', () => {
    const out = gigpoAdvantages(episodes, { gamma: 0.5, omega: 0.5, eps: 0 });
    // returns: E0 [0.25, 0.5, 1], E1 [0, 0, 0], E2 [0.25, 0.5, 1], E3 [5]
    expect([...out.returns[0]!]).toEqual([0.25, 0.5, 1]);
    expect([...out.returns[1]!]).toEqual([0, 0, 0]);
    expect([...out.returns[2]!]).toEqual([0.25, 0.5, 1]);
    // episode rewards of T: [1, 0, 1], mean 2/3, population std √((1/9 + 4/9 + 1/9)/3) = √2/3
    // → A = (1/3)/(√2/3) = 1/√2 and (−2/3)/(√2/3) = −√2; task U is a singleton → 0
    const h = 1 / Math.SQRT2;
    const r2 = Math.SQRT2;
    expectClose(out.episodeAdvantages, [h, -r2, h, 0]);
    // step groups: s0 returns [0.25, 0, 0.25] → [1/√2, −√2, 1/√2] (same shape as above);
    // a1 returns [0.5 (E0), 0 (E1)] → [1, −1]; b1 returns [0 (E1), 0.5 (E2)] → [−1, 1]; singletons → 0
    expectClose(out.stepAdvantages[0]!, [h, 1, 0]);
    expectClose(out.stepAdvantages[1]!, [-r2, -1, -1]);
    expectClose(out.stepAdvantages[2]!, [h, 1, 0]);
    expectClose(out.stepAdvantages[3]!, [0]);
    // combined = episode + 0.5 · step
    expectClose(out.combined[0]!, [h + 0.5 * h, h + 0.5, h]);
    expectClose(out.combined[1]!, [-r2 - 0.5 * r2, -r2 - 0.5, -r2 - 0.5]);
    expectClose(out.combined[2]!, [h + 0.5 * h, h + 0.5, h]);
    expectClose(out.combined[3]!, [0]);
  });

  it('an explicit episode reward overrides Σ step rewards; mean-only passes through', () => {
    // T rewards become [3, 0, 0] (E0 explicit) → mean 1 → mean-only advantages [2, −1, −1]
    const custom = [{ ...episodes[0]!, reward: 3 }, episodes[1]!, { ...episodes[2]!, reward: 0 }];
    expectClose(episodeAdvantages(custom, { normalize: 'mean-only' }), [2, -1, -1]);
    // mean-only step advantage of a1: returns [0.5, 0] − 0.25 = [0.25, −0.25]; combined with ω = 2
    const out = gigpoAdvantages(custom, { gamma: 0.5, omega: 2, normalize: 'mean-only' });
    expect(out.stepAdvantages[0]![1]).toBeCloseTo(0.25, 12);
    expect(out.combined[1]![2]).toBeCloseTo(-1 + 2 * -0.25, 12);
  });
});

function expectClose(actual: Float64Array, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((value, i) => expect(actual[i]).toBeCloseTo(value, 12));
}
