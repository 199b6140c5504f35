// `npm run bench -- gguf [--model DIR] [--prompt TEXT]`: proves the GGUF export with llama.cpp itself (through node-llama-cpp).
// node-llama-cpp is not a dependency (~725 MB): it is installed on demand into the git-ignored .cache/.
// Each case exports a checkpoint, loads it on the CPU and compares llama.cpp's greedy tokens and logits with ours.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { encodeChatPrompt, specialTokenIds } from '../src/model/chat.ts';
import { loadCheckpoint, type Checkpoint } from '../src/model/checkpoint.ts';
import { presets, type LlamaConfig } from '../src/model/config.ts';
import { exportGguf } from '../src/model/gguf.ts';
import { referenceLogits } from '../src/model/reference.ts';
import { randomParams } from '../src/model/test-models.ts';
import { trainTokenizer } from '../src/model/tokenizer.ts';

export const NODE_LLAMA_CPP_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '.cache', 'node-llama-cpp');
const ENTRY = join(NODE_LLAMA_CPP_DIR, 'node_modules', 'node-llama-cpp', 'dist', 'index.js');

export function nodeLlamaCppInstalled(): boolean {
  return existsSync(ENTRY);
}

function install(): void {
  mkdirSync(NODE_LLAMA_CPP_DIR, { recursive: true });
  console.error(`installing node-llama-cpp@3 into ${NODE_LLAMA_CPP_DIR} (once, ~725 MB)...`);
  execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', NODE_LLAMA_CPP_DIR, 'node-llama-cpp@3'], { stdio: 'inherit' });
}

// The slice of node-llama-cpp's API used here.
interface LlamaSequence {
  evaluate(tokens: number[], options: { temperature: number }): AsyncGenerator<number, void, void>;
  controlledEvaluate(input: (number | [number, { generateNext: { logits: boolean } }])[]): Promise<({ next: { logits?: Map<number, number> } } | undefined)[]>;
}
interface LlamaModelHandle {
  tokenize(text: string, specialTokens: boolean): number[];
  createContext(o: { contextSize: number; threads: number; sequences: number }): Promise<{ getSequence(): LlamaSequence; dispose(): Promise<void> }>;
  dispose(): Promise<void>;
}
interface NodeLlamaCpp {
  getLlama(o: { gpu: false; build: 'never'; logLevel: string }): Promise<{ loadModel(o: { modelPath: string }): Promise<LlamaModelHandle>; dispose(): Promise<void> }>;
}

export interface LlamaCppComparison {
  promptTokens: number;
  ours: number[]; // greedy continuation, argmax of the float64 reference, up to the end-of-turn token
  llamaCpp: number[];
  /** max |logit ours − logit llama.cpp| over the vocabulary after the prompt */
  maxLogitDiff: number;
  /** max |logit| of ours there, for scale */
  maxAbsLogit: number;
  /** whether llama.cpp's own tokenizer gives our ids for the prompt text */
  tokenizationMatches: boolean;
}

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if ((row[i] as number) > (row[best] as number)) best = i;
  return best;
}

