// A KV cache that outlives generate() calls: each slot remembers the tokens it holds, and the next call prefills
// only what no slot holds yet (an episode's new observation and assistant header; a shared instruction and
// one-shot example once per batch). Sampling is the same as generate(): one Rng stream per prompt index.
import { copySlotRange, extend, kvDecoderFor, lastLogits, type KvDecoder } from './kv-cache.ts';
import type { LlamaModel } from './llama.ts';
import { planPrefixes, type CacheCopy, type PrefixPlan } from './prefix-plan.ts';
import { checkPrompts, sampleAfterPrefill, type GenerateOptions } from './sampler.ts';
import { sharedReads } from './shared-reads.ts';

/** Token counts since the cache was made (what the prefix reuse saved, counted rather than timed). */
export interface PrefixCacheStats {
  calls: number;
  promptTokens: number;
  /** Prompt positions a prompt's own slot still held. */
  keptTokens: number;
  /** Prompt positions copied from another slot (borrowed from a held prefix or shared within the call). */
  copiedTokens: number;
  /** Prompt tokens run through the model. */
  prefilledTokens: number;
  /** Times the cache was reallocated larger (everything held is dropped then). */
  grown: number;
  /** Prompt positions whose decode-step attention read another slot's copy of a shared prefix. */
  sharedReadTokens: number;
}

export interface PrefixCacheOptions {
  /** Decode steps read a prefix prompts share from one slot (the same values; fewer bytes from memory). */
  sharedReads: boolean;
}

export interface PrefixCache {
  readonly model: LlamaModel;
  readonly stats: PrefixCacheStats;
  /** Prompt tokens prefilled by the last call, per prompt. */
  lastPrefilled: number[];
}

interface CacheState {
  decoder: KvDecoder | null;
  held: Int32Array[];
  sharedReads: boolean;
}

/** Rows per prefill chunk: large enough for matrix-matrix kernels, small enough for a modest scratch. */
const CHUNK_ROWS = 512;
/**
 * A new cache gets this much more length than the call needs (up to the window), in steps of LENGTH_STEP, since
 * conversations grow turn by turn and each reallocation drops what the cache held.
 */
const LENGTH_HEADROOM = 1.5;
const LENGTH_STEP = 256;

const states = new WeakMap<PrefixCache, CacheState>();

export function createPrefixCache(model: LlamaModel, options: PrefixCacheOptions = { sharedReads: true },
): PrefixCache {
  const cache: PrefixCache = {
    model, lastPrefilled: [],
    stats: { calls: 0, promptTokens: 0, keptTokens: 0, copiedTokens: 0, prefilledTokens: 0, grown: 0,
      sharedReadTokens: 0 },
  };
  states.set(cache, { decoder: null, held: [], sharedReads: options.sharedReads });
  return cache;
}

/** generate() through the cache: the same outputs (up to float rounding), prefilling only uncached tokens. */
export function generateCached(cache: PrefixCache, prompts: Int32Array[], options: GenerateOptions): Int32Array[] {
  const model = cache.model;
  const longest = checkPrompts(model, prompts, options);
  const B = prompts.length;
  if (B === 0 || options.maxNewTokens === 0) return prompts.map(() => new Int32Array(0));
  const window = model.config.maxPositionEmbeddings;
  const state = states.get(cache)!;
  const decoder = ensureCapacity(cache, state, B, Math.min(window, longest + options.maxNewTokens));
  const plan = planPrefixes(state.held, prompts);
  runPlan(decoder, prompts, plan);
  const stats = cache.stats;
  stats.calls += 1;
  cache.lastPrefilled = prompts.map((p, i) => p.length - plan.start[i]!);
  prompts.forEach((p, i) => {
    stats.promptTokens += p.length;
    stats.keptTokens += plan.kept[i]!;
    stats.copiedTokens += plan.start[i]! - plan.kept[i]!;
    stats.prefilledTokens += p.length - plan.start[i]!;
  });
  const shared = state.sharedReads ? sharedReads(prompts, plan.slotOf) : null;
  if (shared) for (const length of shared.length) stats.sharedReadTokens += length;
  const { outputs, fed } = sampleAfterPrefill(decoder, prompts, plan.slotOf, options, window, shared);
  prompts.forEach((p, i) => {
    const tokens = new Int32Array(p.length + fed[i]!);
    tokens.set(p);
    tokens.set(outputs[i]!.subarray(0, fed[i]!), p.length);
    state.held[plan.slotOf[i]!] = tokens;
  });
  return outputs;
}

/**
 * Carries a plan out: copies, then prefills what is left of each prompt into its slot; decoder.logits (B, V) holds
 * each prompt's next-token logits afterwards (row i for prompt i).
 */
export function runPlan(decoder: KvDecoder, prompts: Int32Array[], plan: PrefixPlan): void {
  const copy = (c: CacheCopy): void => copySlotRange(decoder, c.from, c.to, c.start, c.end);
  plan.borrowed.forEach(copy);
  prefill(decoder, prompts, plan.leaders, plan.start, plan.slotOf);
  plan.shared.forEach(copy);
  prefill(decoder, prompts, plan.followers, plan.start, plan.slotOf);
  lastLogits(decoder, prompts.length);
}

/** Runs prompt tokens [start[i], length) of `which` prompts through the model in chunks, into their slots. */
function prefill(decoder: KvDecoder, prompts: Int32Array[], which: number[], start: number[], slotOf: number[]): void {
  const keep: number[] = [];
  let rows = 0;
  const flush = (): void => {
    if (rows > 0) extend(decoder, rows, keep);
    rows = 0;
    keep.length = 0;
  };
  for (const i of which) {
    const prompt = prompts[i]!;
    for (let t = start[i]!; t < prompt.length; t++) {
      decoder.tokens[rows] = prompt[t]!;
      decoder.positions[rows] = t;
      decoder.rowSlots[rows] = slotOf[i]!;
      keep.push(t === prompt.length - 1 ? i : -1);
      rows += 1;
      if (rows === decoder.rows) flush();
    }
  }
  flush();
}

/** The decoder with room for `slots` prompts of `length` positions; a larger one drops what the old one held. */
function ensureCapacity(cache: PrefixCache, state: CacheState, slots: number, length: number): KvDecoder {
  const held = state.decoder;
  if (held && held.slots >= slots && held.maxT >= length) return held;
  const roomy = Math.ceil((length * LENGTH_HEADROOM) / LENGTH_STEP) * LENGTH_STEP;
  const maxT = Math.min(cache.model.config.maxPositionEmbeddings, roomy);
  const decoder = kvDecoderFor(cache.model, slots, maxT, CHUNK_ROWS, cache);
  state.decoder = decoder;
  state.held = Array.from({ length: decoder.slots }, () => new Int32Array(0));
  if (held) cache.stats.grown += 1;
  return decoder;
}
