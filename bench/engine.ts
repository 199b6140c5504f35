// `npm run bench -- engine [--backend native,relaxed-simd,simd,wasm,reference] [--threads 1,2] [--quick] [--only CASE]`:
// kernel speed. A first line gives the core's fp32 peak: the 116 GFLOP/s of ../shared/specs/engine-measurements.md
// and this machine's, measured by the native addon's FMA loop (best of 15). Then one JSON line per case, backend
// and thread count: matmul GFLOP/s with its share of that peak (linear forward and backward, the shapes and
// the reference model's), attention GFLOP/s (causal half counted), elementwise kernels in GB/s and ns/element.
// The engines for each thread count run side by side, alternating repetitions, so machine noise hits all
// alike; each figure is a median.
import { createEngine, type Engine, type EngineOptions } from '../src/engine/index.ts';
import { loadNativeAddon } from '../src/engine/native-loader.ts';
import { median, round } from './stats.ts';

type BackendName = NonNullable<EngineOptions['backend']>;
interface Options { backends: BackendName[]; threads: number[]; quick: boolean; only: string | null }
const SPEC_PEAK_GFLOPS = 116; // per core, 256/512-bit FMA (engine-measurements.md)

function parseArgs(args: string[]): Options {
  const backends: BackendName[] = 'unavailable' in loadNativeAddon() ? ['auto'] : ['native', 'wasm'];
  const options: Options = { backends, threads: [1, 2], quick: false, only: null };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--backend') options.backends = args[++i]!.split(',') as BackendName[];
    else if (args[i] === '--threads') options.threads = args[++i]!.split(',').map(Number);
    else if (args[i] === '--quick') options.quick = true;
    else if (args[i] === '--only') options.only = args[++i]!;
    else throw new Error(`unknown bench argument ${args[i]}`);
  }
  return options;
}

