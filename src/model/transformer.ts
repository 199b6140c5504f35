// Training-mode forward and backward of the Llama decoder on engine kernels. Row-wise work (norms, projections,
// MLP, lm head) runs on compact rows (row-layout.ts); only attention sees the right-padded (B, T) block.
// Activations live in a reused workspace. Shifting/masking of targets is sequence-logprobs.ts's job, not this file's.
import type { Engine } from '../engine/index.ts';
import { headsBackward, headsForward } from './attention-heads.ts';
import { headDim, queryDim, type LlamaConfig } from './config.ts';
import type { GradTargets, LlamaModel, ModelWeights } from './llama.ts';
import { project, projectBackward, type LoraScratch } from './lora-projection.ts';
import { copyRows, fromBlock, fromBlockBackward, isDense, toBlock, toBlockBackward, type RowLayout } from './row-layout.ts';
import type { Workspace } from './workspace.ts';

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
  const { C, L } = dimensions(cfg);
  const eps = cfg.rmsNormEps;
  e.embedding(L > 0 ? ws.layers[0]!.x : ws.xFinal, w.embed, ws.ids, R, C); // (R, C)
  for (let l = 0; l < L; l++) layerForward(model, w, ws, o, l, lora);
  e.rmsnorm(ws.lnf, ws.rstdf, ws.xFinal, w.finalNorm, R, C, eps);
  for (let s = 0; s < S; s++) copyRows(ws.lnfScored, s, ws.lnf, ws.scoredRows[s]!, 1, C); // (S, C)
  const V = cfg.vocabSize;
  for (let s0 = 0; s0 < S; s0 += ws.logitRows) {
    const n = Math.min(ws.logitRows, S - s0);
    e.linear(ws.logits, ws.lnfScored.subarray(s0 * C, (s0 + n) * C), w.lmHead, n, C, V); // (n, V)
    e.logSoftmaxTargets(ws.logprobs.subarray(s0, s0 + n), ws.lseV.subarray(s0, s0 + n), ws.logits,
      ws.targets.subarray(s0, s0 + n), n, V);
  }
}

/** Layer l on the compact rows: reads ws.layers[l].x, writes the layer's activations and the next layer's x. */
function layerForward(model: LlamaModel, w: ModelWeights, ws: Workspace, o: RowLayout, l: number,
  lora: LoraScratch | undefined): void {
  const e: Engine = model.engine;
  const cfg = model.config;
  const R = o.R;
  const { C, I, H, KVH, hs, Q, kv, L } = dimensions(cfg);
  const eps = cfg.rmsNormEps;
  const dense = isDense(o); // compact rows are the block itself: skip the copies
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

  const V = cfg.vocabSize;
  const dlogits = ws.logits; // overwritten in place: (n, V) per slice
  ws.dC.fill(0, 0, S * C); // d lnfScored (S, C)
  for (let s0 = 0; s0 < S; s0 += ws.logitRows) {
    const n = Math.min(ws.logitRows, S - s0);
    const lnfSlice = ws.lnfScored.subarray(s0 * C, (s0 + n) * C);
    if (S > ws.logitRows) e.linear(ws.logits, lnfSlice, w.lmHead, n, C, V); // this slice again (lse is kept)
    e.logSoftmaxTargetsBackward(dlogits, ws.logits, ws.lseV.subarray(s0, s0 + n), ws.targets.subarray(s0, s0 + n),
      ws.weights.subarray(s0, s0 + n), n, V);
    e.linearBackward(ws.dC.subarray(s0 * C, (s0 + n) * C), g.lmHead, dlogits, lnfSlice, w.lmHead, n, C, V);
  }
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
    // this layer's activations, from its saved input; the last layer's are still those forward() left
    if (ws.recompute && l < L - 1) layerForward(model, w, ws, o, l, lora);
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
