// generate(): batched KV-cache sampling for many prompts of different lengths at once (greedy, temperature, top-p).
// Each prompt draws from its own Rng stream (seed, index), so its output does not depend on the rest of the batch.
// Finished sequences leave the decode rows; the rest stay in their cache slots. Decoding ids to text and stop strings
// are the caller's job.
import { ShapeError } from '../errors.ts';
import { Rng } from '../rng.ts';
import type { LlamaModel } from './llama.ts';
import { decode, kvDecoderFor, prefillGroup, prefillLogits, type KvDecoder } from './kv-cache.ts';
import type { SharedReads } from './shared-reads.ts';

export interface GenerateOptions {
  maxNewTokens: number;
  /** 0 = greedy */
  temperature: number;
  topP: number;
  seed: number;
  /** generation of a sequence ends at any of these (not included in the output) */
  stopTokenIds: number[];
  /** called after each appended token; true ends that sequence (the token stays), e.g. stop strings on decoded text */
  shouldStop?: (index: number, generated: readonly number[]) => boolean;
}

/** Most rows one prefill pass handles; longer batches are split into groups of similar length. */
const PREFILL_ROWS = 8192;

/**
 * Returns the new tokens per prompt. A sequence also ends when prompt + output reaches maxPositionEmbeddings.
 * Prompts must be non-empty and shorter than maxPositionEmbeddings (ShapeError otherwise).
 */
export function generate(model: LlamaModel, prompts: Int32Array[], options: GenerateOptions): Int32Array[] {
  const longest = checkPrompts(model, prompts, options);
  const { maxNewTokens } = options;
  const cfg = model.config;
  const B = prompts.length;
  if (B === 0 || maxNewTokens === 0) return prompts.map(() => new Int32Array(0));
  const maxT = Math.min(cfg.maxPositionEmbeddings, longest + maxNewTokens);
  // prefill groups: consecutive prompts in length order, at most PREFILL_ROWS padded rows each
  const order = prompts.map((_, i) => i).sort((a, b) => prompts[a]!.length - prompts[b]!.length);
  const groups: number[][] = [];
  for (const i of order) {
    const group = groups[groups.length - 1];
    if (group && (group.length + 1) * prompts[i]!.length <= PREFILL_ROWS) group.push(i);
    else groups.push([i]);
  }
  const rows = Math.max(...groups.map((g) => g.length * prompts[g[g.length - 1]!]!.length));

  if (busy.has(model)) throw new ShapeError('generate() was called again from inside its own shouldStop callback');
  busy.add(model);
  try {
    return generateBatch(model, prompts, options, groups, rows, maxT);
  } finally {
    busy.delete(model);
  }
}

const busy = new WeakSet<LlamaModel>(); // models whose reusable KV decoder is in use

/** Validates the options and prompts (ShapeError/RangeError naming the bad one); returns the longest prompt. */
export function checkPrompts(model: LlamaModel, prompts: readonly Int32Array[], options: GenerateOptions): number {
  const { maxNewTokens, temperature, topP } = options;
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 0) {
    throw new RangeError(`maxNewTokens must be an integer ≥ 0, got ${maxNewTokens}`);
  }
  if (!(temperature >= 0)) throw new RangeError(`temperature must be ≥ 0, got ${temperature}`);
  if (!(topP > 0 && topP <= 1)) throw new RangeError(`topP must be in (0, 1], got ${topP}`);
  const cfg = model.config;
  const V = cfg.vocabSize;
  let longest = 0;
  prompts.forEach((prompt, i) => {
    if (prompt.length === 0) throw new ShapeError(`prompt ${i} is empty; a prompt needs at least one token`);
    if (prompt.length >= cfg.maxPositionEmbeddings) {
      throw new ShapeError(`prompt ${i} has ${prompt.length} tokens; it must be shorter than maxPositionEmbeddings ` +
        `${cfg.maxPositionEmbeddings}`);
    }
    for (let t = 0; t < prompt.length; t++) {
      const id = prompt[t]!;
      if (!(id >= 0 && id < V)) {
        throw new ShapeError(`prompt ${i}, position ${t}: token id ${id} outside the vocabulary (0..${V - 1})`);
      }
    }
    longest = Math.max(longest, prompt.length);
  });
  return longest;
}

function generateBatch(model: LlamaModel, prompts: Int32Array[], options: GenerateOptions, groups: number[][], rows: number,
  maxT: number): Int32Array[] {
  const decoder = kvDecoderFor(model, prompts.length, maxT, rows);
  for (const group of groups) prefillGroup(decoder, group.map((i) => prompts[i]!), group);
  prefillLogits(decoder, prompts.length);
  const slotOf = prompts.map((_, i) => i);
  return sampleAfterPrefill(decoder, prompts, slotOf, options, model.config.maxPositionEmbeddings).outputs;
}

