// The per-step hot path allocates nothing: after warm-up, many steps of every kernel (and of the thread pool) neither grow
// the JS heap nor trigger a garbage collection, and the engine's arena stays where it was.
import { runInNewContext } from 'node:vm';
import { GCProfiler, getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from './index.ts';
import { fillRandom, randomSource } from './test-helpers.ts';
import { loadKernels } from './wasm-loader.ts';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

// Objects made by running code (typed-array views, closures, boxed floats) are born in the young generation;
// the old generation also grows by itself now and then (code and loader metadata: ~200 KiB in a window with no
// engine thread at all), so counting it made the test fail at random
const youngBytes = (): number => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')!.space_used_size;

// one transformer-ish step touching every kernel; tiny sizes so that thousands of steps are cheap
function makeStep(engine: Engine): () => void {
  const [B, T, H, KVH, hs, V, inter] = [2, 12, 4, 2, 8, 40, 24];
  const rows = B * T;
  const dim = H * hs;
  const random = randomSource(3);
  const f = (n: number): Float32Array => fillRandom(engine.alloc(n), random, 0.5);
  const ids = engine.allocInt32(rows); const positions = engine.allocInt32(rows); const targets = engine.allocInt32(rows);
  for (let i = 0; i < rows; i++) { ids[i] = (i * 7) % V; positions[i] = i % T; targets[i] = (i * 5) % V; }
  const lengths = engine.allocInt32(B).fill(T);
  const table = f(V * dim); const x = f(rows * dim); const h = f(rows * dim); const rstd = f(rows); const norm = f(dim);
  const wq = f(dim * dim); const wk = f(KVH * hs * dim); const wv = f(KVH * hs * dim);
  const q = f(rows * dim); const k = f(rows * KVH * hs); const v = f(rows * KVH * hs); const att = f(rows * dim); const lse = f(B * H * T);
  const gate = f(rows * inter); const up = f(rows * inter); const act = f(rows * inter); const wg = f(inter * dim);
  const logits = f(rows * V); const logprobs = f(rows); const lseV = f(rows); const weights = f(rows);
  const grad = f(dim * dim); const m = f(dim * dim); const vv = f(dim * dim).fill(0.01);
  const dq = f(rows * dim); const dk = f(rows * KVH * hs); const dv = f(rows * KVH * hs); const dx = f(rows * dim);
  const decoded = f(B * dim);
  const adam = { lr: 1e-3, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, step: 1 };
  return () => {
    engine.embedding(x, table, ids, rows, dim);
    engine.rmsnorm(h, rstd, x, norm, rows, dim, 1e-5);
    engine.linear(q, h, wq, rows, dim, dim);
    engine.linear(k, h, wk, rows, dim, KVH * hs);
    engine.linear(v, h, wv, rows, dim, KVH * hs);
    engine.rope(q, positions, rows, H, hs, 10000);
    engine.attention(att, lse, q, k, v, B, T, H, KVH, hs);
    engine.attentionDecode(decoded, q, k, v, lengths, B, T, H, KVH, hs);
    engine.linear(gate, att, wg, rows, dim, inter);
    engine.swiglu(act, gate, up, rows * inter);
    engine.add(x, x, att, rows * dim);
    engine.linear(logits, x, table, rows, dim, V);
    engine.logSoftmaxTargets(logprobs, lseV, logits, targets, rows, V);
    engine.logSoftmaxTargetsBackward(logits, logits, lseV, targets, weights, rows, V);
    engine.linearBackward(dx, table, logits, x, table, rows, dim, V);
    engine.swigluBackward(gate, up, act, gate, up, rows * inter);
    engine.attentionBackward(dq, dk, dv, att, att, lse, q, k, v, B, T, H, KVH, hs);
    engine.ropeBackward(dq, positions, rows, H, hs, 10000);
    engine.rmsnormBackward(dx, norm, h, x, norm, rstd, rows, dim);
    engine.embeddingBackward(table, dx, ids, rows, dim);
    engine.scale(grad, 0.5, dim * dim);
    adam.step++;
    engine.adamw(wq, grad, m, vv, dim * dim, adam);
    engine.sumSquares(grad, dim * dim);
  };
}

describe.skipIf('unavailable' in loadKernels('simd'))('hot path', () => {
  it('allocates nothing per step (no heap growth, no GC, arena unchanged)', async () => {
    // every kernel on tiny sizes (so thousands of steps are cheap), plus one kernel split between two threads
    // per step: the thread pool's handshake must not allocate either (a handshake per kernel would make the
    // test slow on a busy machine)
    const engine = await createEngine({ threads: 2 });
    const split = await createEngine({ threads: 2, parallelMinWork: 0 });
    const x = split.alloc(64).fill(1);
    const y = split.alloc(64).fill(0.5);
    const kernels = makeStep(engine);
    const step = (): void => {
      kernels();
      split.add(x, x, y, 64);
    };
    // warm-up until the optimising compiler has taken every method: interpreted code boxes each float it
    // computes (a short-lived 16-byte object), optimised code does not
    for (let i = 0; i < 4000; i++) step();
    const mark = engine.mark();
    // the least growth over a few windows: background work (code being optimised) allocates now and then, a
    // hot path that allocates would show in every window. One 16-byte object per call is 24·500·16 ≈ 190 KiB,
    // a typed-array view per call ≥ 600 KiB; the bound leaves room for a boxed float or two per step
    // (sumSquares returns one).
    const growth: number[] = [];
    for (let window = 0; window < 5; window++) {
      collectGarbage();
      const profiler = new GCProfiler();
      profiler.start();
      const before = youngBytes();
      for (let i = 0; i < 500; i++) step();
      const after = youngBytes();
      growth.push(profiler.stop().statistics.length === 0 ? after - before : Infinity);
    }
    engine.dispose();
    split.dispose();
    expect(Math.min(...growth), `young-generation growth per window: ${growth.join(', ')}`).toBeLessThan(64 * 1024);
    expect(engine.mark()).toBe(mark);
  });
});
