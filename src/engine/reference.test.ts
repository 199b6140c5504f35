// Finite-difference gradient checks (float64) for every reference backward, and AdamW against hand-computed
// torch.optim.AdamW numbers. Each loss is Σ R ⊙ forward(...) for a random R, so d loss/d out = R.
import { describe, expect, it } from 'vitest';
import * as ref from './reference.ts';
import { closeness, dot, fillRandom, numericGradient, randomInts, randomSource } from './test-helpers.ts';

const random = randomSource(7);
const vec = (n: number, scale = 1): Float64Array => fillRandom(new Float64Array(n), random, scale);

function expectGradient(analytic: Float64Array, x: Float64Array, loss: () => number): void {
  expect(closeness(analytic, numericGradient(x, loss), 1e-7, 1e-6)).toBeLessThan(1);
}

describe('reference forward values', () => {
  it('linear is x·wᵀ on a hand example', () => {
    const out = new Float64Array(2);
    ref.linear(out, Float64Array.of(1, 2), Float64Array.of(3, 4, 5, 6), 1, 2, 2);
    expect([...out]).toEqual([11, 17]);
  });
  it('rope rotates the (i, i+hs/2) pair by position·theta^(−2i/hs)', () => {
    const x = Float64Array.of(1, 0, 0, 1); // hs 4: pairs (0,2) and (1,3)
    ref.rope(x, Int32Array.of(2), 1, 1, 4, 100);
    // pair 0: angle 2, (1,0) → (cos 2, sin 2); pair 1: angle 2/10, (0,1) → (−sin 0.2, cos 0.2)
    expect(closeness(x, [Math.cos(2), -Math.sin(0.2), Math.sin(2), Math.cos(0.2)], 1e-12, 0)).toBeLessThan(1);
  });
  it('logSoftmaxTargets gives log-probabilities and 0 for negative targets', () => {
    const logprobs = new Float64Array(2);
    const lse = new Float64Array(2);
    ref.logSoftmaxTargets(logprobs, lse, Float64Array.of(0, Math.log(3), 1, 1), Int32Array.of(1, -1), 2, 2);
    expect(logprobs[0]).toBeCloseTo(Math.log(3 / 4), 12);
    expect(logprobs[1]).toBe(0);
    expect(lse[1]).toBeCloseTo(1 + Math.log(2), 12);
    expect(() => ref.logSoftmaxTargets(logprobs, lse, Float64Array.of(0, 1), Int32Array.of(2), 1, 2)).toThrow(/outside the vocabulary/);
  });
  it('attention of the first position returns its own value', () => {
    const q = vec(2 * 4); const k = vec(2 * 4); const v = vec(2 * 4);
    const out = new Float64Array(8); const lse = new Float64Array(2);
    ref.attention(out, lse, q, k, v, 1, 2, 1, 1, 4);
    expect(closeness(out.subarray(0, 4), v.subarray(0, 4), 1e-12, 0)).toBeLessThan(1);
  });
});

