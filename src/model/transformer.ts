// Training-mode forward and backward of the Llama decoder over a right-padded batch (B, T), on engine kernels.
// Activations live in a preallocated workspace (sized by rows = B·T, reused across steps); the lm head and
// log-softmax run only on the scored rows. Shifting/masking of targets is sequence-logprobs.ts's job, not this.
import type { Engine } from '../engine/index.ts';
import { headDim, type LlamaConfig } from './config.ts';
import type { LlamaModel, ModelWeights } from './llama.ts';

interface LayerActivations {
  x: Float32Array; // (N, C) layer input (residual stream)
  ln1: Float32Array; // (N, C)
  rstd1: Float32Array; // (N)
  q: Float32Array; // (N, H·hs) after rope
  k: Float32Array; // (N, KVH·hs) after rope
  v: Float32Array; // (N, KVH·hs)
  att: Float32Array; // (N, C) attention output before o_proj
  lse: Float32Array; // (B, H, T)
  h: Float32Array; // (N, C) residual after attention
  ln2: Float32Array; // (N, C)
  rstd2: Float32Array; // (N)
  gate: Float32Array; // (N, I)
  up: Float32Array; // (N, I)
  act: Float32Array; // (N, I) silu(gate)·up
}

export interface Workspace {
  readonly rows: number; // capacity N ≥ B·T
  readonly ids: Int32Array; // (N) inputs, filled by the caller
  readonly positions: Int32Array; // (N) absolute positions, filled by the caller
  readonly scoredRows: Int32Array; // (S) row index of each scored row, filled by the caller
  readonly targets: Int32Array; // (S) target id of each scored row
  readonly weights: Float32Array; // (S) d loss / d logprob, filled before backward
  readonly logprobs: Float32Array; // (S) output
  readonly layers: LayerActivations[];
  readonly xFinal: Float32Array; // (N, C)
  readonly lnf: Float32Array; // (N, C)
  readonly rstdf: Float32Array; // (N)
  readonly lnfScored: Float32Array; // (S, C)
  readonly logits: Float32Array; // (S, V); becomes dlogits in backward
  readonly lseV: Float32Array; // (S)
  // backward scratch, shared across layers
  readonly dx: Float32Array; // (N, C)
  readonly dC: Float32Array; // (N, C)
  readonly dq: Float32Array; // (N, C)
  readonly dk: Float32Array; // (N, KVH·hs)
  readonly dv: Float32Array; // (N, KVH·hs)
  readonly dGate: Float32Array; // (N, I)
  readonly dUp: Float32Array; // (N, I)
  readonly dAct: Float32Array; // (N, I)
  readonly tmpC: Float32Array; // (N, C) o_proj / down_proj outputs
}

/** Bytes of workspace per padded row (activations kept for backward plus backward scratch). */
export function workspaceBytesPerRow(config: LlamaConfig): number {
  const C = config.hiddenSize;
  const I = config.intermediateSize;
  const kv = config.numKeyValueHeads * headDim(config);
  const perLayer = 7 * C + 2 * kv + 3 * I + config.numAttentionHeads + 2;
  const shared = 4 * C + config.vocabSize + 8 + 5 * C + 2 * kv + 3 * I;
  return 4 * (config.numHiddenLayers * perLayer + shared);
}

export function createWorkspace(model: LlamaModel, rows: number): Workspace {
  const { engine, config } = model;
  const C = config.hiddenSize;
  const I = config.intermediateSize;
  const H = config.numAttentionHeads;
  const kv = config.numKeyValueHeads * headDim(config);
  const V = config.vocabSize;
  const f = (n: number): Float32Array => engine.alloc(n);
  const layers: LayerActivations[] = [];
  for (let l = 0; l < config.numHiddenLayers; l++) {
    layers.push({
      x: f(rows * C), ln1: f(rows * C), rstd1: f(rows), q: f(rows * C), k: f(rows * kv), v: f(rows * kv),
      att: f(rows * C), lse: f(rows * H), h: f(rows * C), ln2: f(rows * C), rstd2: f(rows),
      gate: f(rows * I), up: f(rows * I), act: f(rows * I),
    });
  }
  return {
    rows,
    ids: engine.allocInt32(rows), positions: engine.allocInt32(rows), scoredRows: engine.allocInt32(rows),
    targets: engine.allocInt32(rows), weights: f(rows), logprobs: f(rows),
    layers,
    xFinal: f(rows * C), lnf: f(rows * C), rstdf: f(rows), lnfScored: f(rows * C), logits: f(rows * V), lseV: f(rows),
    dx: f(rows * C), dC: f(rows * C), dq: f(rows * C), dk: f(rows * kv), dv: f(rows * kv),
    dGate: f(rows * I), dUp: f(rows * I), dAct: f(rows * I), tmpC: f(rows * C),
  };
}

