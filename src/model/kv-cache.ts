// Inference-only decoder with a preallocated per-layer KV cache (B slots × maxT positions): prefill of prompt
// groups (a shared prefix computed once), then one-token decode steps with attentionDecode. No gradients, no sampling.
import type { Engine } from '../engine/index.ts';
import { headsForward } from './attention-heads.ts';
import { headDim, queryDim } from './config.ts';
import { weightViews, type LlamaModel, type ModelWeights } from './llama.ts';
import { compactLayout, copyRows, fromBlock, rowOf, sharedPrefixLength, toBlock } from './row-layout.ts';

export interface KvDecoder {
  readonly slots: number; // B
  readonly maxT: number;
  readonly rows: number; // scratch capacity (rows per prefill group / decode step)
  /** Input slots, filled by the caller before decode(): token and absolute position (= current length − 1). */
  readonly tokens: Int32Array; // (rows)
  readonly positions: Int32Array; // (rows)
  /** Cache slot of each input row of extend() and decode(), filled by the caller. */
  readonly rowSlots: Int32Array; // (rows)
  /**
   * For decode(…, true): row i's cache positions [0, prefixLengths[i]) hold the same keys and values as slot
   * prefixSlots[i] (Engine DecodePrefix), filled by the caller; rows sharing a prefix then read one copy of it.
   */
  readonly prefixSlots: Int32Array; // (rows)
  readonly prefixLengths: Int32Array; // (rows)
  /** (slots, V) logits written by prefillLogits/lastLogits (one row per prompt) and decode (one per active row) */
  readonly logits: Float32Array;
  readonly kCaches: Float32Array[]; // per layer (B, maxT, KVH, hs)
  readonly vCaches: Float32Array[];
}

interface Scratch {
  x: Float32Array; ln: Float32Array; rstd: Float32Array; q: Float32Array; k: Float32Array; v: Float32Array;
  att: Float32Array; lse: Float32Array; tmp: Float32Array; gate: Float32Array; up: Float32Array; act: Float32Array;
  lengths: Int32Array; // (rows) cache lengths for attentionDecode
  last: Float32Array; // (B, C) residual stream entering the last layer, at each prompt's last token
  lastNormed: Float32Array; // (B, C) its input rmsnorm
  lastLength: Int32Array; // (B) prompt lengths
  fused: Float32Array; // (B, max(Q + 2·kv, 2·I)) output of a fused projection, split afterwards
  blockQ: Float32Array; // (rows, Q) prefill attention inputs/output as a right-padded (G, T) block; Q = H·hs
  blockK: Float32Array; // (rows, kv)
  blockV: Float32Array; // (rows, kv)
  blockAtt: Float32Array; // (rows, Q)
  // qkNorm only: projections before the per-head norm, and its rstd
  qRaw: Float32Array | null; kRaw: Float32Array | null; qRstd: Float32Array | null; kRstd: Float32Array | null;
}

/** Per layer: [q; k; v] and [gate; up] as single matrices, when the flat layout stores them back to back. */
interface FusedWeights { qkv: Float32Array | null; gateUp: Float32Array | null }

/** Decode steps (few rows) run q/k/v and gate/up as one linear each: fewer, larger kernel calls. */
const FUSE_MAX_ROWS = 64;

const decoders = new WeakMap<KvDecoder, { model: LlamaModel; w: ModelWeights; s: Scratch; fused: FusedWeights[] }>();

/** A view spanning `parts` when they are adjacent in one buffer, else null. */
function adjacent(parts: Float32Array[]): Float32Array | null {
  const first = parts[0]!;
  let end = first.byteOffset + first.byteLength;
  for (const part of parts.slice(1)) {
    if (part.buffer !== first.buffer || part.byteOffset !== end) return null;
    end += part.byteLength;
  }
  return new Float32Array(first.buffer, first.byteOffset, (end - first.byteOffset) / 4);
}

const reusable = new WeakMap<object, { decoder: KvDecoder; start: number; end: number }>();

/**
 * The reusable decoder of `owner` (default: the model itself) with at least these capacities, grown when a call
 * needs more (allocating and zeroing tens of MB per generate() call would cost as much as the prefill). A grown
 * decoder is a new one: what the old one's caches held is gone.
 */
