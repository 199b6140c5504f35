// LoRA's gradients through the merged weight, checked by central finite differences with respect to every entry
// of A and B: a layer L = Σ c ⊙ tanh(W x) with its hand-derived dL/dW stands in for the engine's backward (which
// has its own finite-difference tests), so what is checked is the chain rule of mergeInto and loraGradients.
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.ts';
import { loraGradients, mergeInto } from './lora-grad.ts';

// a small loss with a known gradient: L(W) = Σ c ⊙ tanh(W x) over a batch of inputs x, dL/dW = (c ⊙ (1 − tanh²)) xᵀ
function lossAndGrad(w: Float32Array, m: number, n: number, xs: Float64Array[], c: Float64Array[]): { loss: number; dW: Float32Array } {
  const dW = new Float32Array(m * n);
  let loss = 0;
  xs.forEach((x, j) => {
    for (let o = 0; o < m; o++) {
      let z = 0;
      for (let i = 0; i < n; i++) z += (w[o * n + i] as number) * (x[i] as number);
      const t = Math.tanh(z);
      const co = (c[j] as Float64Array)[o] as number;
      loss += co * t;
      for (let i = 0; i < n; i++) dW[o * n + i] = (dW[o * n + i] as number) + co * (1 - t * t) * (x[i] as number);
    }
  });
  return { loss, dW };
}

describe('LoRA gradients through the merged weight', () => {
  it('dA = s·Bᵀ·dW and dB = s·dW·Aᵀ match finite differences of the loss in A and B', () => {
    const rng = new Rng(3);
    const [m, n, r, s] = [5, 7, 3, 16 / 3];
    const w0 = Float32Array.from({ length: m * n }, () => rng.normal() * 0.3);
    const a = new Float64Array(r * n).map(() => rng.normal() * 0.2);
    const b = new Float64Array(m * r).map(() => rng.normal() * 0.2); // nonzero, so dA is not trivially 0
    const xs = Array.from({ length: 4 }, () => new Float64Array(n).map(() => rng.normal()));
    const c = Array.from({ length: 4 }, () => new Float64Array(m).map(() => rng.normal()));
    // float64 copies of the float32 kernels' inputs so that the finite differences are not rounding noise
    const f32 = (x: Float64Array): Float32Array => Float32Array.from(x);
    const lossAt = (aa: Float64Array, bb: Float64Array): number => {
      const w = new Float32Array(m * n);
      mergeInto(w, w0, f32(aa), f32(bb), m, n, r, s);
      return lossAndGrad(w, m, n, xs, c).loss;
    };
    const merged = new Float32Array(m * n);
    mergeInto(merged, w0, f32(a), f32(b), m, n, r, s);
    const { dW } = lossAndGrad(merged, m, n, xs, c);
    const dA = new Float32Array(r * n);
    const dB = new Float32Array(m * r);
    loraGradients(dW, f32(a), f32(b), m, n, r, s, dA, dB);
    const h = 1e-3; // the merge is float32: a step this size keeps its rounding (~1e-7) well under the tolerance
    const check = (values: Float64Array, grads: Float32Array, label: string): void => {
      for (let i = 0; i < values.length; i++) {
        const saved = values[i] as number;
        values[i] = saved + h;
        const up = label === 'A' ? lossAt(values, b) : lossAt(a, values);
        values[i] = saved - h;
        const down = label === 'A' ? lossAt(values, b) : lossAt(a, values);
        values[i] = saved;
        const numeric = (up - down) / (2 * h);
        expect(Math.abs((grads[i] as number) - numeric), `${label}[${i}]`).toBeLessThan(1e-3 * Math.max(1, Math.abs(numeric)));
      }
    };
    check(a, dA, 'A');
    check(b, dB, 'B');
  });

  it('mergeInto with B = 0 (PEFT\'s start) is the base weight exactly', () => {
    const rng = new Rng(1);
    const w0 = Float32Array.from({ length: 12 }, () => rng.normal());
    const out = new Float32Array(12);
    mergeInto(out, w0, Float32Array.from({ length: 8 }, () => rng.normal()), new Float32Array(6), 3, 4, 2, 8);
    expect(out).toEqual(w0);
  });
});
