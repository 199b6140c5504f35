// Inference-only decoder with a preallocated per-layer KV cache (B slots × maxT positions): prefill of
// right-padded prompt groups, then one-token decode steps with attentionDecode. No gradients, no sampling.
import type { Engine } from '../engine/index.ts';
import { headDim } from './config.ts';
import { weightViews, type LlamaModel, type ModelWeights } from './llama.ts';

export interface KvDecoder {
  readonly slots: number; // B
  readonly maxT: number;
  readonly rows: number; // scratch capacity (rows per prefill group / decode step)
  /** Input slots, filled by the caller before decode(): token and absolute position (= current length − 1). */
  readonly tokens: Int32Array; // (rows)
  readonly positions: Int32Array; // (rows)
  /** (rows, V) logits written by prefillGroup (one row per prompt slot) and decode (one row per active slot) */
  readonly logits: Float32Array;
  readonly kCaches: Float32Array[]; // per layer (B, maxT, KVH, hs)
  readonly vCaches: Float32Array[];
}

interface Scratch {
  x: Float32Array; ln: Float32Array; rstd: Float32Array; q: Float32Array; k: Float32Array; v: Float32Array;
  att: Float32Array; lse: Float32Array; tmp: Float32Array; gate: Float32Array; up: Float32Array; act: Float32Array;
  lengths: Int32Array; last: Float32Array; // (B, C) final-layer hidden state of each prompt's last token
}

const decoders = new WeakMap<KvDecoder, { model: LlamaModel; w: ModelWeights; s: Scratch }>();

/** Allocates everything with model.engine.alloc; wrap in engine.mark()/release() to free it afterwards. */
export function createKvDecoder(model: LlamaModel, slots: number, maxT: number, rows: number): KvDecoder {
  const e = model.engine;
  const cfg = model.config;
  const C = cfg.hiddenSize;
  const I = cfg.intermediateSize;
  const kv = cfg.numKeyValueHeads * headDim(cfg);
  rows = Math.max(rows, slots);
  const f = (n: number): Float32Array => e.alloc(n);
  const s: Scratch = {
    x: f(rows * C), ln: f(rows * C), rstd: f(rows), q: f(rows * C), k: f(rows * kv), v: f(rows * kv),
    att: f(rows * C), lse: f(rows * cfg.numAttentionHeads), tmp: f(rows * C),
    gate: f(rows * I), up: f(rows * I), act: f(rows * I), lengths: e.allocInt32(slots), last: f(slots * C),
  };
  const decoder: KvDecoder = {
    slots, maxT, rows,
    tokens: e.allocInt32(rows), positions: e.allocInt32(rows), logits: f(rows * cfg.vocabSize),
    kCaches: Array.from({ length: cfg.numHiddenLayers }, () => f(slots * maxT * kv)),
    vCaches: Array.from({ length: cfg.numHiddenLayers }, () => f(slots * maxT * kv)),
  };
  decoders.set(decoder, { model, w: weightViews(model, model.params), s });
  return decoder;
}

/** Runs every decoder layer on s.x (rows, C); `attend(l)` must fill s.att from s.q/s.k/s.v (already roped). */
function runLayers(model: LlamaModel, w: ModelWeights, s: Scratch, rows: number, positions: Int32Array, attend: (l: number) => void): void {
  const e: Engine = model.engine;
  const cfg = model.config;
  const C = cfg.hiddenSize;
  const I = cfg.intermediateSize;
  const hs = headDim(cfg);
  const kv = cfg.numKeyValueHeads * hs;
  for (let l = 0; l < cfg.numHiddenLayers; l++) {
    const lw = w.layers[l]!;
    e.rmsnorm(s.ln, s.rstd, s.x, lw.inputNorm, rows, C, cfg.rmsNormEps);
    e.linear(s.q, s.ln, lw.q, rows, C, C);
    e.linear(s.k, s.ln, lw.k, rows, C, kv);
    e.linear(s.v, s.ln, lw.v, rows, C, kv);
    e.rope(s.q, positions, rows, cfg.numAttentionHeads, hs, cfg.ropeTheta);
    e.rope(s.k, positions, rows, cfg.numKeyValueHeads, hs, cfg.ropeTheta);
    attend(l);
    e.linear(s.tmp, s.att, lw.o, rows, C, C);
    e.add(s.x, s.x, s.tmp, rows * C);
    e.rmsnorm(s.ln, s.rstd, s.x, lw.postNorm, rows, C, cfg.rmsNormEps);
    e.linear(s.gate, s.ln, lw.gate, rows, C, I);
    e.linear(s.up, s.ln, lw.up, rows, C, I);
    e.swiglu(s.act, s.gate, s.up, rows * I);
    e.linear(s.tmp, s.act, lw.down, rows, I, C);
    e.add(s.x, s.x, s.tmp, rows * C);
  }
}