export function kvDecoderFor(model: LlamaModel, slots: number, maxT: number, rows: number,
  owner: object = model): KvDecoder {
  const held = reusable.get(owner);
  if (held && held.decoder.slots >= slots && held.decoder.maxT >= maxT && held.decoder.rows >= Math.max(rows, slots)) return held.decoder;
  const engine = model.engine;
  if (held && engine.mark() === held.end) engine.release(held.start); // reclaim when nothing was allocated after it
  const start = engine.mark();
  const decoder = createKvDecoder(model, Math.max(slots, held?.decoder.slots ?? 0), Math.max(maxT, held?.decoder.maxT ?? 0),
    Math.max(rows, held?.decoder.rows ?? 0));
  reusable.set(owner, { decoder, start, end: engine.mark() });
  return decoder;
}

/** Allocates everything with model.engine.alloc; wrap in engine.mark()/release() to free it afterwards. */
export function createKvDecoder(model: LlamaModel, slots: number, maxT: number, rows: number): KvDecoder {
  const e = model.engine;
  const cfg = model.config;
  const C = cfg.hiddenSize;
  const I = cfg.intermediateSize;
  const kv = cfg.numKeyValueHeads * headDim(cfg);
  const Q = queryDim(cfg);
  rows = Math.max(rows, slots);
  const f = (n: number): Float32Array => e.alloc(n);
  const ifNorm = (n: number): Float32Array | null => (cfg.qkNorm ? f(n) : null);
  const s: Scratch = {
    x: f(rows * C), ln: f(rows * C), rstd: f(rows), q: f(rows * Q), k: f(rows * kv), v: f(rows * kv),
    att: f(rows * Q), lse: f(rows * cfg.numAttentionHeads), tmp: f(rows * C),
    gate: f(rows * I), up: f(rows * I), act: f(rows * I),
    lengths: e.allocInt32(rows), last: f(slots * C), lastNormed: f(slots * C), lastLength: e.allocInt32(slots),
    fused: f(Math.min(rows, FUSE_MAX_ROWS) * Math.max(Q + 2 * kv, 2 * I)),
    blockQ: f(rows * Q), blockK: f(rows * kv), blockV: f(rows * kv), blockAtt: f(rows * Q),
    qRaw: ifNorm(rows * Q), kRaw: ifNorm(rows * kv),
    qRstd: ifNorm(rows * cfg.numAttentionHeads), kRstd: ifNorm(rows * cfg.numKeyValueHeads),
  };
  const decoder: KvDecoder = {
    slots, maxT, rows,
    tokens: e.allocInt32(rows), positions: e.allocInt32(rows), rowSlots: e.allocInt32(rows),
    prefixSlots: e.allocInt32(rows), prefixLengths: e.allocInt32(rows),
    logits: f(slots * cfg.vocabSize),
    kCaches: Array.from({ length: cfg.numHiddenLayers }, () => f(slots * maxT * kv)),
    vCaches: Array.from({ length: cfg.numHiddenLayers }, () => f(slots * maxT * kv)),
  };
  const w = weightViews(model, model.params);
  const fused = w.layers.map((lw) => ({ qkv: adjacent([lw.q, lw.k, lw.v]), gateUp: adjacent([lw.gate, lw.up]) }));
  decoders.set(decoder, { model, w, s, fused });
  return decoder;
}

/** rmsnorm → q/k/v projections → rope for rows of s.x (rows, C), into s.ln, s.q, s.k, s.v. */
function attentionInputs(model: LlamaModel, w: ModelWeights, fused: FusedWeights[], s: Scratch, l: number, rows: number,
  positions: Int32Array): void {
  const e: Engine = model.engine;
  const cfg = model.config;
  const C = cfg.hiddenSize;
  const kv = cfg.numKeyValueHeads * headDim(cfg);
  const Q = queryDim(cfg);
  const lw = w.layers[l]!;
  e.rmsnorm(s.ln, s.rstd, s.x, lw.inputNorm, rows, C, cfg.rmsNormEps);
  const qkv = rows <= FUSE_MAX_ROWS ? fused[l]!.qkv : null;
  const qRaw = s.qRaw ?? s.q; // with a q/k norm the projection lands beside q and is normed into it
  const kRaw = s.kRaw ?? s.k;
  if (qkv) {
    e.linear(s.fused, s.ln, qkv, rows, C, Q + 2 * kv); // (rows, Q + 2·kv)
    split(s.fused, rows, qRaw, Q, kRaw, kv, s.v, kv);
  } else {
    e.linear(qRaw, s.ln, lw.q, rows, C, Q);
    e.linear(kRaw, s.ln, lw.k, rows, C, kv);
    e.linear(s.v, s.ln, lw.v, rows, C, kv);
  }
  headsForward(e, cfg, { raw: qRaw, out: s.q, rstd: s.qRstd, bias: lw.qBias, norm: lw.qNorm }, positions, rows,
    cfg.numAttentionHeads);
  keysAndValues(model, s, l, w, rows, positions, kRaw);
}

