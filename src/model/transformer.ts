// Training-mode forward and backward of the Llama decoder on engine kernels. Row-wise work (norms, projections,
// MLP, lm head) runs on compact rows (row-layout.ts); only attention sees the right-padded (B, T) block.
// Activations live in a reused workspace. Shifting/masking of targets is sequence-logprobs.ts's job, not this file's.
import type { Engine } from '../engine/index.ts';
import { headsBackward, headsForward } from './attention-heads.ts';
import { headDim, queryDim, type LlamaConfig } from './config.ts';
import type { GradTargets, LlamaModel, ModelWeights } from './llama.ts';
import { project, projectBackward, type LoraScratch } from './lora-projection.ts';
import { copyRows, fromBlock, fromBlockBackward, isDense, toBlock, toBlockBackward, type RowLayout } from './row-layout.ts';

interface LayerActivations {
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
  readonly ids: Int32Array; // (R) inputs, filled by the caller
  readonly positions: Int32Array; // (R) absolute positions, filled by the caller
  readonly scoredRows: Int32Array; // (S) compact row of each scored token (a shared row may repeat), filled by the caller
  readonly targets: Int32Array; // (S) target id of each scored row
  readonly weights: Float32Array; // (S) d loss / d logprob, filled before backward
  readonly logprobs: Float32Array; // (S) output
  readonly layers: LayerActivations[];
  readonly xFinal: Float32Array; // (R, C)
  readonly lnf: Float32Array; // (R, C)
  readonly rstdf: Float32Array; // (R)
  readonly lnfScored: Float32Array; // (S, C)
  readonly logits: Float32Array; // (S, V); becomes dlogits in backward
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
export function workspaceBytesPerRow(config: LlamaConfig): number {
  const C = config.hiddenSize;
  const I = config.intermediateSize;
  const kv = config.numKeyValueHeads * headDim(config);
  const Q = queryDim(config);
  const norms = config.qkNorm ? { perLayer: Q + kv + config.numAttentionHeads + config.numKeyValueHeads, shared: Q + kv } : null;
  const perLayer = 4 * C + 3 * Q + 2 * kv + 3 * I + config.numAttentionHeads + 2 + (norms?.perLayer ?? 0);
  const shared = 3 * C + config.vocabSize + 8 + 2 * C + 3 * Q + Math.max(C, Q) + 4 * kv + 3 * I + 2 * C + (norms?.shared ?? 0);
  return 4 * (config.numHiddenLayers * perLayer + shared);
}

export function createWorkspace(model: LlamaModel, rows: number): Workspace {
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
  for (let l = 0; l < config.numHiddenLayers; l++) {
    layers.push({
      x: f(rows * C), ln1: f(rows * C), rstd1: f(rows), att: f(rows * Q), h: f(rows * C), ln2: f(rows * C), rstd2: f(rows),
      gate: f(rows * I), up: f(rows * I), act: f(rows * I),
      qRaw: ifNorm(rows * Q), kRaw: ifNorm(rows * kv), qRstd: ifNorm(rows * H), kRstd: ifNorm(rows * KVH),
      blockQ: f(rows * Q), blockK: f(rows * kv), blockV: f(rows * kv), blockAtt: f(rows * Q), lse: f(rows * H),
    });
  }
  return {
    rows,
    ids: engine.allocInt32(rows), positions: engine.allocInt32(rows), scoredRows: engine.allocInt32(rows),
    targets: engine.allocInt32(rows), weights: f(rows), logprobs: f(rows),
    layers,
    xFinal: f(rows * C), lnf: f(rows * C), rstdf: f(rows), lnfScored: f(rows * C), logits: f(rows * V), lseV: f(rows),
    q: f(rows * Q), k: f(rows * kv), v: f(rows * kv), dx: f(rows * C), dC: f(rows * Math.max(C, Q)), tmpC: f(rows * C),
    dGate: f(rows * I), dUp: f(rows * I), dAct: f(rows * I),
    dBlockQ: f(rows * Q), dBlockK: f(rows * kv), dBlockV: f(rows * kv), dBlockAtt: f(rows * Q),
    dqRaw: ifNorm(rows * Q), dkRaw: ifNorm(rows * kv), frozenNormGrad: f(Math.max(C, headDim(config))),
  };
}

/** The sizes forward and backward both work with. */
function dimensions(cfg: LlamaConfig): { C: number; I: number; H: number; KVH: number; hs: number; Q: number; kv: number; L: number } {
  const hs = headDim(cfg);
  return {
    C: cfg.hiddenSize, I: cfg.intermediateSize, H: cfg.numAttentionHeads, KVH: cfg.numKeyValueHeads,
    hs, Q: queryDim(cfg), kv: cfg.numKeyValueHeads * hs, L: cfg.numHiddenLayers,
  };
}

/** Runs the decoder on the R compact rows of ws.ids and writes ws.logprobs for the S scored rows. */
export function forward(model: LlamaModel, w: ModelWeights, ws: Workspace, o: RowLayout, S: number,
  lora?: LoraScratch): void {
  const e: Engine = model.engine;
  const cfg = model.config;
  const R = o.R;
  const { C, I, H, KVH, hs, Q, kv, L } = dimensions(cfg);
  const eps = cfg.rmsNormEps;

  const dense = isDense(o); // compact rows are the block itself: skip the copies
  e.embedding(L > 0 ? ws.layers[0]!.x : ws.xFinal, w.embed, ws.ids, R, C); // (R, C)
  for (let l = 0; l < L; l++) {
    const a = ws.layers[l]!;
    const lw = w.layers[l]!;
    const next = l + 1 < L ? ws.layers[l + 1]!.x : ws.xFinal;
    e.rmsnorm(a.ln1, a.rstd1, a.x, lw.inputNorm, R, C, eps);
    const [q, k, v] = dense ? [a.blockQ, a.blockK, a.blockV] : [ws.q, ws.k, ws.v];
    const [qRaw, kRaw] = cfg.qkNorm ? [a.qRaw!, a.kRaw!] : [q, k]; // the norm writes q/k from the raw projection
    const ad = lw.lora ?? {};
    project(e, qRaw, a.ln1, lw.q, ad.q, lora, R, C, Q); // (R, H·hs)
    project(e, kRaw, a.ln1, lw.k, ad.k, lora, R, C, kv); // (R, KVH·hs)
    project(e, v, a.ln1, lw.v, ad.v, lora, R, C, kv);
    headsForward(e, cfg, { raw: qRaw, out: q, rstd: a.qRstd, bias: lw.qBias, norm: lw.qNorm }, ws.positions, R, H);
    headsForward(e, cfg, { raw: kRaw, out: k, rstd: a.kRstd, bias: lw.kBias, norm: lw.kNorm }, ws.positions, R, KVH);
    if (lw.vBias) e.biasAdd(v, lw.vBias, R, kv);
    if (!dense) {
      toBlock(a.blockQ, q, Q, o);
      toBlock(a.blockK, k, kv, o);
      toBlock(a.blockV, v, kv, o);
    }
    e.attention(a.blockAtt, a.lse, a.blockQ, a.blockK, a.blockV, o.B, o.T, H, KVH, hs); // (B,T,H,hs)
    if (!dense) fromBlock(a.att, a.blockAtt, Q, o);
    project(e, ws.tmpC, dense ? a.blockAtt : a.att, lw.o, ad.o, lora, R, Q, C);
    e.add(a.h, a.x, ws.tmpC, R * C);
    e.rmsnorm(a.ln2, a.rstd2, a.h, lw.postNorm, R, C, eps);
    project(e, a.gate, a.ln2, lw.gate, ad.gate, lora, R, C, I); // (R, I)
    project(e, a.up, a.ln2, lw.up, ad.up, lora, R, C, I);
    e.swiglu(a.act, a.gate, a.up, R * I);
    project(e, ws.tmpC, a.act, lw.down, ad.down, lora, R, I, C);
    e.add(next, a.h, ws.tmpC, R * C);
  }
  e.rmsnorm(ws.lnf, ws.rstdf, ws.xFinal, w.finalNorm, R, C, eps);
  for (let s = 0; s < S; s++) copyRows(ws.lnfScored, s, ws.lnf, ws.scoredRows[s]!, 1, C); // (S, C)
  e.linear(ws.logits, ws.lnfScored, w.lmHead, S, C, cfg.vocabSize); // (S, V)
  e.logSoftmaxTargets(ws.logprobs, ws.lseV, ws.logits, ws.targets, S, cfg.vocabSize);
}

/**
 * Accumulates d(Σ_s ws.weights[s]·ws.logprobs[s])/dθ into `g` (null entries are frozen: skipped) and into the
 * adapters of `w`. Must follow the forward on the same ws.
 */
export function backward(model: LlamaModel, w: ModelWeights, g: GradTargets, ws: Workspace, o: RowLayout, S: number,
  lora?: LoraScratch): void {
  const e: Engine = model.engine;
  const cfg = model.config;
  const R = o.R;
  const { C, I, H, KVH, hs, Q, kv, L } = dimensions(cfg);
  const N = o.B * o.T;
  const dense = isDense(o);

  const dlogits = ws.logits; // overwritten in place: (S, V)
  e.logSoftmaxTargetsBackward(dlogits, ws.logits, ws.lseV, ws.targets, ws.weights, S, cfg.vocabSize);
  ws.dC.fill(0, 0, S * C); // d lnfScored (S, C)
  e.linearBackward(ws.dC, g.lmHead, dlogits, ws.lnfScored, w.lmHead, S, C, cfg.vocabSize);
  const dlnf = ws.tmpC; // (R, C): scored rows summed (a shared row can be scored by several sequences)
  dlnf.fill(0, 0, R * C);
  for (let s = 0; s < S; s++) {
    const to = ws.scoredRows[s]! * C;
    const from = s * C;
    for (let c = 0; c < C; c++) dlnf[to + c]! += ws.dC[from + c]!;
  }
  ws.dx.fill(0, 0, R * C);
  const frozen = ws.frozenNormGrad;
  e.rmsnormBackward(ws.dx, g.finalNorm ?? frozen, dlnf, ws.xFinal, w.finalNorm, ws.rstdf, R, C);

  for (let l = L - 1; l >= 0; l--) {
    const a = ws.layers[l]!;
    const lw = w.layers[l]!;
    const lg = g.layers[l]!;
    const ad = lw.lora ?? {};
    // MLP: x_{l+1} = h + down(silu(gate(ln2)) · up(ln2)); ws.dx holds d x_{l+1}
    ws.dAct.fill(0, 0, R * I);
    projectBackward(e, ws.dAct, lg.down, ad.down, lora, ws.dx, a.act, lw.down, R, I, C);
    ws.dGate.fill(0, 0, R * I);
    ws.dUp.fill(0, 0, R * I);
    e.swigluBackward(ws.dGate, ws.dUp, ws.dAct, a.gate, a.up, R * I);
    ws.dC.fill(0, 0, R * C);
    projectBackward(e, ws.dC, lg.gate, ad.gate, lora, ws.dGate, a.ln2, lw.gate, R, C, I);
    projectBackward(e, ws.dC, lg.up, ad.up, lora, ws.dUp, a.ln2, lw.up, R, C, I);
    e.rmsnormBackward(ws.dx, lg.postNorm ?? frozen, ws.dC, a.h, lw.postNorm, a.rstd2, R, C); // ws.dx = d h
    // attention: h = x + o(attn(rope(q(ln1)), rope(k(ln1)), v(ln1)))
    const dAtt = dense ? ws.dBlockAtt : ws.dC; // (R, H·hs)
    dAtt.fill(0, 0, R * Q);
    projectBackward(e, dAtt, lg.o, ad.o, lora, ws.dx, dense ? a.blockAtt : a.att, lw.o, R, Q, C);
    if (!dense) fromBlockBackward(ws.dBlockAtt, dAtt, Q, o);
    ws.dBlockQ.fill(0, 0, N * Q);
    ws.dBlockK.fill(0, 0, N * kv);
    ws.dBlockV.fill(0, 0, N * kv);
    e.attentionBackward(ws.dBlockQ, ws.dBlockK, ws.dBlockV, ws.dBlockAtt, a.blockAtt, a.lse, a.blockQ, a.blockK, a.blockV,
      o.B, o.T, H, KVH, hs);
    // compact gradients reuse the forward's compact q/k/v scratch
    const [dq, dk, dv] = dense ? [ws.dBlockQ, ws.dBlockK, ws.dBlockV] : [ws.q, ws.k, ws.v];
    if (!dense) {
      toBlockBackward(dq, ws.dBlockQ, Q, o);
      toBlockBackward(dk, ws.dBlockK, kv, o);
      toBlockBackward(dv, ws.dBlockV, kv, o);
    }
    const [qRaw, kRaw] = cfg.qkNorm ? [a.qRaw!, a.kRaw!] : [a.blockQ, a.blockK]; // raw only read with a norm
    const dqRaw = headsBackward(e, cfg, { dOut: dq, dRaw: ws.dqRaw, raw: qRaw, rstd: a.qRstd, norm: lw.qNorm,
      dNorm: lg.qNorm ?? frozen, dBias: lg.qBias ?? undefined }, ws.positions, R, H);
    const dkRaw = headsBackward(e, cfg, { dOut: dk, dRaw: ws.dkRaw, raw: kRaw, rstd: a.kRstd, norm: lw.kNorm,
      dNorm: lg.kNorm ?? frozen, dBias: lg.kBias ?? undefined }, ws.positions, R, KVH);
    if (lg.vBias) e.biasBackward(lg.vBias, dv, R, kv);
    ws.dC.fill(0, 0, R * C); // now d ln1
    projectBackward(e, ws.dC, lg.q, ad.q, lora, dqRaw, a.ln1, lw.q, R, C, Q);
    projectBackward(e, ws.dC, lg.k, ad.k, lora, dkRaw, a.ln1, lw.k, R, C, kv);
    projectBackward(e, ws.dC, lg.v, ad.v, lora, dv, a.ln1, lw.v, R, C, kv);
    e.rmsnormBackward(ws.dx, lg.inputNorm ?? frozen, ws.dC, a.x, lw.inputNorm, a.rstd1, R, C); // ws.dx = d x_l
  }
  if (g.embed) e.embeddingBackward(g.embed, ws.dx, ws.ids, R, C);
}
