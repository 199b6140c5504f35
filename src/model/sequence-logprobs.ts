// sequenceLogProbs: THE one place that shifts targets, applies the token mask and sums log-probs per sequence.
// SFT, DPO, RFT, scoring and evaluation all call it; backward(seqWeights) turns per-sequence weights into grads.
// Batches beyond a memory budget (384 MiB, or a third of the free engine memory when that is more) run in
// chunks of sequences, recomputed in backward; the workspace is reused.
import { ENGINE_MEMORY_BYTES } from '../engine/index.ts';
import { ShapeError } from '../errors.ts';
import type { LlamaModel } from './llama.ts';
import { allocLoraScratch, type LoraScratch } from './lora-projection.ts';
import { compactLayout, rowOf, sharedPrefixLength, type RowLayout } from './row-layout.ts';
import { trainViewsOf, type TrainViews } from './train-views.ts';
import { backward, forward } from './transformer.ts';
import { createWorkspace, logitRowsFor, wholeRowBudget, workspaceBytesPerRow, type Workspace } from './workspace.ts';

/** mask[t] = 1 means token t is scored given tokens < t (mask[0] is always 0). Sequences may differ in length. */
export interface ScoredBatch {
  ids: Int32Array[];
  mask: Uint8Array[];
}

export interface SequenceScores {
  /** per sequence: Σ_t mask[t]·log p(ids[t] | ids[<t]) */
  logProbs: Float64Array;
  /** per sequence: Σ_t mask[t] */
  tokenCounts: Int32Array;
  /** per sequence, aligned with ids (0 where mask is 0) */
  tokenLogProbs: Float32Array[];
  /** Accumulates d(Σ_s seqWeights[s]·logProbs[s])/dθ into model.grads. Only when called with { grad: true }. */
  backward(seqWeights: Float64Array): void;
  /**
   * Per-token weights instead (online RL's per-token losses):
   * accumulates d(Σ_s Σ_t w[s][t]·tokenLogProbs[s][t])/dθ into model.grads. tokenWeights[s] is aligned with ids[s];
   * entries where mask is 0 are ignored. Call either backward, once.
   */
  backwardTokens(tokenWeights: readonly Float64Array[]): void;
}

interface ModelState {
  ws: Workspace;
  wsStart: number; // arena marks around the workspace, to reclaim it when it grows
  wsEnd: number;
  sequenceOfRow: Int32Array; // (S) which sequence (batch index) each scored row of the current chunk belongs to
  generation: number; // bumped by every forward; a stale backward is refused
}

const states = new WeakMap<LlamaModel, ModelState>();

/**
 * The model's reusable workspace with room for `rows` rows (grown with some slack up to maxRows, never shrunk).
 * With `recompute` (one sequence too long to keep whole) it uses activation checkpointing. A workspace with
 * enough rows serves any forward; a checkpointing one is replaced for a training pass that fits whole, when it
 * can be reclaimed (so a big scoring batch does not leave the next training step recomputing every layer).
 */
function stateFor(model: LlamaModel, rows: number, maxRows: number, recompute: boolean, grad: boolean,
  logitRows?: number): ModelState {
  let state = states.get(model);
  const engine = model.engine;
  const reclaimable = reclaimableBytes(model) > 0;
  if (state && state.ws.rows >= rows && (!grad || !state.ws.recompute || recompute || !reclaimable)) return state;
  recompute ||= state?.ws.recompute === true && !reclaimable;
  // reclaim the old workspace when nothing was allocated after it
  if (state && reclaimable) engine.release(state.wsStart);
  const capacity = Math.max(rows, state ? Math.min(Math.ceil(state.ws.rows * 1.25), maxRows) : 0);
  const wsStart = engine.mark();
  const ws = createWorkspace(model, capacity, recompute, logitRows);
  const wsEnd = engine.mark();
  state = {
    ws, wsStart, wsEnd,
    sequenceOfRow: new Int32Array(capacity),
    generation: state?.generation ?? 0,
  };
  states.set(model, state);
  return state;
}

/** Bytes of the model's workspace when nothing was allocated after it (so it can be released), else 0. */
function reclaimableBytes(model: LlamaModel): number {
  const state = states.get(model);
  return state && model.engine.mark() === state.wsEnd ? state.wsEnd - state.wsStart : 0;
}

/** Engine memory a new workspace may take: what is unused, plus the model's own workspace when it can be reclaimed. */
function freeBytes(model: LlamaModel): number {
  return ENGINE_MEMORY_BYTES - model.engine.mark() + reclaimableBytes(model);
}