/** Runs the decoder on ws.ids (B·T rows) and writes ws.logprobs for the S scored rows. */
export function forward(model: LlamaModel, w: ModelWeights, ws: Workspace, B: number, T: number, S: number): void {
  const e: Engine = model.engine;
  const cfg = model.config;
  const N = B * T;
  const C = cfg.hiddenSize;
  const I = cfg.intermediateSize;
  const H = cfg.numAttentionHeads;
  const KVH = cfg.numKeyValueHeads;
  const hs = headDim(cfg);
  const kv = KVH * hs;
  const eps = cfg.rmsNormEps;
  const L = cfg.numHiddenLayers;

  e.embedding(L > 0 ? ws.layers[0]!.x : ws.xFinal, w.embed, ws.ids, N, C); // (N, C)
  for (let l = 0; l < L; l++) {
    const a = ws.layers[l]!;
    const lw = w.layers[l]!;
    const next = l + 1 < L ? ws.layers[l + 1]!.x : ws.xFinal;
    e.rmsnorm(a.ln1, a.rstd1, a.x, lw.inputNorm, N, C, eps);
    e.linear(a.q, a.ln1, lw.q, N, C, C); // (B,T,H,hs)
    e.linear(a.k, a.ln1, lw.k, N, C, kv); // (B,T,KVH,hs)
    e.linear(a.v, a.ln1, lw.v, N, C, kv);
    e.rope(a.q, ws.positions, N, H, hs, cfg.ropeTheta);
    e.rope(a.k, ws.positions, N, KVH, hs, cfg.ropeTheta);
    e.attention(a.att, a.lse, a.q, a.k, a.v, B, T, H, KVH, hs); // (B,T,H,hs)
    e.linear(ws.tmpC, a.att, lw.o, N, C, C);
    e.add(a.h, a.x, ws.tmpC, N * C);
    e.rmsnorm(a.ln2, a.rstd2, a.h, lw.postNorm, N, C, eps);
    e.linear(a.gate, a.ln2, lw.gate, N, C, I); // (N, I)
    e.linear(a.up, a.ln2, lw.up, N, C, I);
    e.swiglu(a.act, a.gate, a.up, N * I);
    e.linear(ws.tmpC, a.act, lw.down, N, I, C);
    e.add(next, a.h, ws.tmpC, N * C);
  }
  e.rmsnorm(ws.lnf, ws.rstdf, ws.xFinal, w.finalNorm, N, C, eps);
  gatherRows(ws.lnfScored, ws.lnf, ws.scoredRows, S, C); // (S, C)
  e.linear(ws.logits, ws.lnfScored, w.lmHead, S, C, cfg.vocabSize); // (S, V)
  e.logSoftmaxTargets(ws.logprobs, ws.lseV, ws.logits, ws.targets, S, cfg.vocabSize);
}

