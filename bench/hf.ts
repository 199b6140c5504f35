// `npm run bench -- hf [--shapes 135m,0.5b] [--threads 1,2] [--runs N] [--no-torch]`: bring-your-own-model speed
// (#16 item 5) on random BF16 checkpoints of real shapes (SmolLM2-135M; Qwen2.5-0.5B's dims as a plain Llama),
// written once under .cache/bench-hf/. Per shape, a child process loads the checkpoint into eto's engine (load
// seconds and peak RSS, without gradient buffers), then per thread count: scoring tokens/s (forward +
// log-softmax), LoRA training tokens/s (rank 8 on all 7 projections: forward + backward with the base frozen)
// and full training tokens/s (every weight, in a fresh engine, where it fits), side by side with PyTorch
// (transformers' LlamaForCausalLM + peft, float32, python/real_model_bench.py) on the same checkpoint.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findPython } from '../test/helpers/python-env.ts';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../src/engine/index.ts';
import { hfParameterShapes } from '../src/model/hf-checkpoint.ts';
import { parseHfConfig } from '../src/model/hf-config.ts';
import { saveHfModel } from '../src/model/hf-save.ts';
import { loadHfIntoEngine } from '../src/model/hf-to-llama.ts';
import type { LlamaModel } from '../src/model/llama.ts';
import { sequenceLogProbs, type ScoredBatch } from '../src/model/sequence-logprobs.ts';
import { Rng } from '../src/rng.ts';
import { BENCH_LORA, loraTrainSeconds, randomBatch, timed, trainPass } from './model-timing.ts';
import { round } from './stats.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const FORWARD: [number, number] = [2, 256];
const TRAIN: [number, number] = [1, 256];

const SHAPES: Record<string, Record<string, unknown>> = {
  '135m': { hidden_size: 576, intermediate_size: 1536, num_hidden_layers: 30, num_attention_heads: 9,
    num_key_value_heads: 3, vocab_size: 49152, rope_theta: 100000 },
  '0.5b': { hidden_size: 896, intermediate_size: 4864, num_hidden_layers: 24, num_attention_heads: 14,
    num_key_value_heads: 2, vocab_size: 151936, rope_theta: 1000000 },
};

/** A random BF16 checkpoint of `shape` (normal(0, 0.02) weights, unit norms), written once. */
function ensureCheckpoint(shape: string): string {
  const dir = join(repoRoot, '.cache/bench-hf', shape);
  if (existsSync(join(dir, 'config.json'))) return dir;
  const configJson = { architectures: ['LlamaForCausalLM'], model_type: 'llama', hidden_act: 'silu', rms_norm_eps: 1e-5,
    max_position_embeddings: 2048, tie_word_embeddings: true, bos_token_id: 1, eos_token_id: 2, ...SHAPES[shape] };
  const config = parseHfConfig(configJson, 'config.json');
  const rng = new Rng(7);
  const params = new Map<string, Float32Array>();
  for (const [name, dims] of hfParameterShapes(config)) {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    if (name.endsWith('norm.weight')) data.fill(1);
    else for (let i = 0; i < data.length; i++) data[i] = 0.02 * rng.normal();
    params.set(name, data);
  }
  saveHfModel(dir, { config, params, storedDtype: 'BF16', configJson }, 'BF16');
  return dir;
}

/** Full fine-tuning tokens/s in a fresh engine (weights + a gradient for each), or why it does not fit. */
async function fullTraining(dir: string, threads: number, runs: number, batch: ScoredBatch): Promise<number | string> {
  const engine = await createEngine({ threads });
  try {
    const model = loadHfIntoEngine(engine, dir);
    return round((TRAIN[0] * TRAIN[1]) / timed(runs, () => trainPass(model, batch)));
  } catch (error) {
    return `does not fit: ${(error as Error).message.split(';')[0]}`;
  } finally {
    engine.dispose();
  }
}

