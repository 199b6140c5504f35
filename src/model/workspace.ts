// The training workspace: every activation the backward needs, per padded row, plus scratch shared by layers.
// With `recompute` (activation checkpointing) the layers keep only their inputs and share the rest.
import { headDim, queryDim, type LlamaConfig } from './config.ts';
import type { LlamaModel } from './llama.ts';

export interface LayerActivations {
  x: Float32Array; // (R, C) layer input (residual stream)
  ln1: Float32Array; // (R, C)
  rstd1: Float32Array; // (R)
  att: Float32Array; // (R, H·hs) attention output before o_proj
  h: Float32Array; // (R, C) residual after attention
  ln2: Float32Array; // (R, C)
  rstd2: Float32Array; // (R)
  gate: Float32Array; // (R, I)
  up: Float32Array; // (R, I)
  act: Float32Array; // (R, I) silu(gate)·up
  qRaw: Float32Array | null; // (R, H·hs) q before the per-head norm (qkNorm only)
  kRaw: Float32Array | null; // (R, KVH·hs)
  qRstd: Float32Array | null; // (R·H)
  kRstd: Float32Array | null; // (R·KVH)
  blockQ: Float32Array; // (B, T, H, hs) after rope
  blockK: Float32Array; // (B, T, KVH, hs) after rope
  blockV: Float32Array; // (B, T, KVH, hs)
  blockAtt: Float32Array; // (B, T, H, hs)
  lse: Float32Array; // (B, H, T)
}

export interface Workspace {
  readonly rows: number; // capacity N ≥ B·T ≥ R
  /**
   * Activation checkpointing: every layer keeps only its input x and shares one set of the other activations;
   * the backward recomputes each layer's forward from its x first (one more forward, a fraction of the memory).
   */
  readonly recompute: boolean;
  readonly ids: Int32Array; // (R) inputs, filled by the caller
  readonly positions: Int32Array; // (R) absolute positions, filled by the caller
  /** (S) compact row of each scored token (a shared row may repeat), filled by the caller */
  readonly scoredRows: Int32Array;
  readonly targets: Int32Array; // (S) target id of each scored row
  readonly weights: Float32Array; // (S) d loss / d logprob, filled before backward
  readonly logprobs: Float32Array; // (S) output
  readonly layers: LayerActivations[];
  readonly xFinal: Float32Array; // (R, C)
  readonly lnf: Float32Array; // (R, C)
  readonly rstdf: Float32Array; // (R)
  readonly lnfScored: Float32Array; // (S, C)
  readonly logits: Float32Array; // (logitRows, V): one slice of scored rows at a time; becomes dlogits in backward
  /** scored rows per lm-head slice; when S exceeds it the backward recomputes each slice's logits */
  readonly logitRows: number;
  readonly lseV: Float32Array; // (S)
  // scratch shared across layers
  readonly q: Float32Array; // (R, H·hs) compact q (forward) / dq (backward)
  readonly k: Float32Array; // (R, kv)
  readonly v: Float32Array; // (R, kv)
  readonly dx: Float32Array; // (R, C)
  readonly dC: Float32Array; // (R, max(C, H·hs))
  readonly tmpC: Float32Array; // (R, C)
  readonly dGate: Float32Array; // (R, I)
  readonly dUp: Float32Array; // (R, I)
  readonly dAct: Float32Array; // (R, I)
  readonly dBlockQ: Float32Array; // (N, H·hs)
  readonly dBlockK: Float32Array; // (N, kv)
  readonly dBlockV: Float32Array; // (N, kv)
  readonly dBlockAtt: Float32Array; // (N, H·hs)
  readonly dqRaw: Float32Array | null; // (R, H·hs) d q before the per-head norm (qkNorm only)
  readonly dkRaw: Float32Array | null; // (R, kv)
  readonly frozenNormGrad: Float32Array; // (max(C, hs)) where the gradient of a frozen norm weight is dropped
}

/** Bytes of workspace per padded row (activations kept for backward plus scratch). */
export function workspaceBytesPerRow(config: LlamaConfig, recompute = false): number {
  const C = config.hiddenSize;
  const I = config.intermediateSize;
  const kv = config.numKeyValueHeads * headDim(config);
  const Q = queryDim(config);
  const norms = config.qkNorm
    ? { perLayer: Q + kv + config.numAttentionHeads + config.numKeyValueHeads, shared: Q + kv }
    : null;
  const perLayer = 4 * C + 3 * Q + 2 * kv + 3 * I + config.numAttentionHeads + 2 + (norms?.perLayer ?? 0);
  const shared = 3 * C + 8 + 2 * C + 3 * Q + Math.max(C, Q) + 4 * kv + 3 * I + 2 * C + (norms?.shared ?? 0);
  const layers = recompute ? config.numHiddenLayers * C + perLayer - C : config.numHiddenLayers * perLayer;
  return 4 * (layers + shared); // + the logits slice, sized by logitRowsFor whatever the rows
}

