// `npm run bench -- generate [--threads 1,2] [--rounds R] [--runs N] [--warmup N] [--no-torch] [--batch B] [--prompt P] [--new N] [--shared S]`:
// batched greedy KV-cache generation (reference config; B 16 prompts of 256 tokens, 64 new tokens each), end-to-end
// tokens/s (median), with PyTorch's greedy KV-cache decoding of the same shapes in the same run when available;
// rounds alternate ours and PyTorch's so both see the same (shared, noisy) machine. --shared S makes the first S
// prompt tokens common to all prompts (a system prompt / in-context example), which PyTorch's yardstick cannot mimic.
import { createEngine } from '../src/engine/index.ts';
import { presets, type LlamaConfig } from '../src/model/config.ts';
import { createModel } from '../src/model/llama.ts';
import { generate } from '../src/model/sampler.ts';
import { Rng } from '../src/rng.ts';
import { median, round } from './stats.ts';
import { runTorch, torchAvailable } from './torch-yardstick.ts';

interface Options { threads: number[]; rounds: number; runs: number; warmup: number; torch: boolean; batch: number; prompt: number; newTokens: number; shared: number }

function parseArgs(args: string[]): Options {
  const o: Options = { threads: [1, 2], rounds: 3, runs: 5, warmup: 2, torch: true, batch: 16, prompt: 256, newTokens: 64, shared: 0 };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    if (flag === '--no-torch') o.torch = false;
    else if (flag === '--threads') o.threads = args[++i]!.split(',').map(Number);
    else if (flag === '--rounds') o.rounds = Number(args[++i]);
    else if (flag === '--runs') o.runs = Number(args[++i]);
    else if (flag === '--warmup') o.warmup = Number(args[++i]);
    else if (flag === '--batch') o.batch = Number(args[++i]);
    else if (flag === '--prompt') o.prompt = Number(args[++i]);
    else if (flag === '--new') o.newTokens = Number(args[++i]);
    else if (flag === '--shared') o.shared = Number(args[++i]);
    else throw new Error(`unknown generate argument ${flag}`);
  }
  return o;
}

export async function run(args: string[]): Promise<void> {
  const o = parseArgs(args);
  const config: LlamaConfig = {
    ...presets.small, maxPositionEmbeddings: Math.max(presets.small.maxPositionEmbeddings, o.prompt + o.newTokens),
    bosTokenId: 0, eosTokenId: 1, padTokenId: 2,
  };
  const withTorch = o.torch && torchAvailable();
  const rng = new Rng(0);
  const prefix = Int32Array.from({ length: o.shared }, () => rng.int(config.vocabSize));
  const prompts = Array.from({ length: o.batch }, () => Int32Array.from({ length: o.prompt }, (_, t) => (t < o.shared ? prefix[t]! : rng.int(config.vocabSize))));
  const options = { maxNewTokens: o.newTokens, temperature: 0, topP: 1, seed: 0, stopTokenIds: [] };
  for (const threads of o.threads) {
    const engine = await createEngine({ threads });
    const model = createModel(engine, config, { seed: 1 });
    const timed = (maxNewTokens: number): number[] => {
      for (let i = 0; i < o.warmup; i++) generate(model, prompts, { ...options, maxNewTokens });
      return Array.from({ length: o.runs }, () => {
        const start = performance.now();
        const out = generate(model, prompts, { ...options, maxNewTokens });
        const ms = performance.now() - start;
        if (out.some((tokens) => tokens.length !== maxNewTokens)) throw new Error('a sequence ended early');
        return ms;
      });
    };
    const total: number[] = [];
    const prefill: number[] = [];
    const torchRuns: Record<string, unknown>[] = [];
    const ratios: number[] = []; // per round: our median end-to-end rate vs PyTorch's, run back to back
    for (let r = 0; r < o.rounds; r++) {
      total.push(...timed(o.newTokens));
      prefill.push(...timed(1)); // prefill and the first token only
      if (withTorch && o.shared === 0) {
        const torch = runTorch(threads, ['--generate', '--gen-batch', String(o.batch), '--prompt-len', String(o.prompt),
          '--new-tokens', String(o.newTokens), '--steps', String(o.runs), '--warmup', String(o.warmup)]);
        if (torch) torchRuns.push(torch);
        const torchRate = torch?.e2e_tokens_per_s;
        if (typeof torchRate === 'number') ratios.push((o.batch * o.newTokens) / (median(total.slice(-o.runs)) / 1000) / torchRate);
      }
    }
    engine.dispose();
    const totalMs = median(total);
    const prefillMs = median(prefill);
    const e2e = (o.batch * o.newTokens) / (totalMs / 1000);
    const line: Record<string, unknown> = {
      bench: 'generate', backend: engine.backend, threads, tokens_per_s: round(e2e),
      total_ms_median: round(totalMs), prefill_ms_median: round(prefillMs),
      decode_tokens_per_s: round((o.batch * (o.newTokens - 1)) / ((totalMs - prefillMs) / 1000)),
      config: { batch: o.batch, prompt: o.prompt, shared_prefix: o.shared, new_tokens: o.newTokens, kv_heads: config.numKeyValueHeads, greedy: true },
      rounds: o.rounds,
    };
    if (withTorch && o.shared === 0) {
      const pick = (key: string): number[] => torchRuns.map((t) => t[key]).filter((x): x is number => typeof x === 'number');
      const torchRates = pick('e2e_tokens_per_s');
      const torchTokensPerS = torchRates.length ? median(torchRates) : null;
      line.torch_tokens_per_s = torchTokensPerS;
      line.ratio = torchTokensPerS ? round(e2e / torchTokensPerS, 2) : null;
      line.torch_tokens_per_s_by_round = torchRates;
      line.ratio_by_round = ratios.map((x) => round(x, 2));
      line.torch_prefill_ms_median = pick('prefill_ms_median').length ? median(pick('prefill_ms_median')) : null;
      line.torch_decode_tokens_per_s = pick('decode_tokens_per_s').length ? median(pick('decode_tokens_per_s')) : null;
    }
    console.log(JSON.stringify(line));
  }
}
