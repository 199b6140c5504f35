import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.ts';
import { k3, policyGradientLoss, type PolicyGradientInputs } from './policy-gradient-loss.ts';

const f64 = (values: number[]): Float64Array => Float64Array.from(values);

// Five scored tokens and one masked one; log π_old = −1 everywhere, log π = −1 + log ρ so the ratio is ρ exactly.
// ε_low = ε_high = 0.2 → clip range [0.8, 1.2].
//   t0: ρ 1.1, A +2 → inside: −ρA = −2.2, d/d log π = −ρA = −2.2
//   t1: ρ 1.5, A +1 → −min(1.5, 1.2) = −1.2, clipped (no gradient)
//   t2: ρ 0.5, A −1 → −min(−0.5, −0.8) = 0.8, clipped (no gradient)
//   t3: ρ 1.5, A −1 → −min(−1.5, −1.2) = 1.5: outside the range but the unclipped term is taken, gradient 1.5
//   t4: ρ 0.5, A +1 → −min(0.5, 0.8) = −0.5, unclipped, gradient −0.5
//   t5: masked (an observation token): ignored whatever its values
const ratios = [1.1, 1.5, 0.5, 1.5, 0.5, 3];
const inputs: PolicyGradientInputs = {
  logProbs: f64(ratios.map((r) => -1 + Math.log(r))),
  oldLogProbs: f64(ratios.map(() => -1)),
  advantages: f64([2, 1, -1, -1, 1, 7]),
  mask: [1, 1, 1, 1, 1, 0],
};

describe('clipped policy-gradient loss', () => {
  it('token-mean loss, gradients and clip fraction match hand-computed values', () => {
    const out = policyGradientLoss(inputs);
    expect(out.tokens).toBe(5);
    expect(out.loss).toBeCloseTo((-2.2 - 1.2 + 0.8 + 1.5 - 0.5) / 5, 12); // −0.32
    const expected = [-2.2 / 5, 0, 0, 1.5 / 5, -0.5 / 5, 0];
    expected.forEach((g, t) => expect(out.grads[t]).toBeCloseTo(g, 12));
    expect(out.clipFraction).toBeCloseTo(2 / 5, 12);
    expect(out.kl).toBe(0);
  });

  it('asymmetric clip-higher: ε_high = 0.6 lets t1 (ρ 1.5, A +1) through', () => {
    const out = policyGradientLoss(inputs, { clipHigh: 0.6 });
    // t1 now −1.5 with gradient −1.5; the rest as before
    expect(out.loss).toBeCloseTo((-2.2 - 1.5 + 0.8 + 1.5 - 0.5) / 5, 12);
    expect(out.grads[1]).toBeCloseTo(-1.5 / 5, 12);
    expect(out.clipFraction).toBeCloseTo(1 / 5, 12);
  });

  it('k3 by hand, k3 ≥ 0, and k3 = 0 when the policy equals the reference', () => {
    // logp 0, ref ln 2: x = ln 2 → 2 − ln 2 − 1 = 1 − ln 2; logp ln 2, ref 0: x = −ln 2 → 1/2 + ln 2 − 1
    expect(k3(0, Math.LN2)).toBeCloseTo(1 - Math.LN2, 14);
    expect(k3(Math.LN2, 0)).toBeCloseTo(Math.LN2 - 0.5, 14);
    expect(k3(-3.7, -3.7)).toBe(0);
    const rng = new Rng(3);
    for (let i = 0; i < 200; i++) {
      const logp = -10 * rng.next();
      const ref = -10 * rng.next();
      expect(k3(logp, ref)).toBeGreaterThanOrEqual(0);
    }
    // tiny gaps: k3 = x²/2 + x³/6 + O(x⁴) without cancellation; x = 1e-6 → 5e-13 + 1.67e-19. The naive
    // e^x − x − 1 is off by ~1e-16 there (relative 2e-4), so a 1e-9 relative bound tells them apart.
    const x = 1e-6;
    expect(Math.abs(k3(0, x) - (x * x / 2 + x ** 3 / 6)) / (x * x / 2)).toBeLessThan(1e-9);
  });

  it('adds β·mean k3 and reports the mean KL over masked tokens', () => {
    const refLogProbs = f64([-1, -1 + Math.LN2, -2, -1, -1, 50]); // the masked t5 must not count
    const expectedKl = [0, 1, 2, 3, 4].reduce((sum, t) => sum + k3(inputs.logProbs[t]!, refLogProbs[t]!), 0) / 5;
    const out = policyGradientLoss({ ...inputs, refLogProbs }, { beta: 0.1 });
    expect(out.kl).toBeCloseTo(expectedKl, 12);
    expect(out.loss).toBeCloseTo(-0.32 + 0.1 * expectedKl, 12);
    // β = 0 with a reference still reports the KL but leaves the loss alone
    const monitorOnly = policyGradientLoss({ ...inputs, refLogProbs });
    expect(monitorOnly.kl).toBeCloseTo(expectedKl, 12);
    expect(monitorOnly.loss).toBeCloseTo(-0.32, 12);
  });

  it('gradient wrt log π agrees with central finite differences (clipped and unclipped tokens, with KL)', () => {
    const rng = new Rng(17);
    const N = 40;
    const oldLogProbs = f64(Array.from({ length: N }, () => -4 * rng.next()));
    // ratios spread over [0.4, 1.8] so both sides of both clip bounds occur; keep clear of the kinks
    const logProbs = f64(Array.from({ length: N }, (_, t) => {
      let ratio = 0.4 + 1.4 * rng.next();
      if (Math.abs(ratio - 0.8) < 0.01 || Math.abs(ratio - 1.28) < 0.01) ratio += 0.03;
      return oldLogProbs[t]! + Math.log(ratio);
    }));
    const random: PolicyGradientInputs = {
      logProbs,
      oldLogProbs,
      advantages: f64(Array.from({ length: N }, () => 4 * rng.next() - 2)),
      mask: Array.from({ length: N }, (_, t) => (t % 7 === 3 ? 0 : 1)),
      refLogProbs: f64(Array.from({ length: N }, (_, t) => logProbs[t]! + rng.next() - 0.5)),
    };
    const settings = { clipLow: 0.2, clipHigh: 0.28, beta: 0.05 };
    const out = policyGradientLoss(random, settings);
    expect(out.clipFraction).toBeGreaterThan(0); // the check covers clipped tokens too
    expect(out.clipFraction).toBeLessThan(1);
    const h = 1e-6;
    for (let t = 0; t < N; t++) {
      const plus = f64([...logProbs]);
      const minus = f64([...logProbs]);
      plus[t]! += h;
      minus[t]! -= h;
      const lossAt = (values: Float64Array) => policyGradientLoss({ ...random, logProbs: values }, settings).loss;
      const numeric = (lossAt(plus) - lossAt(minus)) / (2 * h);
      expect(out.grads[t]).toBeCloseTo(numeric, 7);
    }
  });

  it('an all-masked batch gives zero loss; bad settings and shapes are refused', () => {
    expect(policyGradientLoss({ ...inputs, mask: [0, 0, 0, 0, 0, 0] }).loss).toBe(0);
    expect(() => policyGradientLoss({ ...inputs, mask: [1] })).toThrow('mask');
    expect(() => policyGradientLoss(inputs, { beta: 0.1 })).toThrow('refLogProbs');
    expect(() => policyGradientLoss(inputs, { clipLow: 1 })).toThrow('clip');
  });
});