/**
 * Padded rows whose activations take at most a third of the engine memory still free: a pass (or a chunk of a
 * batch) this size keeps every layer's activations rather than checkpointing or recomputing them. A 0.5B model's
 * 256-token LoRA step needs ~650 MB beside 2 GB of weights; recomputing would cost a third more work per
 * backward, and memory it leaves unused costs nothing.
 */
export function wholeRowBudget(bytesPerRow: number, freeBytes: number): number {
  return Math.floor(freeBytes / 3 / bytesPerRow);
}

/** The logits slice's budget: a 49k or 152k vocabulary would otherwise cost 0.2–0.6 MB per scored row. */
export const LOGIT_BYTES = 64 * 2 ** 20;

/**
 * Scored rows per lm-head slice: all `rows` when their logits take at most an eighth of the free engine memory
 * (the backward then needs no second lm-head forward, and one tall GEMM runs faster than slices), else a
 * LOGIT_BYTES slice. A 0.5B model's 255 scored rows × 152k vocabulary (155 MB) are kept whole beside its weights.
 */
export function logitRowsFor(rows: number, vocabSize: number, freeBytes: number): number {
  const bytesPerRow = 4 * vocabSize;
  if (rows * bytesPerRow <= Math.max(LOGIT_BYTES, freeBytes / 8)) return Math.max(1, rows);
  return Math.max(1, Math.floor(LOGIT_BYTES / bytesPerRow));
}

export function createWorkspace(model: LlamaModel, rows: number, recompute = false,
  logitRows = logitRowsFor(rows, model.config.vocabSize, 0)): Workspace {
  const { engine, config } = model;
  const C = config.hiddenSize;
  const I = config.intermediateSize;
  const H = config.numAttentionHeads;
  const KVH = config.numKeyValueHeads;
  const kv = KVH * headDim(config);
  const Q = queryDim(config);
  const V = config.vocabSize;
  const f = (n: number): Float32Array => engine.alloc(n);
  const ifNorm = (n: number): Float32Array | null => (config.qkNorm ? f(n) : null);
  const layers: LayerActivations[] = [];
  let shared: LayerActivations | undefined;
  for (let l = 0; l < config.numHiddenLayers; l++) {
    if (shared) {
      layers.push({ ...shared, x: f(rows * C) });
      continue;
    }
    layers.push({
      x: f(rows * C), ln1: f(rows * C), rstd1: f(rows), att: f(rows * Q), h: f(rows * C), ln2: f(rows * C),
      rstd2: f(rows),
      gate: f(rows * I), up: f(rows * I), act: f(rows * I),
      qRaw: ifNorm(rows * Q), kRaw: ifNorm(rows * kv), qRstd: ifNorm(rows * H), kRstd: ifNorm(rows * KVH),
      blockQ: f(rows * Q), blockK: f(rows * kv), blockV: f(rows * kv), blockAtt: f(rows * Q), lse: f(rows * H),
    });
    if (recompute) shared = layers[0];
  }
  return {
    rows, recompute,
    ids: engine.allocInt32(rows), positions: engine.allocInt32(rows), scoredRows: engine.allocInt32(rows),
    targets: engine.allocInt32(rows), weights: f(rows), logprobs: f(rows),
    layers,
    xFinal: f(rows * C), lnf: f(rows * C), rstdf: f(rows), lnfScored: f(rows * C),
    logits: f(Math.min(rows, logitRows) * V),
    logitRows: Math.min(rows, logitRows), lseV: f(rows),
    q: f(rows * Q), k: f(rows * kv), v: f(rows * kv), dx: f(rows * C), dC: f(rows * Math.max(C, Q)), tmpC: f(rows * C),
    dGate: f(rows * I), dUp: f(rows * I), dAct: f(rows * I),
    dBlockQ: f(rows * Q), dBlockK: f(rows * kv), dBlockV: f(rows * kv), dBlockAtt: f(rows * Q),
    dqRaw: ifNorm(rows * Q), dkRaw: ifNorm(rows * kv), frozenNormGrad: f(Math.max(C, headDim(config))),
  };
}