/** Accumulates d(Σ_s ws.weights[s]·ws.logprobs[s])/dθ into `g`. Must follow the forward on the same ws. */
export function backward(model: LlamaModel, w: ModelWeights, g: ModelWeights, ws: Workspace, B: number, T: number, S: number): void {
  const e: Engine = model.engine;
  const cfg = model.config;
  const N = B * T;
  const C = cfg.hiddenSize;
  const I = cfg.intermediateSize;
  const H = cfg.numAttentionHeads;
  const KVH = cfg.numKeyValueHeads;
  const hs = headDim(cfg);
  const kv = KVH * hs;
  const L = cfg.numHiddenLayers;

  const dlogits = ws.logits; // overwritten in place: (S, V)
  e.logSoftmaxTargetsBackward(dlogits, ws.logits, ws.lseV, ws.targets, ws.weights, S, cfg.vocabSize);
  ws.dC.fill(0, 0, S * C); // d lnfScored (S, C)
  e.linearBackward(ws.dC, g.lmHead, dlogits, ws.lnfScored, w.lmHead, S, C, cfg.vocabSize);
  const dlnf = ws.tmpC; // (N, C), zero except scored rows
  dlnf.fill(0, 0, N * C);
  scatterRows(dlnf, ws.dC, ws.scoredRows, S, C);
  ws.dx.fill(0, 0, N * C);
  e.rmsnormBackward(ws.dx, g.finalNorm, dlnf, ws.xFinal, w.finalNorm, ws.rstdf, N, C);

  for (let l = L - 1; l >= 0; l--) {
    const a = ws.layers[l]!;
    const lw = w.layers[l]!;
    const lg = g.layers[l]!;
    // MLP: x_{l+1} = h + down(silu(gate(ln2)) · up(ln2)); ws.dx holds d x_{l+1}
    ws.dAct.fill(0, 0, N * I);
    e.linearBackward(ws.dAct, lg.down, ws.dx, a.act, lw.down, N, I, C);
    ws.dGate.fill(0, 0, N * I);
    ws.dUp.fill(0, 0, N * I);
    e.swigluBackward(ws.dGate, ws.dUp, ws.dAct, a.gate, a.up, N * I);
    ws.dC.fill(0, 0, N * C);
    e.linearBackward(ws.dC, lg.gate, ws.dGate, a.ln2, lw.gate, N, C, I);
    e.linearBackward(ws.dC, lg.up, ws.dUp, a.ln2, lw.up, N, C, I);
    e.rmsnormBackward(ws.dx, lg.postNorm, ws.dC, a.h, lw.postNorm, a.rstd2, N, C); // ws.dx = d h
    // attention: h = x + o(attn(rope(q(ln1)), rope(k(ln1)), v(ln1)))
    ws.dC.fill(0, 0, N * C);
    e.linearBackward(ws.dC, lg.o, ws.dx, a.att, lw.o, N, C, C); // d att
    ws.dq.fill(0, 0, N * C);
    ws.dk.fill(0, 0, N * kv);
    ws.dv.fill(0, 0, N * kv);
    e.attentionBackward(ws.dq, ws.dk, ws.dv, ws.dC, a.att, a.lse, a.q, a.k, a.v, B, T, H, KVH, hs);
    e.ropeBackward(ws.dq, ws.positions, N, H, hs, cfg.ropeTheta);
    e.ropeBackward(ws.dk, ws.positions, N, KVH, hs, cfg.ropeTheta);
    ws.dC.fill(0, 0, N * C); // now d ln1
    e.linearBackward(ws.dC, lg.q, ws.dq, a.ln1, lw.q, N, C, C);
    e.linearBackward(ws.dC, lg.k, ws.dk, a.ln1, lw.k, N, C, kv);
    e.linearBackward(ws.dC, lg.v, ws.dv, a.ln1, lw.v, N, C, kv);
    e.rmsnormBackward(ws.dx, lg.inputNorm, ws.dC, a.x, lw.inputNorm, a.rstd1, N, C); // ws.dx = d x_l
  }
  e.embeddingBackward(g.embed, ws.dx, ws.ids, N, C);
}

// dst (S, C) = src[rows[s]]
function gatherRows(dst: Float32Array, src: Float32Array, rows: Int32Array, S: number, C: number): void {
  for (let s = 0; s < S; s++) {
    const from = rows[s]! * C;
    const to = s * C;
    for (let c = 0; c < C; c++) dst[to + c] = src[from + c]!;
  }
}

// dst[rows[s]] = src (S, C)
function scatterRows(dst: Float32Array, src: Float32Array, rows: Int32Array, S: number, C: number): void {
  for (let s = 0; s < S; s++) {
    const from = s * C;
    const to = rows[s]! * C;
    for (let c = 0; c < C; c++) dst[to + c] = src[from + c]!;
  }
}
