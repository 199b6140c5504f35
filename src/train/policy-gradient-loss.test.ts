import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.ts';
import { klK3, policyGradientLoss, type PolicyGradientInputs } from './policy-gradient-loss.ts';

const settings = { clipLow: 0.2, clipHigh: 0.2, klCoefficient: 0 };

describe('policyGradientLoss (clipped surrogate, token mean)', () => {
  // five tokens, worked by hand: ratio ρ = exp(logπ − logπ_old), clip range [0.8, 1.2]
  const old = -1;
  const inputs: PolicyGradientInputs = {
    logProbs: Float64Array.from([1, 1.5, 0.5, 0.5, 1.5], (ratio) => old + Math.log(ratio)),
    oldLogProbs: Float64Array.from([old, old, old, old, old]),
    refLogProbs: Float64Array.from([old, old, old, old, old]),
    advantages: Float64Array.from([2, 1, 1, -1, -1]),
  };

  it('matches the hand-computed surrogate inside and outside the clip range, for A > 0 and A < 0', () => {
    const out = policyGradientLoss(inputs, settings);
    // t0 ρ=1: −2 · t1 ρ=1.5, A=1: min(1.5, 1.2) → −1.2 (clipped) · t2 ρ=0.5, A=1: min(0.5, 0.8) → −0.5
    // t3 ρ=0.5, A=−1: min(−0.5, −0.8) → +0.8 (clipped) · t4 ρ=1.5, A=−1: min(−1.5, −1.2) → +1.5
    expect(out.loss).toBeCloseTo((-2 - 1.2 - 0.5 + 0.8 + 1.5) / 5, 12);
    expect(out.clipFraction).toBeCloseTo(2 / 5, 12);
    // gradient: −ρA/N where the unclipped term is the min, 0 where the clip holds
    const expected = [-2, 0, -0.5, 0, 1.5].map((g) => g / 5);
    expected.forEach((g, t) => expect(out.grads[t]).toBeCloseTo(g, 12));
    // the reference equals the old policy here, so k3 = 1/ρ + ln ρ − 1 (reported, not in the loss with β = 0)
    const k3 = (rho: number) => 1 / rho + Math.log(rho) - 1;
    expect(out.meanKl).toBeCloseTo((2 * k3(1.5) + 2 * k3(0.5)) / 5, 12);
  });

  it('adds β·k3 to the loss: k3 = e^r − r − 1 with r = ref − logπ', () => {
    expect(klK3(-1, -1 + Math.log(2))).toBeCloseTo(1 - Math.log(2), 12); // 2 − ln 2 − 1
    expect(klK3(-2, -2)).toBe(0);
    const rng = new Rng(3);
    for (let i = 0; i < 200; i++) expect(klK3(-5 * rng.next(), -5 * rng.next())).toBeGreaterThanOrEqual(0);
    const shifted = { ...inputs, refLogProbs: Float64Array.from(inputs.logProbs, (l) => l + 0.3) };
    const withKl = policyGradientLoss(shifted, { ...settings, klCoefficient: 0.5 });
    const k3 = Math.exp(0.3) - 0.3 - 1;
    expect(withKl.meanKl).toBeCloseTo(k3, 12);
    expect(withKl.loss).toBeCloseTo(policyGradientLoss(inputs, settings).loss + 0.5 * k3, 12);
  });

  it('its gradient matches central finite differences on random tokens', () => {
    const rng = new Rng(9);
    const n = 12;
    const random = (scale: number, shift: number) => Float64Array.from({ length: n }, () => shift + scale * rng.next());
    const oldLogProbs = random(-3, -0.1);
    const logProbs = Float64Array.from(oldLogProbs, (l) => l + 0.6 * (rng.next() - 0.5));
    const probe: PolicyGradientInputs = {
      logProbs,
      oldLogProbs,
      refLogProbs: random(-3, -0.1),
      advantages: random(2, -1),
    };
    const tuned = { clipLow: 0.2, clipHigh: 0.28, klCoefficient: 0.1 };
    const { grads } = policyGradientLoss(probe, tuned);
    const h = 1e-6;
    for (let t = 0; t < n; t++) {
      const ratio = Math.exp(logProbs[t]! - oldLogProbs[t]!);
      if (Math.abs(ratio - 0.8) < 1e-3 || Math.abs(ratio - 1.28) < 1e-3) continue; // the kink of the clip
      const at = (delta: number) => {
        const moved = Float64Array.from(logProbs);
        moved[t]! += delta;
        return policyGradientLoss({ ...probe, logProbs: moved }, tuned).loss;
      };
      expect(grads[t]).toBeCloseTo((at(h) - at(-h)) / (2 * h), 7);
    }
  });

  it('refuses an empty batch', () => {
    const empty = new Float64Array(0);
    const none = { logProbs: empty, oldLogProbs: empty, refLogProbs: empty, advantages: empty };
    expect(() => policyGradientLoss(none, settings)).toThrow(/no scored tokens/);
  });
});