/**
 * Prefills a group of prompts (each placed in its cache slot) as one right-padded (G, T) batch, and keeps the
 * final hidden state of each prompt's last token for `prefillLogits`. G·T must fit in `rows`.
 */
export function prefillGroup(decoder: KvDecoder, prompts: readonly Int32Array[], slotsOf: readonly number[]): void {
  const { model, w, s } = decoders.get(decoder)!;
  const e = model.engine;
  const cfg = model.config;
  const C = cfg.hiddenSize;
  const hs = headDim(cfg);
  const kv = cfg.numKeyValueHeads * hs;
  const G = prompts.length;
  const T = prompts.reduce((m, p) => Math.max(m, p.length), 0);
  for (let g = 0; g < G; g++) {
    const prompt = prompts[g]!;
    for (let t = 0; t < T; t++) {
      decoder.tokens[g * T + t] = t < prompt.length ? prompt[t]! : 0; // right padding never reaches real tokens
      decoder.positions[g * T + t] = t;
    }
  }
  const rows = G * T;
  e.embedding(s.x, w.embed, decoder.tokens, rows, C);
  runLayers(model, w, s, rows, decoder.positions, (l) => {
    e.attention(s.att, s.lse, s.q, s.k, s.v, G, T, cfg.numAttentionHeads, cfg.numKeyValueHeads, hs);
    const kc = decoder.kCaches[l]!;
    const vc = decoder.vCaches[l]!;
    for (let g = 0; g < G; g++) {
      const n = prompts[g]!.length * kv;
      const from = g * T * kv;
      const to = slotsOf[g]! * decoder.maxT * kv;
      for (let i = 0; i < n; i++) {
        kc[to + i] = s.k[from + i]!;
        vc[to + i] = s.v[from + i]!;
      }
    }
  });
  for (let g = 0; g < G; g++) {
    const from = (g * T + prompts[g]!.length - 1) * C;
    const to = slotsOf[g]! * C;
    for (let c = 0; c < C; c++) s.last[to + c] = s.x[from + c]!;
  }
}

/** decoder.logits (B, V) for the last prompt token of every slot, after all groups were prefilled. */
export function prefillLogits(decoder: KvDecoder): void {
  const { model, w, s } = decoders.get(decoder)!;
  finalLogits(model, w, s, s.last, decoder.logits, decoder.slots);
}

function finalLogits(model: LlamaModel, w: ModelWeights, s: Scratch, x: Float32Array, logits: Float32Array, rows: number): void {
  const e = model.engine;
  const C = model.config.hiddenSize;
  e.rmsnorm(s.ln, s.rstd, x, w.finalNorm, rows, C, model.config.rmsNormEps);
  e.linear(logits, s.ln, w.lmHead, rows, C, model.config.vocabSize); // (rows, V)
}

/**
 * One decode step for slots 0..active−1: feeds decoder.tokens[i] at decoder.positions[i], appends its k/v to the
 * cache and writes next-token logits to decoder.logits (active, V).
 */
export function decode(decoder: KvDecoder, active: number): void {
  const { model, w, s } = decoders.get(decoder)!;
  const e = model.engine;
  const cfg = model.config;
  const hs = headDim(cfg);
  const kv = cfg.numKeyValueHeads * hs;
  const maxT = decoder.maxT;
  for (let i = 0; i < active; i++) s.lengths[i] = decoder.positions[i]! + 1;
  e.embedding(s.x, w.embed, decoder.tokens, active, cfg.hiddenSize);
  runLayers(model, w, s, active, decoder.positions, (l) => {
    const kc = decoder.kCaches[l]!;
    const vc = decoder.vCaches[l]!;
    for (let i = 0; i < active; i++) {
      const to = (i * maxT + decoder.positions[i]!) * kv;
      const from = i * kv;
      for (let j = 0; j < kv; j++) {
        kc[to + j] = s.k[from + j]!;
        vc[to + j] = s.v[from + j]!;
      }
    }
    e.attentionDecode(s.att, s.q, kc, vc, s.lengths, active, maxT, cfg.numAttentionHeads, cfg.numKeyValueHeads, hs);
  });
  finalLogits(model, w, s, s.x, decoder.logits, active);
}

/** Moves slot `from` (its first `length` cache positions) to slot `to`, for compacting finished sequences away. */
export function moveSlot(decoder: KvDecoder, from: number, to: number, length: number): void {
  const { model } = decoders.get(decoder)!;
  const kv = model.config.numKeyValueHeads * headDim(model.config);
  const stride = decoder.maxT * kv;
  for (const cache of [...decoder.kCaches, ...decoder.vCaches]) {
    cache.copyWithin(to * stride, from * stride, from * stride + length * kv);
  }
}
