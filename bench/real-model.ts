// `npm run bench -- real-model [--threads 1,2] [--runs N] [--no-torch]`: SmolLM2-135M-Instruct (imported from the
// fetched GGUF, float32) in eto's engine and in transformers on the same CPU in the same run, one JSON line per
// thread count: tokens/s for scoring (forward + log-softmax), LoRA training (rank 8 on all 7 projections, base
// frozen; peft on the other side), full-parameter training (forward + backward) and batched greedy generation.
// Needs `npm run fetch-model --
// smollm2`; transformers runs when ETO_PYTHON (or .venv) imports torch and transformers.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../src/engine/index.ts';
import { fromHfConfig } from '../src/model/checkpoint.ts';
import { importGguf } from '../src/model/gguf-import.ts';
import { cachedModelPath, KNOWN_MODELS } from '../src/model/known-models.ts';
import { createModel } from '../src/model/llama.ts';
import { decodeSafetensors } from '../src/model/safetensors.ts';
import { generate } from '../src/model/sampler.ts';
import { sequenceLogProbs } from '../src/model/sequence-logprobs.ts';
import { Rng } from '../src/rng.ts';
import { findPython } from '../test/helpers/python-env.ts';
import { BENCH_LORA, loraTrainSeconds, randomBatch, timed, trainPass } from './model-timing.ts';
import { round } from './stats.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const FORWARD: [number, number] = [4, 256];
const TRAIN: [number, number] = [2, 256];
const GENERATE: [number, number, number] = [8, 64, 32]; // prompts, prompt tokens, new tokens
/** KV cache and workspace are sized by the context; the bench's sequences need far less than 8192. */
const BENCH_CONTEXT = 512;

interface Options {
  threads: number[];
  runs: number;
  torch: boolean;
}

function parseArgs(args: string[]): Options {
  const o: Options = { threads: [1, 2], runs: 3, torch: true };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    if (flag === '--no-torch') o.torch = false;
    else if (flag === '--threads') o.threads = (args[++i] ?? '').split(',').map(Number);
    else if (flag === '--runs') o.runs = Number(args[++i]);
    else throw new Error(`unknown real-model argument ${flag}`);
  }
  return o;
}

function modelDir(): string {
  const model = KNOWN_MODELS.smollm2;
  if (!model) throw new Error('smollm2 is not a known model');
  const gguf = cachedModelPath(join(repoRoot, '.cache/models'), 'smollm2', model);
  if (!existsSync(gguf)) throw new Error(`no ${gguf}: run \`npm run fetch-model -- smollm2\` first`);
  const dir = join(repoRoot, '.cache/models/smollm2/hf-f32');
  if (!existsSync(join(dir, 'model.safetensors'))) importGguf(gguf, dir);
  return dir;
}

export async function run(args: string[]): Promise<void> {
  const o = parseArgs(args);
  const dir = modelDir();
  const config = {
    ...fromHfConfig(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')), 'config.json'),
    maxPositionEmbeddings: BENCH_CONTEXT,
  };
  const { tensors } = decodeSafetensors(
    new Uint8Array(readFileSync(join(dir, 'model.safetensors'))),
    'model.safetensors',
  );
  const params = new Map([...tensors].map(([name, t]) => [name, t.data]));
  const lookup = o.torch ? findPython(['torch', 'transformers', 'peft']) : undefined;
  const python = lookup?.found ? lookup.env.python : undefined;
  const rng = new Rng(0);
  const forwardBatch = randomBatch(rng, ...FORWARD, config.vocabSize);
  const trainBatch = randomBatch(rng, ...TRAIN, config.vocabSize);
  const prompts = randomBatch(rng, GENERATE[0], GENERATE[1], config.vocabSize).ids;
  for (const threads of o.threads) {
    const engine = await createEngine({ threads });
    const model = createModel(engine, config, { params });
    const forward = timed(o.runs, () => void sequenceLogProbs(model, forwardBatch));
    const loraTrain = loraTrainSeconds(model, trainBatch, o.runs);
    const train = timed(o.runs, () => trainPass(model, trainBatch));
    const gen = timed(o.runs, () => {
      generate(model, prompts, { maxNewTokens: GENERATE[2], temperature: 0, topP: 1, seed: 0, stopTokenIds: [] });
    });
    engine.dispose();
    const line: Record<string, unknown> = {
      bench: 'real-model',
      model: 'SmolLM2-135M-Instruct (Q4_1 GGUF → f32)',
      backend: engine.backend,
      threads,
      forward_tokens_per_s: round((FORWARD[0] * FORWARD[1]) / forward),
      lora_train_tokens_per_s: round((TRAIN[0] * TRAIN[1]) / loraTrain),
      train_tokens_per_s: round((TRAIN[0] * TRAIN[1]) / train),
      lora: { r: BENCH_LORA.rank, alpha: BENCH_LORA.alpha, targets: 'all 7 projections' },
      generate_tokens_per_s: round((GENERATE[0] * GENERATE[2]) / gen),
      shapes: { forward: FORWARD, train: TRAIN, generate: GENERATE },
    };
    if (python) {
      const torch = JSON.parse(
        execFileSync(python, [join(repoRoot, 'python/real_model_bench.py')], {
          input: JSON.stringify({
            model: dir,
            threads,
            forward: FORWARD,
            train: TRAIN,
            generate: GENERATE,
            runs: o.runs,
            lora: { r: BENCH_LORA.rank, alpha: BENCH_LORA.alpha, targets: BENCH_LORA.targets },
          }),
          encoding: 'utf8',
          stdio: ['pipe', 'pipe', 'ignore'],
        }),
      ) as Record<string, number | string>;
      line.transformers = Object.fromEntries(
        Object.entries(torch).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v]),
      );
      // eto ÷ transformers, measured side by side on the same CPU
      line.ratio = Object.fromEntries(['forward', 'lora_train', 'train', 'generate'].map((kind) => {
        const key = `${kind}_tokens_per_s`;
        return [kind, round(Number(line[key]) / Number(torch[key]), 2)];
      }));
    } else {
      line.transformers = o.torch
        ? 'skipped: no ETO_PYTHON/.venv with torch, transformers and peft'
        : 'skipped: --no-torch';
    }
    console.log(JSON.stringify(line));
  }
}