/** In the child: per thread count, load (time, peak RSS), score, LoRA-train, full-train; PyTorch beside it. */
async function measure(shape: string, threadCounts: number[], runs: number, torch: boolean): Promise<void> {
  const dir = ensureCheckpoint(shape);
  const rng = new Rng(0);
  const lookup = torch ? findPython(['torch', 'transformers', 'peft']) : undefined;
  const python = lookup?.found ? lookup.env.python : undefined;
  for (const [index, threads] of threadCounts.entries()) {
    const engine = await createEngine({ threads });
    const started = performance.now();
    let model: LlamaModel;
    try {
      model = loadHfIntoEngine(engine, dir, { grads: false }); // inference and LoRA need no gradient of W
    } catch (error) {
      console.log(JSON.stringify({ bench: 'hf', shape, threads, error: (error as Error).message }));
      engine.dispose();
      return;
    }
    const loadSeconds = (performance.now() - started) / 1000;
    // peak RSS of this process after its first load only (later loads add to the same process's peak)
    const peakRssMb = index === 0 ? round(process.resourceUsage().maxRSS / 1024) : undefined;
    const V = model.config.vocabSize;
    const forwardBatch = randomBatch(rng, ...FORWARD, V);
    const trainBatch = randomBatch(rng, ...TRAIN, V);
    const forward = timed(runs, () => void sequenceLogProbs(model, forwardBatch));
    const loraTrain = loraTrainSeconds(model, trainBatch, runs);
    engine.dispose();
    const full = await fullTraining(dir, threads, runs, trainBatch);
    const tokens = TRAIN[0] * TRAIN[1];
    const line: Record<string, unknown> = {
      bench: 'hf', shape, dtype: 'bf16 on disk, f32 in the engine', backend: engine.backend, threads,
      load_s: round(loadSeconds, 2), ...(peakRssMb === undefined ? {} : { peak_rss_mb_after_first_load: peakRssMb }),
      forward_tokens_per_s: round((FORWARD[0] * FORWARD[1]) / forward),
      lora_train_tokens_per_s: round(tokens / loraTrain), train_tokens_per_s: full,
      lora: { r: BENCH_LORA.rank, alpha: BENCH_LORA.alpha, targets: 'all 7 projections' },
      shapes: { forward: FORWARD, train: TRAIN },
    };
    if (python) {
      const request = { model: dir, threads, forward: FORWARD, train: TRAIN, generate: [1, 8, 2], runs,
        lora: { r: BENCH_LORA.rank, alpha: BENCH_LORA.alpha, targets: BENCH_LORA.targets },
        full_train: typeof full === 'number' };
      const theirs = JSON.parse(execFileSync(python, [join(repoRoot, 'python/real_model_bench.py')], {
        input: JSON.stringify(request), encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'], maxBuffer: 1 << 24,
      })) as Record<string, number>;
      const ratio = (ours: unknown, key: string): number | string =>
        typeof ours === 'number' && theirs[key] ? round(ours / theirs[key], 2) : 'n/a';
      line.pytorch = {
        forward_tokens_per_s: round(theirs.forward_tokens_per_s ?? NaN),
        lora_train_tokens_per_s: round(theirs.lora_train_tokens_per_s ?? NaN),
        train_tokens_per_s: theirs.train_tokens_per_s === undefined ? 'n/a' : round(theirs.train_tokens_per_s),
      };
      line.ratio_vs_pytorch = {
        forward: ratio(line.forward_tokens_per_s, 'forward_tokens_per_s'),
        lora_train: ratio(line.lora_train_tokens_per_s, 'lora_train_tokens_per_s'),
        train: ratio(full, 'train_tokens_per_s'),
      };
    } else {
      line.pytorch = torch ? 'skipped: no ETO_PYTHON/.venv with torch, transformers and peft' : 'skipped: --no-torch';
    }
    console.log(JSON.stringify(line));
  }
}

export async function run(args: string[]): Promise<void> {
  const value = (flag: string, fallback: string): string => (args.includes(flag) ? (args[args.indexOf(flag) + 1] as string) : fallback);
  const shapes = value('--shapes', '135m,0.5b').split(',');
  const threads = value('--threads', '1,2').split(',').map(Number);
  const runs = Number(value('--runs', '3'));
  const torch = !args.includes('--no-torch');
  const child = value('--child', '');
  if (child !== '') return measure(child, threads, runs, torch);
  for (const shape of shapes) {
    if (!SHAPES[shape]) throw new Error(`unknown shape ${shape}; known: ${Object.keys(SHAPES).join(', ')}`);
    // one process per shape, so that peak RSS is this shape's alone
    execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench/run.ts'), 'hf', '--child', shape,
      '--threads', threads.join(','), '--runs', String(runs), ...(torch ? [] : ['--no-torch'])], { stdio: 'inherit' });
  }
}
