// `npm run bench -- engine [--backend relaxed-simd|simd|reference] [--threads 1,2] [--quick]`: kernel speed.
// One JSON line per case: matmul GFLOP/s (linear forward and backward, the shapes and the reference
// model's), attention GFLOP/s (causal half counted), elementwise kernels in GB/s and ns/element. Medians.
import { createEngine, type Engine } from '../src/engine/index.ts';

interface Options { backend: 'auto' | 'relaxed-simd' | 'simd' | 'reference'; threads: number[]; quick: boolean }

function parseArgs(args: string[]): Options {
  const options: Options = { backend: 'auto', threads: [1, 2], quick: false };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--backend') options.backend = args[++i] as Options['backend'];
    else if (args[i] === '--threads') options.threads = args[++i]!.split(',').map(Number);
    else if (args[i] === '--quick') options.quick = true;
    else throw new Error(`unknown bench argument ${args[i]}`);
  }
  return options;
}

/** Median milliseconds of `fn` after warming up for `warmupMs`. */
function time(fn: () => void, warmupMs: number, reps: number): number {
  const warmEnd = performance.now() + warmupMs;
  do fn(); while (performance.now() < warmEnd);
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1]!;
}

function filled(engine: Engine, length: number, seed: number): Float32Array {
  const array = engine.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    array[i] = x / 2147483648 - 0.5;
  }
  return array;
}

const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

export async function run(args: string[]): Promise<void> {
  const o = parseArgs(args);
  const warm = o.quick ? 100 : 400;
  const reps = o.quick ? 5 : 11;
  for (const threads of o.threads) {
    const engine = await createEngine({ backend: o.backend, threads });
    const base = { bench: 'engine', backend: engine.backend, threads };
    const emit = (fields: Record<string, unknown>): void => console.log(JSON.stringify({ ...base, ...fields }));

    // matmul: out (m, n) = x (m, k) · wᵀ; "model" shapes are the reference model's (4096 tokens, hidden 128)
    const shapes: [string, number, number, number][] = [
      ['matmul', 256, 256, 256], ['matmul', 1024, 128, 512], ['matmul', 512, 512, 512],
      ['model-qkv', 4096, 128, 384], ['model-o', 4096, 128, 128], ['model-gate-up', 4096, 128, 352],
      ['model-down', 4096, 352, 128], ['model-lm-head', 4096, 128, 1024], ['decode-lm-head', 8, 128, 1024],
    ];
    for (const [name, m, k, n] of shapes) {
      const mark = engine.mark();
      const x = filled(engine, m * k, 1); const w = filled(engine, n * k, 2); const out = engine.alloc(m * n);
      const dx = engine.alloc(m * k); const dw = engine.alloc(n * k);
      const forward = time(() => engine.linear(out, x, w, m, k, n), warm, reps);
      emit({ case: name, m, k, n, pass: 'forward', ms: round(forward, 3), gflops: round((2 * m * k * n) / forward / 1e6, 1) });
      if (name !== 'matmul') {
        const backward = time(() => engine.linearBackward(dx, dw, out, x, w, m, k, n), warm, reps);
        emit({ case: name, m, k, n, pass: 'backward', ms: round(backward, 3), gflops: round((4 * m * k * n) / backward / 1e6, 1) });
      }
      engine.release(mark);
    }

    // attention of the reference model: B 8, T 512, H 4, hs 32; causal flops 2·(2·B·H·T²/2·hs) forward
    {
      const [B, T, H, hs] = o.quick ? [2, 256, 4, 32] : [8, 512, 4, 32];
      const mark = engine.mark();
      const n = B * T * H * hs;
      const q = filled(engine, n, 3); const k = filled(engine, n, 4); const v = filled(engine, n, 5);
      const out = engine.alloc(n); const lse = engine.alloc(B * H * T);
      const dq = engine.alloc(n); const dk = engine.alloc(n); const dv = engine.alloc(n);
      const flops = 2 * B * H * T * (T + 1) * hs;
      const forward = time(() => engine.attention(out, lse, q, k, v, B, T, H, H, hs), warm, reps);
      emit({ case: 'attention', B, T, H, hs, pass: 'forward', ms: round(forward, 3), gflops: round(flops / forward / 1e6, 1) });
      const backward = time(() => engine.attentionBackward(dq, dk, dv, out, out, lse, q, k, v, B, T, H, H, hs), warm, reps);
      emit({ case: 'attention', B, T, H, hs, pass: 'backward', ms: round(backward, 3), gflops: round((2 * flops) / backward / 1e6, 1) });
      engine.release(mark);
    }

    // elementwise and per-row kernels on the reference model's activation sizes; bytes = arrays read + written
    {
      const rows = 4096; const dim = 128; const inter = 352; const V = 1024; const params = 1 << 20;
      const mark = engine.mark();
      const a = filled(engine, rows * V, 6); const b = filled(engine, rows * V, 7); const c = engine.alloc(rows * V);
      const d = engine.alloc(rows * V); const e = engine.alloc(rows * V);
      const rstd = engine.alloc(rows); const weight = filled(engine, V, 8); const lse = engine.alloc(rows);
      const targets = engine.allocInt32(rows); const weights = engine.alloc(rows).fill(1); const positions = engine.allocInt32(rows);
      for (let i = 0; i < rows; i++) { targets[i] = (i * 31) % V; positions[i] = i % 512; }
      const adam = { lr: 1e-3, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, step: 1 };
      const cases: [string, number, number, () => void][] = [
        ['add', rows * dim, 12, () => engine.add(c, a, b, rows * dim)],
        ['swiglu', rows * inter, 12, () => engine.swiglu(c, a, b, rows * inter)],
        ['swiglu-backward', rows * inter, 28, () => engine.swigluBackward(c, d, e, a, b, rows * inter)],
        ['rmsnorm', rows * dim, 8, () => engine.rmsnorm(c, rstd, a, weight, rows, dim, 1e-5)],
        ['rmsnorm-backward', rows * dim, 20, () => engine.rmsnormBackward(c, d, e, a, weight, rstd, rows, dim)],
        ['rope', rows * dim, 8, () => engine.rope(c, positions, rows, 4, 32, 10000)],
        ['log-softmax-targets', rows * V, 4, () => engine.logSoftmaxTargets(d, lse, a, targets, rows, V)],
        ['log-softmax-targets-backward', rows * V, 8, () => engine.logSoftmaxTargetsBackward(c, a, lse, targets, weights, rows, V)],
        ['adamw', params, 28, () => engine.adamw(c, a, d, e, params, adam)],
        ['sum-squares', params, 4, () => engine.sumSquares(a, params)],
      ];
      engine.logSoftmaxTargets(d, lse, a, targets, rows, V);
      for (const [name, n, bytesPerElement, fn] of cases) {
        const ms = time(fn, warm, reps);
        emit({ case: name, n, ms: round(ms, 3), nsPerElement: round((ms * 1e6) / n, 3), gbps: round((n * bytesPerElement) / ms / 1e6, 1) });
      }
      engine.release(mark);
    }
    engine.dispose();
  }
}