/** bias, norm and rope of k (already projected into kRaw) and the bias of v, for `rows` rows. */
function keysAndValues(model: LlamaModel, s: Scratch, l: number, w: ModelWeights, rows: number, positions: Int32Array,
  kRaw: Float32Array): void {
  const cfg = model.config;
  const lw = w.layers[l]!;
  headsForward(model.engine, cfg, { raw: kRaw, out: s.k, rstd: s.kRstd, bias: lw.kBias, norm: lw.kNorm }, positions,
    rows, cfg.numKeyValueHeads);
  if (lw.vBias) model.engine.biasAdd(s.v, lw.vBias, rows, cfg.numKeyValueHeads * headDim(cfg));
}

/** Splits rows of `source` (rows, wa + wb + wc) into a (rows, wa), b (rows, wb) and c (rows, wc). */
function split(source: Float32Array, rows: number, a: Float32Array, wa: number, b: Float32Array, wb: number,
  c: Float32Array | null, wc: number): void {
  let from = 0;
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < wa; i++) a[r * wa + i] = source[from++]!;
    for (let i = 0; i < wb; i++) b[r * wb + i] = source[from++]!;
    if (c) for (let i = 0; i < wc; i++) c[r * wc + i] = source[from++]!;
  }
}

/** o_proj + residual, then the MLP block + residual, on s.x (rows, C) given the attention output s.att. */
function layerRest(model: LlamaModel, w: ModelWeights, fused: FusedWeights[], s: Scratch, l: number, rows: number): void {
  const e: Engine = model.engine;
  const cfg = model.config;
  const C = cfg.hiddenSize;
  const I = cfg.intermediateSize;
  const lw = w.layers[l]!;
  e.linear(s.tmp, s.att, lw.o, rows, queryDim(cfg), C);
  e.add(s.x, s.x, s.tmp, rows * C);
  e.rmsnorm(s.ln, s.rstd, s.x, lw.postNorm, rows, C, cfg.rmsNormEps);
  const gateUp = rows <= FUSE_MAX_ROWS ? fused[l]!.gateUp : null;
  if (gateUp) {
    e.linear(s.fused, s.ln, gateUp, rows, C, 2 * I); // (rows, 2·I)
    split(s.fused, rows, s.gate, I, s.up, I, null, 0);
  } else {
    e.linear(s.gate, s.ln, lw.gate, rows, C, I);
    e.linear(s.up, s.ln, lw.up, rows, C, I);
  }
  e.swiglu(s.act, s.gate, s.up, rows * I);
  e.linear(s.tmp, s.act, lw.down, rows, I, C);
  e.add(s.x, s.x, s.tmp, rows * C);
}

/** Writes the k/v row `row` of the scratch into a cache slot at position `at` (one decode token). */
function appendToCache(decoder: KvDecoder, s: Scratch, l: number, kv: number, row: number, slot: number, at: number): void {
  const kc = decoder.kCaches[l]!;
  const vc = decoder.vCaches[l]!;
  const from = row * kv;
  const to = (slot * decoder.maxT + at) * kv;
  for (let i = 0; i < kv; i++) {
    kc[to + i] = s.k[from + i]!;
    vc[to + i] = s.v[from + i]!;
  }
}

/**
 * Prefills a group of prompts (each placed in its cache slot). Row-wise work (norms, projections, MLP) runs on
 * compact rows: the prefix all prompts share once (e.g. the system prompt and in-context example), then each
 * prompt's own tokens, with no padding. Only attention sees the right-padded (G, T) block. The last layer only
 * fills the cache and keeps each prompt's last-token state for prefillLogits. G·T must fit in `rows`.
 */