/**
 * The sampling loop after a prefill: decoder.logits row i holds prompt i's next-token logits and prompt i sits in
 * cache slot slotOf[i]. Each kept token is fed back (one decode step of all live rows, each into its slot) until
 * the sequence stops: an end-of-turn id, shouldStop, maxNewTokens, or the context `window`. Returns each prompt's
 * new tokens and how many of them were fed into its slot (all but a final one that ended the sequence).
 * `shared` (optional): where each prompt's decode steps may read its shared prefix from (the same values).
 */
export function sampleAfterPrefill(decoder: KvDecoder, prompts: readonly Int32Array[], slotOf: readonly number[],
  options: GenerateOptions, window: number, shared: SharedReads | null = null,
): { outputs: Int32Array[]; fed: number[] } {
  const { maxNewTokens, temperature, topP } = options;
  const V = decoder.logits.length / decoder.slots;
  const stopIds = new Set(options.stopTokenIds);
  const base = new Rng(options.seed);
  const rngs = prompts.map((_, i) => base.fork(i));
  const outputs: number[][] = prompts.map(() => []);
  const fed = new Array<number>(prompts.length).fill(0);
  const scratch = new Float64Array(V);
  const sorted = new Float64Array(V);
  let promptOf = prompts.map((_, i) => i); // row r's logits belong to prompt promptOf[r]
  while (promptOf.length > 0) {
    const next: number[] = [];
    promptOf.forEach((index, row) => {
      const token = temperature === 0
        ? argmax(decoder.logits, row * V, V)
        : sampleToken(decoder.logits, row * V, V, temperature, topP, rngs[index]!, scratch, sorted);
      const out = outputs[index]!;
      if (stopIds.has(token)) return;
      out.push(token);
      const stop = options.shouldStop?.(index, out) ?? false; // called for every appended token
      if (stop || out.length >= maxNewTokens || prompts[index]!.length + out.length >= window) return;
      next.push(index);
    });
    next.forEach((index, row) => {
      const out = outputs[index]!;
      decoder.tokens[row] = out[out.length - 1]!;
      decoder.positions[row] = prompts[index]!.length + out.length - 1;
      decoder.rowSlots[row] = slotOf[index]!;
      if (shared) {
        decoder.prefixSlots[row] = shared.slot[index]!;
        decoder.prefixLengths[row] = shared.length[index]!;
      }
      fed[index] = out.length;
    });
    promptOf = next;
    if (next.length > 0) decode(decoder, next.length, shared !== null);
  }
  return { outputs: outputs.map((o) => Int32Array.from(o)), fed };
}

/** Index (0..V−1) of the largest of logits[offset .. offset+V) (the first on ties). */
export function argmax(logits: Float32Array, offset: number, V: number): number {
  let best = 0;
  let bestValue = logits[offset]!;
  for (let j = 1; j < V; j++) {
    if (logits[offset + j]! > bestValue) {
      bestValue = logits[offset + j]!;
      best = j;
    }
  }
  return best;
}

/**
 * Samples from softmax(logits / temperature) restricted to the nucleus: the most probable tokens whose mass
 * first reaches topP (tokens tied with the last one are kept too). Row = logits[offset .. offset+V);
 * scratch/sorted are (V) work arrays.
 */
export function sampleToken(logits: Float32Array, offset: number, V: number, temperature: number, topP: number, rng: Rng,
  scratch: Float64Array, sorted: Float64Array): number {
  let max = -Infinity;
  for (let j = 0; j < V; j++) if (logits[offset + j]! > max) max = logits[offset + j]!;
  let total = 0;
  for (let j = 0; j < V; j++) {
    const p = Math.exp((logits[offset + j]! - max) / temperature);
    scratch[j] = p;
    total += p;
  }
  let threshold = 0; // keep tokens with unnormalised probability ≥ threshold
  let mass = total;
  if (topP < 1) {
    sorted.set(scratch);
    sorted.sort(); // ascending
    mass = 0;
    for (let j = V - 1; j >= 0; j--) {
      mass += sorted[j]!;
      threshold = sorted[j]!;
      if (mass >= topP * total) break;
    }
    mass = 0;
    for (let j = 0; j < V; j++) if (scratch[j]! >= threshold) mass += scratch[j]!;
  }
  const target = rng.next() * mass;
  let cumulative = 0;
  let last = 0;
  for (let j = 0; j < V; j++) {
    if (scratch[j]! < threshold) continue;
    cumulative += scratch[j]!;
    last = j;
    if (cumulative > target) return j;
  }
  return last; // rounding: target fell at the very top
}
