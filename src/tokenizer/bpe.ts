// tokenizer.json `model` of type BPE: a vocabulary and ranked merges applied lowest rank first (leftmost on
// ties), with the options real files set: byte_fallback (<0xHH> tokens for characters outside the vocabulary),
// unk_token with fuse_unk, ignore_merges (a piece that is itself a token stays whole). Not: dropout, suffixes.
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { componentType, parseWith, unknownComponent } from './schema.ts';

const bpeSchema = z.object({
  vocab: z.record(z.string(), z.number().int().nonnegative()),
  merges: z.array(z.union([z.string(), z.tuple([z.string(), z.string()])])),
  unk_token: z.string().nullish(),
  byte_fallback: z.boolean().default(false),
  fuse_unk: z.boolean().default(false),
  ignore_merges: z.boolean().default(false),
  dropout: z.number().nullish(),
  continuing_subword_prefix: z.string().nullish(),
  end_of_word_suffix: z.string().nullish(),
});

export interface BpeModel {
  /** Token ids of one pre-tokenized piece. */
  tokenize(piece: string): number[];
  readonly vocab: ReadonlyMap<string, number>;
}

const CACHE_LIMIT = 100_000;

export function buildModel(json: unknown, field = 'model'): BpeModel {
  const type = componentType(json, field);
  if (type !== 'BPE') throw unknownComponent(field, type, ['BPE']);
  const options = parseWith(bpeSchema, json, field);
  if (options.dropout) {
    throw new ConfigError(`${field}.dropout`, `must be null or 0 for inference, got ${options.dropout}`);
  }
  for (const key of ['continuing_subword_prefix', 'end_of_word_suffix'] as const) {
    if (options[key]) throw new ConfigError(`${field}.${key}`, `${JSON.stringify(options[key])} is not supported`);
  }
  const vocab = new Map(Object.entries(options.vocab));
  let stride = 1; // pair key = left * stride + right
  for (const id of vocab.values()) stride = Math.max(stride, id + 1);
  const mergeRank = new Map<number, number>();
  const mergedId: number[] = [];
  options.merges.forEach((merge, rank) => {
    const [left, right, extra] = typeof merge === 'string' ? merge.split(' ') : merge;
    const bad = (why: string): ConfigError =>
      new ConfigError(`${field}.merges[${rank}]`, `${JSON.stringify(merge)} ${why}`);
    if (left === undefined || right === undefined || extra !== undefined) throw bad('is not two tokens');
    const a = vocab.get(left);
    const b = vocab.get(right);
    const ab = vocab.get(left + right);
    if (a === undefined || b === undefined || ab === undefined) throw bad('names a token outside the vocabulary');
    const key = a * stride + b;
    mergeRank.set(key, rank); // a repeated pair keeps its last rank, as HF's map does
    mergedId[rank] = ab;
  });
  let unkId: number | undefined;
  if (options.unk_token) {
    unkId = vocab.get(options.unk_token);
    if (unkId === undefined) {
      throw new ConfigError(`${field}.unk_token`, `${options.unk_token} is not in the vocabulary`);
    }
  }
  const byteIds = options.byte_fallback ? byteFallbackIds(vocab) : undefined;

  /** Initial symbols: one per character, else its <0xHH> bytes, else unk (consecutive unks fused). */
  const symbolsOf = (piece: string): number[] => {
    const ids: number[] = [];
    let lastWasUnk = false;
    for (const ch of piece) {
      const id = vocab.get(ch);
      if (id !== undefined) {
        ids.push(id);
        lastWasUnk = false;
        continue;
      }
      const bytes = byteIds && utf8Bytes(ch).map((byte) => byteIds[byte]);
      if (bytes && bytes.every((b) => b !== undefined)) {
        ids.push(...(bytes as number[]));
        lastWasUnk = false;
        continue;
      }
      if (unkId === undefined) continue; // no unk token: HF drops the character
      if (!(options.fuse_unk && lastWasUnk)) ids.push(unkId);
      lastWasUnk = true;
    }
    return ids;
  };

  const cache = new Map<string, number[]>();
  return {
    vocab,
    tokenize(piece) {
      if (piece === '') return [];
      if (options.ignore_merges) {
        const whole = vocab.get(piece);
        if (whole !== undefined) return [whole];
      }
      const cached = cache.get(piece);
      if (cached) return cached;
      const ids = mergeSymbols(symbolsOf(piece), (a, b) => mergeRank.get(a * stride + b), mergedId);
      if (cache.size < CACHE_LIMIT) cache.set(piece, ids);
      return ids;
    },
  };
}

const encoder = new TextEncoder();
function utf8Bytes(ch: string): number[] {
  return Array.from(encoder.encode(ch));
}

/** byte → id of its `<0xHH>` token (absent entries stay undefined). */
function byteFallbackIds(vocab: ReadonlyMap<string, number>): (number | undefined)[] {
  return Array.from({ length: 256 }, (_, b) => vocab.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`));
}

/**
 * Applies merges lowest rank first, leftmost among equal ranks, over a linked list of symbols with a heap of
 * candidate pairs (stale entries are skipped when popped): O(n log n) for long SentencePiece-style pieces.
 */
function mergeSymbols(
  symbols: number[],
  rankOf: (left: number, right: number) => number | undefined,
  mergedId: readonly number[],
): number[] {
  const n = symbols.length;
  if (n < 2) return symbols;
  const next = Int32Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
  const prev = Int32Array.from({ length: n }, (_, i) => i - 1);
  const alive = new Uint8Array(n).fill(1);
  const heap = new MinHeap();
  const POS = 2 ** 22; // heap key = rank * POS + position: lower rank first, then leftmost
  const consider = (i: number): void => {
    const j = i < 0 ? -1 : (next[i] as number);
    if (j < 0) return;
    const rank = rankOf(symbols[i] as number, symbols[j] as number);
    if (rank !== undefined) heap.push(rank * POS + i);
  };
  for (let i = 0; i + 1 < n; i++) consider(i);
  while (heap.size > 0) {
    const key = heap.pop();
    const i = key % POS;
    const rank = (key - i) / POS;
    const j = next[i] as number;
    if (!alive[i] || j < 0 || rankOf(symbols[i] as number, symbols[j] as number) !== rank) continue; // stale
    symbols[i] = mergedId[rank] as number;
    alive[j] = 0;
    const after = next[j] as number;
    next[i] = after;
    if (after >= 0) prev[after] = i;
    consider(prev[i] as number);
    consider(i);
  }
  return symbols.filter((_, i) => alive[i]);
}

class MinHeap {
  private readonly items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(value: number): void {
    const a = this.items;
    a.push(value);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if ((a[parent] as number) <= value) break;
      a[i] = a[parent] as number;
      a[parent] = value;
      i = parent;
    }
  }
  pop(): number {
    const a = this.items;
    const top = a[0] as number;
    const last = a.pop() as number;
    if (a.length === 0) return top;
    a[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && (a[l] as number) < (a[m] as number)) m = l;
      if (r < a.length && (a[r] as number) < (a[m] as number)) m = r;
      if (m === i) break;
      [a[i], a[m]] = [a[m] as number, a[i] as number];
      i = m;
    }
    return top;
  }
}