export function prefillGroup(decoder: KvDecoder, prompts: readonly Int32Array[], slotsOf: readonly number[]): void {
  const { model, w, s, fused } = decoders.get(decoder)!;
  const e = model.engine;
  const cfg = model.config;
  const C = cfg.hiddenSize;
  const hs = headDim(cfg);
  const kv = cfg.numKeyValueHeads * hs;
  const Q = queryDim(cfg);
  const L = cfg.numHiddenLayers;
  const G = prompts.length;
  const T = prompts.reduce((m, p) => Math.max(m, p.length), 0);
  // every prompt keeps at least its last token of its own (its state feeds prefillLogits)
  const shared = sharedPrefixLength(prompts, Math.min(...prompts.map((p) => p.length)) - 1);
  const layout = compactLayout(prompts, prompts.map((p) => p.length), shared, T, decoder.tokens, decoder.positions);
  const { own, R } = layout;
  // compact rows → cache slots
  const toCache = (l: number): void => {
    prompts.forEach((prompt, g) => {
      const slot = slotsOf[g]! * decoder.maxT;
      for (const [cache, src] of [[decoder.kCaches[l]!, s.k], [decoder.vCaches[l]!, s.v]] as const) {
        copyRows(cache, slot, src, 0, shared, kv);
        copyRows(cache, slot + shared, src, own[g]!, prompt.length - shared, kv);
      }
    });
  };
  e.embedding(s.x, w.embed, decoder.tokens, R, C);
  for (let l = 0; l < L - 1; l++) {
    attentionInputs(model, w, fused, s, l, R, decoder.positions);
    toCache(l);
    toBlock(s.blockQ, s.q, Q, layout);
    toBlock(s.blockK, s.k, kv, layout);
    toBlock(s.blockV, s.v, kv, layout);
    e.attention(s.blockAtt, s.lse, s.blockQ, s.blockK, s.blockV, G, T, cfg.numAttentionHeads, cfg.numKeyValueHeads, hs);
    fromBlock(s.att, s.blockAtt, Q, layout);
    layerRest(model, w, fused, s, l, R);
  }
  if (L > 0) {
    const lw = w.layers[L - 1]!;
    e.rmsnorm(s.ln, s.rstd, s.x, lw.inputNorm, R, C, cfg.rmsNormEps);
    const kRaw = s.kRaw ?? s.k;
    e.linear(kRaw, s.ln, lw.k, R, C, kv);
    e.linear(s.v, s.ln, lw.v, R, C, kv);
    keysAndValues(model, s, L - 1, w, R, decoder.positions, kRaw);
    toCache(L - 1);
  }
  prompts.forEach((prompt, g) => {
    const lastRow = rowOf(layout, g, prompt.length - 1);
    copyRows(s.last, slotsOf[g]!, s.x, lastRow, 1, C);
    copyRows(s.lastNormed, slotsOf[g]!, s.ln, lastRow, 1, C);
    s.lastLength[slotsOf[g]!] = prompt.length;
  });
}

/** decoder.logits (B, V) for the last prompt token of slots 0..B−1, after all groups were prefilled. */
export function prefillLogits(decoder: KvDecoder, B: number): void {
  const { model, w, s, fused } = decoders.get(decoder)!;
  const e = model.engine;
  const cfg = model.config;
  const C = cfg.hiddenSize;
  const hs = headDim(cfg);
  const L = cfg.numHiddenLayers;
  const Q = queryDim(cfg);
  s.x.set(s.last.subarray(0, B * C));
  if (L > 0) {
    // the last layer for each prompt's last token, attending over the cache the groups filled
    for (let b = 0; b < B; b++) {
      decoder.positions[b] = s.lastLength[b]! - 1;
      s.lengths[b] = s.lastLength[b]!;
    }
    const lw = w.layers[L - 1]!;
    const qRaw = s.qRaw ?? s.q;
    e.linear(qRaw, s.lastNormed, lw.q, B, C, Q);
    headsForward(e, cfg, { raw: qRaw, out: s.q, rstd: s.qRstd, bias: lw.qBias, norm: lw.qNorm }, decoder.positions, B,
      cfg.numAttentionHeads);
    e.attentionDecode(s.att, s.q, decoder.kCaches[L - 1]!, decoder.vCaches[L - 1]!, s.lengths, B, decoder.maxT,
      cfg.numAttentionHeads, cfg.numKeyValueHeads, hs);
    layerRest(model, w, fused, s, L - 1, B);
  }
  finalLogits(model, w, s, s.x, decoder.logits, B);
}