describe('reference backward passes match finite differences', () => {
  it('linear', () => {
    const [rows, inDim, outDim] = [3, 5, 4];
    const x = vec(rows * inDim); const w = vec(outDim * inDim); const R = vec(rows * outDim);
    const out = new Float64Array(rows * outDim);
    const loss = (): number => { ref.linear(out, x, w, rows, inDim, outDim); return dot(out, R); };
    const dx = vec(rows * inDim); const dw = vec(outDim * inDim);
    const dx0 = dx.slice(); const dw0 = dw.slice(); // backward accumulates onto these
    ref.linearBackward(dx, dw, R, x, w, rows, inDim, outDim);
    expectGradient(dx.map((value, i) => value - dx0[i]!), x, loss);
    expectGradient(dw.map((value, i) => value - dw0[i]!), w, loss);
  });
  it('embedding (scatter-add with repeated ids)', () => {
    const [V, n, dim] = [5, 6, 3];
    const table = vec(V * dim); const ids = Int32Array.of(1, 4, 1, 0, 4, 1); const R = vec(n * dim);
    const out = new Float64Array(n * dim);
    const loss = (): number => { ref.embedding(out, table, ids, n, dim); return dot(out, R); };
    const dtable = new Float64Array(V * dim);
    ref.embeddingBackward(dtable, R, ids, n, dim);
    expectGradient(dtable, table, loss);
    expect(() => ref.embedding(out, table, Int32Array.of(5), 1, dim)).toThrow(/outside the table/);
  });
  it('rmsnorm', () => {
    const [rows, dim] = [3, 7];
    const x = vec(rows * dim); const weight = vec(dim); const R = vec(rows * dim);
    const out = new Float64Array(rows * dim); const rstd = new Float64Array(rows);
    const loss = (): number => { ref.rmsnorm(out, rstd, x, weight, rows, dim, 1e-5); return dot(out, R); };
    loss();
    const dx = new Float64Array(rows * dim); const dweight = new Float64Array(dim);
    ref.rmsnormBackward(dx, dweight, R, x, weight, rstd, rows, dim);
    expectGradient(dx, x, loss);
    expectGradient(dweight, weight, loss);
  });
  it('rope', () => {
    const [n, heads, hs] = [3, 2, 6];
    const x = vec(n * heads * hs); const R = vec(n * heads * hs); const positions = Int32Array.of(0, 5, 17);
    const loss = (): number => { const y = x.slice(); ref.rope(y, positions, n, heads, hs, 10000); return dot(y, R); };
    const dx = R.slice();
    ref.ropeBackward(dx, positions, n, heads, hs, 10000);
    expectGradient(dx, x, loss);
  });
  it('attention with grouped-query heads', () => {
    const [B, T, H, KVH, hs] = [2, 4, 4, 2, 3];
    const q = vec(B * T * H * hs); const k = vec(B * T * KVH * hs); const v = vec(B * T * KVH * hs);
    const R = vec(B * T * H * hs);
    const out = new Float64Array(B * T * H * hs); const lse = new Float64Array(B * H * T);
    const loss = (): number => { ref.attention(out, lse, q, k, v, B, T, H, KVH, hs); return dot(out, R); };
    loss();
    const dq = new Float64Array(q.length); const dk = new Float64Array(k.length); const dv = new Float64Array(v.length);
    ref.attentionBackward(dq, dk, dv, R, out, lse, q, k, v, B, T, H, KVH, hs);
    expectGradient(dq, q, loss);
    expectGradient(dk, k, loss);
    expectGradient(dv, v, loss);
  });
  it('swiglu', () => {
    const n = 9;
    const gate = vec(n, 3); const up = vec(n); const R = vec(n); const out = new Float64Array(n);
    const loss = (): number => { ref.swiglu(out, gate, up, n); return dot(out, R); };
    const dgate = new Float64Array(n); const dup = new Float64Array(n);
    ref.swigluBackward(dgate, dup, R, gate, up, n);
    expectGradient(dgate, gate, loss);
    expectGradient(dup, up, loss);
  });
  it('logSoftmaxTargets for per-row weights, skipping negative targets and zero weights', () => {
    const [rows, V] = [4, 6];
    const logits = vec(rows * V, 3); const targets = Int32Array.of(2, -1, 5, 0); const weights = Float64Array.of(0.5, 2, -1.5, 0);
    const logprobs = new Float64Array(rows); const lse = new Float64Array(rows);
    const loss = (): number => { ref.logSoftmaxTargets(logprobs, lse, logits, targets, rows, V); return dot(logprobs, weights); };
    loss();
    const dlogits = vec(rows * V); // overwritten, not accumulated
    ref.logSoftmaxTargetsBackward(dlogits, logits, lse, targets, weights, rows, V);
    expectGradient(dlogits, logits, loss);
    // aliasing: the gradient may overwrite the logits themselves
    const aliased = logits.slice();
    ref.logSoftmaxTargetsBackward(aliased, aliased, lse, targets, weights, rows, V);
    expect(closeness(aliased, dlogits, 1e-15, 0)).toBeLessThan(1);
  });
  it('attentionDecode equals the last row of full attention', () => {
    const [T, H, KVH, hs] = [5, 4, 1, 3];
    const q = vec(T * H * hs); const k = vec(T * KVH * hs); const v = vec(T * KVH * hs);
    const out = new Float64Array(q.length); const lse = new Float64Array(H * T);
    ref.attention(out, lse, q, k, v, 1, T, H, KVH, hs);
    const decoded = new Float64Array(H * hs);
    // cache of maxT 7 holding the T positions; the query is the last one
    const kCache = new Float64Array(7 * KVH * hs); kCache.set(k);
    const vCache = new Float64Array(7 * KVH * hs); vCache.set(v);
    ref.attentionDecode(decoded, q.subarray((T - 1) * H * hs), kCache, vCache, Int32Array.of(T), 1, 7, H, KVH, hs);
    expect(closeness(decoded, out.subarray((T - 1) * H * hs), 1e-12, 1e-12)).toBeLessThan(1);
  });
  it('attentionDecode rows that share a slot, each at its own length, equal full causal attention', () => {
    const [T, H, KVH, hs, maxT] = [6, 4, 2, 3, 8];
    const q = vec(T * H * hs); const k = vec(T * KVH * hs); const v = vec(T * KVH * hs);
    const out = new Float64Array(q.length); const lse = new Float64Array(H * T);
    ref.attention(out, lse, q, k, v, 1, T, H, KVH, hs);
    // the sequence sits in slot 1 of two; rows 2..5 are a chunk of new tokens attending to it causally
    const kCache = new Float64Array(2 * maxT * KVH * hs); kCache.set(k, maxT * KVH * hs);
    const vCache = new Float64Array(2 * maxT * KVH * hs); vCache.set(v, maxT * KVH * hs);
    const rows = 4;
    const decoded = new Float64Array(rows * H * hs);
    const lengths = Int32Array.of(3, 4, 5, 6);
    const slots = Int32Array.of(1, 1, 1, 1);
    ref.attentionDecode(decoded, q.subarray(2 * H * hs), kCache, vCache, lengths, rows, maxT, H, KVH, hs, slots);
    expect(closeness(decoded, out.subarray(2 * H * hs), 1e-12, 1e-12)).toBeLessThan(1);
  });
});

