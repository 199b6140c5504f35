import { describe, expect, it } from 'vitest';
import { chosenNll, dpoLoss } from './dpo-loss.ts';
import { sftLoss } from './sft-loss.ts';

const f64 = (values: number[]): Float64Array => Float64Array.from(values);

describe('dpoLoss', () => {
  // pair 0: chosen ratio −10−(−12)=2, rejected ratio −20−(−19)=−1 → h = 3
  // pair 1: chosen ratio −5−(−5)=0, rejected ratio −4−(−6)=2 → h = −2
  const inputs = { policyChosen: f64([-10, -5]), policyRejected: f64([-20, -4]), refChosen: f64([-12, -5]), refRejected: f64([-19, -6]) };

  it('sigmoid loss, rewards, margin, accuracy and gradients match hand-computed values', () => {
    const beta = 0.5;
    const out = dpoLoss(inputs, beta);
    // z = β·h = 1.5 and −1; loss_i = log(1 + e^(−z))
    const expected = (Math.log(1 + Math.exp(-1.5)) + Math.log(1 + Math.exp(1))) / 2;
    expect(out.loss).toBeCloseTo(expected, 12);
    // d loss / d πc_i = −β·σ(−z_i)/P ; d loss / d πr_i = +β·σ(−z_i)/P
    const s0 = 1 / (1 + Math.exp(1.5));
    const s1 = 1 / (1 + Math.exp(-1));
    expect(out.grads.chosen[0]).toBeCloseTo((-0.5 * s0) / 2, 12);
    expect(out.grads.chosen[1]).toBeCloseTo((-0.5 * s1) / 2, 12);
    expect(out.grads.rejected[0]).toBeCloseTo((0.5 * s0) / 2, 12);
    expect(out.grads.rejected[1]).toBeCloseTo((0.5 * s1) / 2, 12);
    expect(out.chosenReward).toBeCloseTo((0.5 * 2 + 0.5 * 0) / 2, 12);
    expect(out.rejectedReward).toBeCloseTo((0.5 * -1 + 0.5 * 2) / 2, 12);
    expect(out.margin).toBeCloseTo(0.5 * (3 - 2) / 2, 12);
    expect(out.accuracy).toBe(0.5);
  });

  it('gradients agree with central finite differences of the loss (sigmoid and IPO)', () => {
    for (const type of ['sigmoid', 'ipo'] as const) {
      const out = dpoLoss(inputs, 0.3, type);
      for (const side of ['policyChosen', 'policyRejected'] as const) {
        for (let i = 0; i < 2; i++) {
          const plus = { ...inputs, [side]: f64([...inputs[side]]) };
          const minus = { ...inputs, [side]: f64([...inputs[side]]) };
          plus[side][i]! += 1e-5;
          minus[side][i]! -= 1e-5;
          const numeric = (dpoLoss(plus, 0.3, type).loss - dpoLoss(minus, 0.3, type).loss) / 2e-5;
          const analytic = (side === 'policyChosen' ? out.grads.chosen : out.grads.rejected)[i]!;
          expect(analytic).toBeCloseTo(numeric, 6);
        }
      }
    }
  });

  it('IPO loss is the squared distance of h to 1/(2β)', () => {
    const out = dpoLoss(inputs, 0.25, 'ipo');
    expect(out.loss).toBeCloseTo(((3 - 2) ** 2 + (-2 - 2) ** 2) / 2, 12);
  });

  it('is stable for huge margins and rejects β ≤ 0', () => {
    const big = dpoLoss({ policyChosen: f64([0]), policyRejected: f64([-5000]), refChosen: f64([0]), refRejected: f64([0]) }, 1);
    expect(big.loss).toBeGreaterThanOrEqual(0);
    expect(big.loss).toBeLessThan(1e-300);
    const bad = dpoLoss({ policyChosen: f64([-5000]), policyRejected: f64([0]), refChosen: f64([0]), refRejected: f64([0]) }, 1);
    expect(bad.loss).toBeCloseTo(5000, 9);
    expect(() => dpoLoss(inputs, -0.1)).toThrow('beta');
  });
});

describe('NLL terms', () => {
  it('chosen NLL and SFT loss are the mean negative log-prob per scored token', () => {
    const nll = chosenNll(f64([-6, -2]), [3, 1]);
    expect(nll.nll).toBeCloseTo(2, 12);
    expect([...nll.grads]).toEqual([-0.25, -0.25]);
    const sft = sftLoss(f64([-3, -9, 0]), [2, 4, 0]);
    expect(sft.loss).toBeCloseTo(2, 12);
    expect(sft.tokens).toBe(6);
    expect(sft.grads[2]).toBeCloseTo(-1 / 6, 12);
  });
});