interface Case {
  fields: Record<string, unknown>;
  /** Allocates the case's arrays on an engine and returns the call to time. */
  setup(engine: Engine): () => void;
  /** The figures for a median time in ms. */
  report(ms: number): Record<string, number>;
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


function matmulCases(): Case[] {
  const shapes: [string, number, number, number][] = [
    ['matmul', 256, 256, 256], ['matmul', 1024, 128, 512], ['matmul', 512, 512, 512],
    ['model-qkv', 4096, 128, 384], ['model-o', 4096, 128, 128], ['model-gate-up', 4096, 128, 352],
    ['model-down', 4096, 352, 128], ['model-lm-head', 4096, 128, 1024], ['decode-lm-head', 8, 128, 1024],
  ];
  const cases: Case[] = [];
  for (const [name, m, k, n] of shapes) {
    // out (m, n) = x (m, k) · wᵀ; backward = dx and dw, twice the flops
    cases.push({
      fields: { case: name, m, k, n, pass: 'forward' },
      setup(engine) {
        const x = filled(engine, m * k, 1); const w = filled(engine, n * k, 2); const out = engine.alloc(m * n);
        return () => engine.linear(out, x, w, m, k, n);
      },
      report: (ms) => ({ ms: round(ms, 3), gflops: round((2 * m * k * n) / ms / 1e6, 1) }),
    });
    if (name === 'matmul') continue;
    cases.push({
      fields: { case: name, m, k, n, pass: 'backward' },
      setup(engine) {
        const x = filled(engine, m * k, 1); const w = filled(engine, n * k, 2); const dout = filled(engine, m * n, 3);
        const dx = engine.alloc(m * k); const dw = engine.alloc(n * k);
        return () => engine.linearBackward(dx, dw, dout, x, w, m, k, n);
      },
      report: (ms) => ({ ms: round(ms, 3), gflops: round((4 * m * k * n) / ms / 1e6, 1) }),
    });
  }
  return cases;
}

function attentionCases(quick: boolean): Case[] {
  // the reference model: B 8, T 512, H 4, hs 32; causal forward flops 2·2·B·H·T(T+1)/2·hs, backward twice that
  const [B, T, H, hs] = quick ? [2, 256, 4, 32] : [8, 512, 4, 32];
  const n = B * T * H * hs;
  const flops = 2 * B * H * T * (T + 1) * hs;
  const tensors = (engine: Engine) => ({
    q: filled(engine, n, 3), k: filled(engine, n, 4), v: filled(engine, n, 5), out: engine.alloc(n), lse: engine.alloc(B * H * T),
  });
  return [{
    fields: { case: 'attention', B, T, H, hs, pass: 'forward' },
    setup(engine) {
      const t = tensors(engine);
      return () => engine.attention(t.out, t.lse, t.q, t.k, t.v, B, T, H, H, hs);
    },
    report: (ms) => ({ ms: round(ms, 3), gflops: round(flops / ms / 1e6, 1) }),
  }, {
    fields: { case: 'attention', B, T, H, hs, pass: 'backward' },
    setup(engine) {
      const t = tensors(engine);
      const dq = engine.alloc(n); const dk = engine.alloc(n); const dv = engine.alloc(n);
      engine.attention(t.out, t.lse, t.q, t.k, t.v, B, T, H, H, hs);
      return () => engine.attentionBackward(dq, dk, dv, t.out, t.out, t.lse, t.q, t.k, t.v, B, T, H, H, hs);
    },
    report: (ms) => ({ ms: round(ms, 3), gflops: round((2 * flops) / ms / 1e6, 1) }),
  }, {
    // one new token for each of 16 sequences against a 320-position cache (the generate bench's shapes)
    fields: { case: 'attention-decode', B: 16, maxT: 320, H, hs },
    setup(engine) {
      const q = filled(engine, 16 * H * hs, 6); const cache = filled(engine, 16 * 320 * H * hs, 7); const out = engine.alloc(16 * H * hs);
      const lengths = engine.allocInt32(16).fill(320);
      return () => engine.attentionDecode(out, q, cache, cache, lengths, 16, 320, H, H, hs);
    },
    report: (ms) => ({ ms: round(ms, 4), gflops: round((4 * 16 * H * 320 * hs) / ms / 1e6, 1) }),
  }];
}

function elementwiseCases(): Case[] {
  // the reference model's activation sizes; bytes = arrays read + written per element
  const rows = 4096; const dim = 128; const inter = 352; const V = 1024; const params = 1 << 20;
  const kernels: [string, number, number, (e: Engine, a: Record<string, Float32Array>, ids: Int32Array) => () => void][] = [
    ['add', rows * dim, 12, (e, a) => () => e.add(a.c!, a.a!, a.b!, rows * dim)],
    ['swiglu', rows * inter, 12, (e, a) => () => e.swiglu(a.c!, a.a!, a.b!, rows * inter)],
    ['swiglu-backward', rows * inter, 28, (e, a) => () => e.swigluBackward(a.c!, a.d!, a.e!, a.a!, a.b!, rows * inter)],
    ['rmsnorm', rows * dim, 8, (e, a) => () => e.rmsnorm(a.c!, a.rstd!, a.a!, a.weight!, rows, dim, 1e-5)],
    ['rmsnorm-backward', rows * dim, 20, (e, a) => () => e.rmsnormBackward(a.c!, a.d!, a.e!, a.a!, a.weight!, a.rstd!, rows, dim)],
    ['rope', rows * dim, 8, (e, a, ids) => () => e.rope(a.c!, ids, rows, 4, 32, 10000)],
    ['log-softmax-targets', rows * V, 4, (e, a, ids) => () => e.logSoftmaxTargets(a.d!, a.lse!, a.a!, ids, rows, V)],
    ['log-softmax-targets-backward', rows * V, 8, (e, a, ids) => {
      e.logSoftmaxTargets(a.d!, a.lse!, a.a!, ids, rows, V);
      return () => e.logSoftmaxTargetsBackward(a.c!, a.a!, a.lse!, ids, a.weights!, rows, V);
    }],
    ['adamw', params, 28, (e, a) => {
      const o = { lr: 1e-3, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, step: 1 };
      return () => e.adamw(a.c!, a.a!, a.d!, a.e!, params, o);
    }],
    ['sum-squares', params, 4, (e, a) => () => void e.sumSquares(a.a!, params)],
  ];
  return kernels.map(([name, n, bytesPerElement, make]) => ({
    fields: { case: name, n },
    setup(engine) {
      const a: Record<string, Float32Array> = {
        a: filled(engine, rows * V, 6), b: filled(engine, rows * V, 7), c: engine.alloc(rows * V), d: engine.alloc(rows * V),
        e: engine.alloc(rows * V), rstd: engine.alloc(rows), weight: filled(engine, V, 8), lse: engine.alloc(rows),
        weights: engine.alloc(rows).fill(1),
      };
      const ids = engine.allocInt32(rows);
      for (let i = 0; i < rows; i++) ids[i] = (i * 31) % 512; // targets below V, positions below 512
      return make(engine, a, ids);
    },
    report: (ms) => ({ ms: round(ms, 3), nsPerElement: round((ms * 1e6) / n, 3), gbps: round((n * bytesPerElement) / ms / 1e6, 1) }),
  }));
}

export async function run(args: string[]): Promise<void> {
  const o = parseArgs(args);
  const warmMs = o.quick ? 100 : 400;
  const reps = o.quick ? 5 : 11;
  const minSampleMs = o.quick ? 50 : 300;
  const addon = loadNativeAddon();
  const measured = 'unavailable' in addon ? null
    : Math.max(...Array.from({ length: 15 }, () => addon.fmaPeakGflops(1 << 21))); // ~5 ms each: one idle slice suffices
  console.log(JSON.stringify({
    bench: 'engine', peak_gflops_per_core: { spec: SPEC_PEAK_GFLOPS, measured: measured && round(measured, 1) },
    vector_bits: 'unavailable' in addon ? null : addon.vectorBits(),
  }));
  const peak = measured ?? SPEC_PEAK_GFLOPS;
  const engines = await Promise.all(o.backends.flatMap((backend) =>
    o.threads.map((threads) => createEngine({ backend, threads }))));
  const cases = [...matmulCases(), ...attentionCases(o.quick), ...elementwiseCases()];
  for (const c of cases.filter((x) => o.only === null || x.fields.case === o.only)) {
    const marks = engines.map((engine) => engine.mark());
    const calls = engines.map((engine) => c.setup(engine));
    const samples = calls.map((): number[] => []);
    const warmEnd = performance.now() + warmMs;
    do for (const call of calls) call(); while (performance.now() < warmEnd);
    // at least `reps` repetitions and at least `minSampleMs` of them: a 3 ms call gets ~100 samples, so one
    // descheduled slice of the shared vCPUs does not move the median
    const sampleEnd = performance.now() + minSampleMs * calls.length;
    for (let rep = 0; rep < reps || performance.now() < sampleEnd; rep++) {
      calls.forEach((call, i) => {
        const start = performance.now();
        call();
        samples[i]!.push(performance.now() - start);
      });
    }
    engines.forEach((engine, i) => {
      const figures = c.report(median(samples[i]!));
      const share = figures.gflops === undefined ? {} : { pct_of_peak: round((100 * figures.gflops) / (peak * engine.threads), 1) };
      const line = { bench: 'engine', backend: engine.backend, threads: engine.threads, ...c.fields, ...figures, ...share };
      console.log(JSON.stringify(line));
      engine.release(marks[i]!);
    });
  }
  for (const engine of engines) engine.dispose();
}