/** Padded rows (sequences × inputs) one pass may hold: the workspace budget divided by its bytes per row. */
const WORKSPACE_BYTES = 384 * 2 ** 20;

function defaultMaxRows(model: LlamaModel): number {
  return Math.max(1, Math.floor(WORKSPACE_BYTES / workspaceBytesPerRow(model.config)));
}

export interface SequenceLogProbsOptions {
  /** keep what backward() needs */
  grad?: boolean;
  /**
   * Most padded rows per forward pass (default: a 384 MiB workspace, or a third of the free engine memory when
   * that is more: wholeRowBudget). Larger batches run in chunks of whole sequences; backward() then recomputes
   * the forward of every chunk but the last (same result, ~1/3 more work).
   */
  maxRows?: number;
  /** Scored rows per lm-head slice when the model's workspace is created (default: logitRowsFor, workspace.ts). */
  logitRows?: number;
}

export function sequenceLogProbs(model: LlamaModel, batch: ScoredBatch,
  options: SequenceLogProbsOptions = {}): SequenceScores {
  const { ids, mask } = batch;
  const B = ids.length;
  if (mask.length !== B) throw new ShapeError(`batch has ${B} id sequences but ${mask.length} masks`);
  const inputLength = validate(model, batch);
  const free = freeBytes(model);
  // the larger of the fixed budget and what a third of the free engine memory holds (wholeRowBudget)
  const maxRows = options.maxRows ??
    Math.max(defaultMaxRows(model), wholeRowBudget(workspaceBytesPerRow(model.config), free));
  const chunks = planChunks(inputLength, maxRows);
  const rows = chunks.reduce((most, c) => Math.max(most, (c.end - c.start) * c.T), 0);
  const recompute = rows > maxRows; // one sequence longer than the budget: checkpoint its layers
  const logitRows = options.logitRows ?? logitRowsFor(rows, model.config.vocabSize, free);
  const state = stateFor(model, rows, maxRows, recompute, options.grad === true, logitRows);
  const views = trainViewsOf(model, options.grad === true);
  const generation = ++state.generation;

  const logProbs = new Float64Array(B);
  const tokenCounts = new Int32Array(B);
  const tokenLogProbs = ids.map((seq) => new Float32Array(seq.length));
  for (const chunk of chunks) {
    const S = fillChunk(state, batch, inputLength, chunk);
    if (S === 0) continue;
    withScratch(model, views, rows, (lora) => forward(model, views.weights, state.ws, chunk.layout, S, lora));
    for (let r = 0; r < S; r++) {
      const b = state.sequenceOfRow[r]!;
      const value = state.ws.logprobs[r]!;
      logProbs[b]! += value;
      tokenCounts[b]!++;
      tokenLogProbs[b]![state.ws.positions[state.ws.scoredRows[r]!]! + 1] = value;
    }
  }

  let backwardDone = false;
  return {
    logProbs, tokenCounts, tokenLogProbs,
    backward(seqWeights: Float64Array): void {
      if (seqWeights.length !== B) {
        throw new ShapeError(`seqWeights has ${seqWeights.length} entries, the batch ${B} sequences`);
      }
      runBackward((r) => seqWeights[state.sequenceOfRow[r]!]!);
    },
    backwardTokens(tokenWeights: readonly Float64Array[]): void {
      if (tokenWeights.length !== B) {
        throw new ShapeError(`tokenWeights has ${tokenWeights.length} sequences, the batch ${B}`);
      }
      tokenWeights.forEach((w, b) => {
        if (w.length !== ids[b]!.length) {
          throw new ShapeError(`tokenWeights[${b}] has ${w.length} entries, ids ${ids[b]!.length}`);
        }
      });
      // row r scores token positions[scoredRows[r]] + 1 of its sequence (as in the forward above)
      runBackward((r) => tokenWeights[state.sequenceOfRow[r]!]![state.ws.positions[state.ws.scoredRows[r]!]! + 1]!);
    },
  };

  function runBackward(weightOfRow: (row: number) => number): void {
    if (!options.grad) throw new ShapeError('backward() needs sequenceLogProbs(model, batch, { grad: true })');
    if (backwardDone) throw new ShapeError('backward() was already called for these scores');
    if (state.generation !== generation || states.get(model) !== state) {
      throw new ShapeError('backward() must follow its own sequenceLogProbs call: another forward ran in between');
    }
    backwardDone = true;
    // last chunk first: its activations are still in the workspace; earlier chunks are recomputed
    for (let c = chunks.length - 1; c >= 0; c--) {
      const chunk = chunks[c]!;
      const S = c === chunks.length - 1 ? chunk.S : fillChunk(state, batch, inputLength, chunk);
      if (S === 0) continue;
      for (let r = 0; r < S; r++) state.ws.weights[r] = weightOfRow(r);
      withScratch(model, views, rows, (lora) => {
        if (c !== chunks.length - 1) forward(model, views.weights, state.ws, chunk.layout, S, lora);
        backward(model, views.weights, views.grads, state.ws, chunk.layout, S, lora);
      });
    }
  }
}

