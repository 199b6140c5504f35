// Finite-difference gradient checks (float64) for the pieces the Llama-family variants add: a q/k/v bias, rope
// from an inverse-frequency table, per-head RMSNorm (Qwen3's q/k norm: rmsnorm over rows·heads of width hs) and
// a head size other than C/H. Each loss is Σ R ⊙ forward(...) for a random R, so d loss/d out = R.
import { describe, expect, it } from 'vitest';
import { biasAdd, biasBackward } from './reference-bias.ts';
import * as ref from './reference.ts';
import { closeness, dot, fillRandom, numericGradient, randomSource } from './test-helpers.ts';

const random = randomSource(11);
const vec = (n: number, scale = 1): Float64Array => fillRandom(new Float64Array(n), random, scale);

function expectGradient(analytic: Float64Array, x: Float64Array, loss: () => number): void {
  expect(closeness(analytic, numericGradient(x, loss), 1e-7, 1e-6)).toBeLessThan(1);
}

describe('reference kernels of the Llama-family variants', () => {
  it('biasAdd adds the bias to every row; biasBackward is the column sum', () => {
    const [rows, dim] = [4, 5];
    const x = vec(rows * dim); const bias = vec(dim); const R = vec(rows * dim);
    const loss = (): number => { const y = x.slice(); biasAdd(y, bias, rows, dim); return dot(y, R); };
    const y = x.slice();
    biasAdd(y, bias, rows, dim);
    expect(y[2 * dim + 3]).toBeCloseTo(x[2 * dim + 3]! + bias[3]!, 14);
    const dbias = vec(dim); const before = dbias.slice();
    biasBackward(dbias, R, rows, dim);
    const numeric = numericGradient(bias, loss);
    expect(closeness(dbias.map((v, i) => v - before[i]!), numeric, 1e-7, 1e-6)).toBeLessThan(1); // accumulates
  });

  it('rope with a frequency table equals rope_theta when the table is theta^(−2i/hs), and differs otherwise', () => {
    const [n, heads, hs] = [3, 2, 8];
    const positions = Int32Array.of(0, 7, 300);
    const x = vec(n * heads * hs);
    const fromTheta = x.slice(); ref.rope(fromTheta, positions, n, heads, hs, 500);
    const fromTable = x.slice(); ref.rope(fromTable, positions, n, heads, hs, Float64Array.from({ length: 4 }, (_, i) => 500 ** (-2 * i / hs)));
    expect(closeness(fromTable, fromTheta, 1e-12, 1e-12)).toBeLessThan(1);
    const scaled = x.slice(); ref.rope(scaled, positions, n, heads, hs, Float64Array.of(1, 0.1, 0.01, 0.001));
    // hand value: position 7, head 0, pair 0 rotates by 7 rad
    const [x1, x2] = [x[heads * hs]!, x[heads * hs + 4]!];
    expect(scaled[heads * hs]).toBeCloseTo(x1 * Math.cos(7) - x2 * Math.sin(7), 12);
    expect(() => ref.rope(x.slice(), positions, n, heads, hs, Float64Array.of(1, 2))).toThrow(/needs 4/);
  });

  it('rope with a frequency table: backward is the gradient', () => {
    const [n, heads, hs] = [3, 2, 6];
    const table = Float64Array.of(1, 0.05, 0.0007);
    const x = vec(n * heads * hs); const R = vec(n * heads * hs); const positions = Int32Array.of(0, 5, 1700);
    const loss = (): number => { const y = x.slice(); ref.rope(y, positions, n, heads, hs, table); return dot(y, R); };
    const dx = R.slice();
    ref.ropeBackward(dx, positions, n, heads, hs, table);
    expectGradient(dx, x, loss);
  });

  // Qwen3: q (rows, H·hs) with hs ≠ C/H → bias → per-head RMSNorm (weight hs) → rope with a table → loss
  it('bias, per-head RMSNorm and table rope composed at head size ≠ C/H: every gradient', () => {
    const [rows, C, H, hs] = [3, 6, 2, 4]; // H·hs = 8 ≠ C
    const qDim = H * hs;
    const table = Float64Array.of(1, 0.01);
    const positions = Int32Array.of(2, 9, 40);
    const x = vec(rows * C); const w = vec(qDim * C); const bias = vec(qDim); const normWeight = vec(hs, 2);
    const R = vec(rows * qDim);
    const q = new Float64Array(rows * qDim); const normed = new Float64Array(rows * qDim); const rstd = new Float64Array(rows * H);
    const forward = (): number => {
      ref.linear(q, x, w, rows, C, qDim);
      biasAdd(q, bias, rows, qDim);
      ref.rmsnorm(normed, rstd, q, normWeight, rows * H, hs, 1e-6);
      const roped = normed.slice();
      ref.rope(roped, positions, rows, H, hs, table);
      return dot(roped, R);
    };
    forward();
    const dNormed = R.slice();
    ref.ropeBackward(dNormed, positions, rows, H, hs, table);
    const dq = new Float64Array(rows * qDim); const dNormWeight = new Float64Array(hs);
    ref.rmsnormBackward(dq, dNormWeight, dNormed, q, normWeight, rstd, rows * H, hs);
    const dBias = new Float64Array(qDim); biasBackward(dBias, dq, rows, qDim);
    const dx = new Float64Array(rows * C); const dw = new Float64Array(qDim * C);
    ref.linearBackward(dx, dw, dq, x, w, rows, C, qDim);
    expectGradient(dx, x, forward);
    expectGradient(dw, w, forward);
    expectGradient(dBias, bias, forward);
    expectGradient(dNormWeight, normWeight, forward);
  });
});