describe('reference AdamW', () => {
  it('reproduces torch.optim.AdamW over two steps (decay, bias correction, eps outside the sqrt)', () => {
    // lr 0.1, betas (0.9, 0.999), eps 0.1 (large so its placement shows), weight_decay 0.01; worked by hand:
    // step 1: p·0.999 = (0.999, −1.998); m̂ = g, v̂ = g² → update 0.1·0.5/(0.5+0.1), 0.1·0.1/(0.1+0.1)
    const p = Float64Array.of(1, -2); const m = new Float64Array(2); const v = new Float64Array(2);
    const o = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 0.1, weightDecay: 0.01, step: 1 };
    ref.adamw(p, Float64Array.of(0.5, 0.1), m, v, 2, o);
    expect(closeness(p, [0.999 - 0.05 / 0.6, -1.998 - 0.01 / 0.2], 1e-14, 0)).toBeLessThan(1);
    expect(closeness(m, [0.05, 0.01], 1e-15, 0)).toBeLessThan(1);
    expect(closeness(v, [0.00025, 0.00001], 1e-17, 0)).toBeLessThan(1);
    // step 2, g = (−0.3, 0.2): m = (0.015, 0.029), v = (0.00033975, 0.00004999), bc1 0.19, bc2 0.001999
    ref.adamw(p, Float64Array.of(-0.3, 0.2), m, v, 2, { ...o, step: 2 });
    expect(closeness(m, [0.015, 0.029], 1e-15, 0)).toBeLessThan(1);
    expect(closeness(v, [0.00033975, 0.00004999], 1e-17, 0)).toBeLessThan(1);
    expect(closeness(p, [0.8993394793216449, -2.105079989464172], 1e-12, 0)).toBeLessThan(1);
  });
  it('sumSquares and scale', () => {
    const x = Float64Array.of(3, -4);
    expect(ref.sumSquares(x, 2)).toBe(25);
    ref.scale(x, 0.5, 2);
    expect([...x]).toEqual([1.5, -2]);
  });
});

describe('reference ids', () => {
  it('rejects ids outside the table with the position', () => {
    const random2 = randomSource(1);
    const ids = randomInts(4, random2, 3);
    ids[2] = -1;
    expect(() => ref.checkIds(ids, 4, 3)).toThrow(/position 2/);
  });
});