/** Runs `pass` with the adapters' scratch (freed afterwards) when the views have adapters. */
function withScratch(model: LlamaModel, views: TrainViews, rows: number,
  pass: (lora: LoraScratch | undefined) => void): void {
  if (views.loraRank === 0) return pass(undefined);
  const engine = model.engine;
  const mark = engine.mark();
  try {
    pass(allocLoraScratch(engine, rows, views.loraRank, views.loraWidest));
  } finally {
    engine.release(mark);
  }
}

/** Checks the batch; returns each sequence's input length (its last scored position: later tokens are not needed). */
function validate(model: LlamaModel, { ids, mask }: ScoredBatch): Int32Array {
  const V = model.config.vocabSize;
  const maxLength = model.config.maxPositionEmbeddings;
  const inputLength = new Int32Array(ids.length);
  ids.forEach((seq, b) => {
    const m = mask[b]!;
    if (m.length !== seq.length) throw new ShapeError(`sequence ${b}: ${seq.length} ids but ${m.length} mask entries`);
    if (seq.length > maxLength) {
      throw new ShapeError(`sequence ${b} has ${seq.length} tokens, more than maxPositionEmbeddings ${maxLength}; ` +
        'truncate it first');
    }
    if (m[0]) throw new ShapeError(`sequence ${b}: mask[0] must be 0 (the first token has no context)`);
    for (let t = 0; t < seq.length; t++) {
      const id = seq[t]!;
      if (!(id >= 0 && id < V)) {
        throw new ShapeError(`sequence ${b}, position ${t}: token id ${id} outside the vocabulary (0..${V - 1})`);
      }
      if (m[t]) inputLength[b] = t;
    }
  });
  return inputLength;
}

/** Sequences [start, end) padded to T inputs; S scored rows and the compact layout (set by the first fillChunk). */
interface Chunk { start: number; end: number; T: number; S: number; layout: RowLayout }

/** Consecutive sequences, as many per chunk as fit in maxRows padded rows (at least one). */
function planChunks(inputLength: Int32Array, maxRows: number): Chunk[] {
  const chunks: Chunk[] = [];
  let current: Chunk | undefined;
  for (let b = 0; b < inputLength.length; b++) {
    const n = inputLength[b]!;
    if (current && (b + 1 - current.start) * Math.max(current.T, n) <= maxRows) {
      current.end = b + 1;
      current.T = Math.max(current.T, n);
    } else {
      const layout = { B: 0, T: 0, shared: 0, own: new Int32Array(0), length: new Int32Array(0), R: 0 };
      current = { start: b, end: b + 1, T: n, S: 0, layout };
      chunks.push(current);
    }
  }
  return chunks;
}

/**
 * Writes one chunk's compact inputs (the prefix its sequences share once, then each one's own tokens), scored rows
 * and targets into the workspace; returns its scored-row count.
 */
function fillChunk(state: ModelState, { ids, mask }: ScoredBatch, inputLength: Int32Array, chunk: Chunk): number {
  const ws = state.ws;
  const seqs = ids.slice(chunk.start, chunk.end);
  const lengths = inputLength.subarray(chunk.start, chunk.end);
  // one sequence has nothing to share: the dense layout avoids copies
  const shared = seqs.length === 1 ? 0 : sharedPrefixLength(seqs, Math.min(...lengths));
  const layout = compactLayout(seqs, lengths, shared, chunk.T, ws.ids, ws.positions);
  let s = 0;
  seqs.forEach((seq, b) => {
    const m = mask[chunk.start + b]!;
    for (let t = 0; t < lengths[b]!; t++) {
      if (!m[t + 1]) continue;
      ws.scoredRows[s] = rowOf(layout, b, t);
      ws.targets[s] = seq[t + 1]!;
      state.sequenceOfRow[s] = chunk.start + b;
      s++;
    }
  });
  chunk.layout = layout;
  chunk.S = s;
  return s;
}
