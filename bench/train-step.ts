// `npm run bench -- train-step [--threads 1,2] [--engines native,wasm] [--rounds R] [--steps N] [--warmup N] [--no-torch]
//   [--ctx T] [--batch B] [--kv-heads K]`:
// one training step (sequenceLogProbs forward + backward + AdamW) on the reference config, tokens/s (median), and
// PyTorch's tokens/s for the same config in the same run when Debian's python3-torch is installed. Rounds alternate
// ours and PyTorch's so that both see the same (shared, noisy) machine; medians over all rounds. With several
// engines (default: native and wasm where the addon is built) a last line per thread count gives their ratio.
import { createEngine, type EngineChoice } from '../src/engine/index.ts';
import { loadNativeAddon } from '../src/engine/native-loader.ts';
import { presets, type LlamaConfig } from '../src/model/config.ts';
import { createModel, zeroGrads } from '../src/model/llama.ts';
import { createAdamW } from '../src/model/optimizer.ts';
import { sequenceLogProbs } from '../src/model/sequence-logprobs.ts';
import { Rng } from '../src/rng.ts';
import { median, round } from './stats.ts';
import { runTorch, torchAvailable } from './torch-yardstick.ts';

interface Options { threads: number[]; engines: EngineChoice[]; rounds: number; steps: number; warmup: number; torch: boolean; ctx: number; batch: number; kvHeads: number }

function parseArgs(args: string[]): Options {
  const engines: EngineChoice[] = 'unavailable' in loadNativeAddon() ? ['wasm'] : ['native', 'wasm'];
  const o: Options = { threads: [1, 2], engines, rounds: 3, steps: 5, warmup: 2, torch: true, ctx: 512, batch: 8, kvHeads: 4 };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    if (flag === '--no-torch') o.torch = false;
    else if (flag === '--threads') o.threads = args[++i]!.split(',').map(Number);
    else if (flag === '--engines') o.engines = args[++i]!.split(',') as EngineChoice[];
    else if (flag === '--rounds') o.rounds = Number(args[++i]);
    else if (flag === '--steps') o.steps = Number(args[++i]);
    else if (flag === '--warmup') o.warmup = Number(args[++i]);
    else if (flag === '--ctx') o.ctx = Number(args[++i]);
    else if (flag === '--batch') o.batch = Number(args[++i]);
    else if (flag === '--kv-heads') o.kvHeads = Number(args[++i]);
    else throw new Error(`unknown train-step argument ${flag}`);
  }
  return o;
}

export async function run(args: string[]): Promise<void> {
  const o = parseArgs(args);
  const config: LlamaConfig = {
    ...presets.small, numKeyValueHeads: o.kvHeads, maxPositionEmbeddings: o.ctx + 1, bosTokenId: 0, eosTokenId: 1, padTokenId: 2,
  };
  const withTorch = o.torch && torchAvailable();
  const rng = new Rng(0);
  // B sequences of ctx + 1 random tokens, every next token scored: B·ctx tokens per step, as in the torch bench
  const ids = Array.from({ length: o.batch }, () => Int32Array.from({ length: o.ctx + 1 }, () => rng.int(config.vocabSize)));
  const mask = ids.map((seq) => Uint8Array.from(seq, (_, t) => (t === 0 ? 0 : 1)));
  const tokens = o.batch * o.ctx;
  const weights = new Float64Array(o.batch).fill(-1 / tokens); // mean cross-entropy
  for (const threads of o.threads) {
    const rates: Record<string, number> = {};
    for (const choice of o.engines) {
    const engine = await createEngine({ threads, backend: choice });
    const model = createModel(engine, config, { seed: 1 });
    const optimizer = createAdamW(model, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 });
    const losses: number[] = [];
    const step = (): void => {
      zeroGrads(model);
      const scores = sequenceLogProbs(model, { ids, mask }, { grad: true });
      scores.backward(weights);
      optimizer.step(1e-3);
      losses.push(-scores.logProbs.reduce((a, b) => a + b, 0) / tokens);
    };
    const times: number[] = [];
    const ratios: number[] = []; // per round: our median step vs PyTorch's, run back to back
    const torchRuns: Record<string, unknown>[] = [];
    for (let r = 0; r < o.rounds; r++) {
      for (let i = 0; i < o.warmup; i++) step();
      for (let i = 0; i < o.steps; i++) {
        const start = performance.now();
        step();
        times.push(performance.now() - start);
      }
      if (withTorch) {
        const torch = runTorch(threads, ['--ctx', String(o.ctx), '--batch', String(o.batch), '--kv-heads', String(o.kvHeads),
          '--steps', String(o.steps), '--warmup', String(o.warmup)]);
        if (torch) torchRuns.push(torch);
        const torchMs = torch?.step_ms_median;
        if (typeof torchMs === 'number') ratios.push(torchMs / median(times.slice(-o.steps)));
      }
    }
    engine.dispose();
    const stepMs = median(times);
    const tokensPerS = tokens / (stepMs / 1000);
    const line: Record<string, unknown> = {
      bench: 'train-step', backend: engine.backend, threads, tokens_per_s: round(tokensPerS),
      step_ms_median: round(stepMs), step_ms_min: round(Math.min(...times)), step_ms_max: round(Math.max(...times)),
      loss_first_last: [round(losses[0]!, 4), round(losses[losses.length - 1]!, 4)],
      config: { vocab: config.vocabSize, hidden: config.hiddenSize, layers: config.numHiddenLayers, heads: config.numAttentionHeads,
        kv_heads: config.numKeyValueHeads, intermediate: config.intermediateSize, ctx: o.ctx, batch: o.batch, tied: true },
      rounds: o.rounds,
    };
    if (withTorch) {
      const torchRates = torchRuns.map((t) => t.tokens_per_s).filter((x): x is number => typeof x === 'number');
      const torchTokensPerS = torchRates.length ? median(torchRates) : null;
      line.torch_tokens_per_s = torchTokensPerS;
      line.ratio = torchTokensPerS ? round(tokensPerS / torchTokensPerS, 2) : null;
      line.torch_tokens_per_s_by_round = torchRates;
      line.ratio_by_round = ratios.map((r) => round(r, 2));
      const torchBest = torchRuns.map((t) => t.step_ms_min).filter((x): x is number => typeof x === 'number');
      line.ratio_best = torchBest.length ? round(Math.min(...torchBest) / Math.min(...times), 2) : null; // least disturbed steps
      line.torch_blas = torchRuns[0]?.blas_libs_loaded ?? null;
    }
    console.log(JSON.stringify(line));
    rates[engine.backend] = tokensPerS;
    }
    const wasm = rates['relaxed-simd'] ?? rates.simd;
    if (rates.native && wasm) {
      console.log(JSON.stringify({ bench: 'train-step', threads, native_vs_wasm: round(rates.native / wasm, 2) }));
    }
  }
}