/** Exports `checkpoint` to `ggufFile`, then runs the prompt through llama.cpp and through our reference forward. */
export async function compareWithLlamaCpp(checkpoint: Checkpoint, ggufFile: string, promptText: string, steps: number): Promise<LlamaCppComparison> {
  const { config, params, tokenizer } = checkpoint;
  exportGguf(ggufFile, checkpoint);
  const prompt = Array.from(encodeChatPrompt(tokenizer, [{ role: 'user', content: promptText }]));
  const ours = [...prompt];
  for (let s = 0; s < steps; s++) {
    const logits = referenceLogits(config, params, ours);
    const next = argmax(logits.subarray((ours.length - 1) * config.vocabSize));
    if (next === config.eosTokenId) break; // llama.cpp ends generation at the end-of-turn token too
    ours.push(next);
  }
  const lastLogits = referenceLogits(config, params, prompt).subarray((prompt.length - 1) * config.vocabSize);

  const { getLlama } = (await import(pathToFileURL(ENTRY).href)) as NodeLlamaCpp;
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: 'warn' });
  const model = await llama.loadModel({ modelPath: ggufFile });
  try {
    const context = await model.createContext({ contextSize: config.maxPositionEmbeddings, threads: 1, sequences: 2 });
    const greedy: number[] = [];
    for await (const token of context.getSequence().evaluate(prompt, { temperature: 0 })) {
      greedy.push(token);
      if (greedy.length === steps) break;
    }
    const items = prompt.map((id, i): number | [number, { generateNext: { logits: boolean } }] => (i === prompt.length - 1 ? [id, { generateNext: { logits: true } }] : id));
    const results = await context.getSequence().controlledEvaluate(items);
    const theirLogits = results[prompt.length - 1]?.next.logits;
    let maxLogitDiff = theirLogits ? 0 : Infinity;
    if (theirLogits) for (let v = 0; v < config.vocabSize; v++) maxLogitDiff = Math.max(maxLogitDiff, Math.abs((theirLogits.get(v) ?? NaN) - (lastLogits[v] as number)) || 0);
    const tokenized = model.tokenize(tokenizer.decode(prompt), true);
    await context.dispose();
    return {
      promptTokens: prompt.length, ours: ours.slice(prompt.length), llamaCpp: greedy, maxLogitDiff,
      maxAbsLogit: lastLogits.reduce((most, z) => Math.max(most, Math.abs(z)), 0),
      tokenizationMatches: tokenized.join(',') === prompt.join(','),
    };
  } finally {
    await model.dispose();
    await llama.dispose();
  }
}

/** A random checkpoint with weights large enough that greedy choices are clear (not near-ties). */
export function randomCheckpoint(seed: number, overrides: Partial<LlamaConfig>): Checkpoint {
  const tokenizer = trainTokenizer(
    ['You are in the middle of a room. Looking quickly around you, you see a cabinet 1, a desk 2, and a drawer 3.', 'go to cabinet 1', 'take apple 1 from desk 2'],
    { vocabSize: 320 },
  );
  const ids = specialTokenIds(tokenizer);
  const config: LlamaConfig = {
    ...presets.tiny, vocabSize: tokenizer.vocabSize, bosTokenId: ids.bos, eosTokenId: ids.eos, padTokenId: ids.pad, ...overrides,
  };
  return { config, params: randomParams(config, seed, 0.15), tokenizer };
}

export const PROMPT = 'go to the desk 2 and take the apple';

export async function run(args: string[]): Promise<void> {
  if (!nodeLlamaCppInstalled()) install();
  const dir = mkdtempSync(join(tmpdir(), 'eto-gguf-bench-'));
  try {
    const modelAt = args.indexOf('--model');
    const promptAt = args.indexOf('--prompt');
    const prompt = promptAt >= 0 && args[promptAt + 1] !== undefined ? (args[promptAt + 1] as string) : PROMPT;
    const cases: [string, Checkpoint][] = modelAt >= 0 && args[modelAt + 1]
      ? [[args[modelAt + 1] as string, loadCheckpoint(args[modelAt + 1] as string)]]
      : [
          ['tiny tied, kv heads 1 < heads 2', randomCheckpoint(1, {})],
          ['untied, heads 4, kv heads 2', randomCheckpoint(3, { hiddenSize: 128, numAttentionHeads: 4, numKeyValueHeads: 2, tieWordEmbeddings: false })],
        ];
    let failed = false;
    for (const [name, checkpoint] of cases) {
      const result = await compareWithLlamaCpp(checkpoint, join(dir, 'model.gguf'), prompt, 8);
      const match = result.ours.join(',') === result.llamaCpp.join(',');
      failed ||= !match;
      console.log(JSON.stringify({ bench: 'gguf', case: name, match, ...result, text: checkpoint.tokenizer.decode(result.ours) }));
    }
    if (failed) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