function finalLogits(model: LlamaModel, w: ModelWeights, s: Scratch, x: Float32Array, logits: Float32Array, rows: number): void {
  const e = model.engine;
  const C = model.config.hiddenSize;
  e.rmsnorm(s.ln, s.rstd, x, w.finalNorm, rows, C, model.config.rmsNormEps);
  e.linear(logits, s.ln, w.lmHead, rows, C, model.config.vocabSize); // (rows, V)
}

/**
 * One decode step for rows 0..active−1: feeds decoder.tokens[i] at decoder.positions[i] into cache slot
 * decoder.rowSlots[i], appends its k/v and writes next-token logits to decoder.logits (active, V). With
 * `sharedPrefix`, attention reads each row's shared prefix where decoder.prefixSlots/prefixLengths say.
 */
export function decode(decoder: KvDecoder, active: number, sharedPrefix = false): void {
  const { model, w, s } = decoders.get(decoder)!;
  runRows(decoder, active, sharedPrefix);
  finalLogits(model, w, s, s.x, decoder.logits, active);
}

/**
 * Feeds `rows` new tokens (decoder.tokens/positions/rowSlots) through every layer, each row's k/v written to its
 * slot first, so rows of one slot at consecutive positions attend causally to the cache and to each other (a
 * prefill that continues what a slot already holds). Row `r`'s final state is kept for lastLogits as prompt
 * `keep[r]` (−1: not kept).
 */
export function extend(decoder: KvDecoder, rows: number, keep: readonly number[]): void {
  const { model, s } = decoders.get(decoder)!;
  runRows(decoder, rows);
  const C = model.config.hiddenSize;
  for (let r = 0; r < rows; r++) if (keep[r]! >= 0) copyRows(s.last, keep[r]!, s.x, r, 1, C);
}

/** decoder.logits (B, V) of the rows extend() kept for prompts 0..B−1. */
export function lastLogits(decoder: KvDecoder, B: number): void {
  const { model, w, s } = decoders.get(decoder)!;
  finalLogits(model, w, s, s.last, decoder.logits, B);
}

function runRows(decoder: KvDecoder, rows: number, sharedPrefix = false): void {
  const { model, w, s, fused } = decoders.get(decoder)!;
  const prefix = sharedPrefix ? { slots: decoder.prefixSlots, lengths: decoder.prefixLengths } : null;
  const e = model.engine;
  const cfg = model.config;
  const hs = headDim(cfg);
  const kv = cfg.numKeyValueHeads * hs;
  for (let i = 0; i < rows; i++) s.lengths[i] = decoder.positions[i]! + 1;
  e.embedding(s.x, w.embed, decoder.tokens, rows, cfg.hiddenSize);
  for (let l = 0; l < cfg.numHiddenLayers; l++) {
    attentionInputs(model, w, fused, s, l, rows, decoder.positions);
    for (let i = 0; i < rows; i++) appendToCache(decoder, s, l, kv, i, decoder.rowSlots[i]!, decoder.positions[i]!);
    e.attentionDecode(s.att, s.q, decoder.kCaches[l]!, decoder.vCaches[l]!, s.lengths, rows, decoder.maxT,
      cfg.numAttentionHeads, cfg.numKeyValueHeads, hs, decoder.rowSlots, prefix);
    layerRest(model, w, fused, s, l, rows);
  }
}

/** Copies cache positions [start, end) of slot `from` into slot `to` (a shared prefix another slot computed). */
export function copySlotRange(decoder: KvDecoder, from: number, to: number, start: number, end: number): void {
  const { model } = decoders.get(decoder)!;
  const kv = model.config.numKeyValueHeads * headDim(model.config);
  const stride = decoder.maxT * kv;
  for (const cache of [...decoder.kCaches, ...decoder.vCaches]) {
    cache.copyWithin(to * stride + start * kv, from * stride + start * kv, from * stride + end * kv);
  }
}
