// sequenceLogProbs: THE one place that shifts targets, applies the token mask and sums log-probs per sequence.
// SFT, DPO, RFT, scoring and evaluation all call it; backward(seqWeights) turns per-sequence weights into grads.
// It does not batch or pad for memory: the caller picks batch sizes; the workspace grows to the largest B·T seen.
import { ShapeError } from '../errors.ts';
import { weightViews, type LlamaModel, type ModelWeights } from './llama.ts';
import { backward, createWorkspace, forward, type Workspace } from './transformer.ts';

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
}

interface ModelState {
  ws: Workspace;
  wsStart: number; // arena marks around the workspace, to reclaim it when it grows
  wsEnd: number;
  sequenceOfRow: Int32Array; // (S) which sequence each scored row belongs to
  weights: ModelWeights;
  grads: ModelWeights;
  generation: number; // bumped by every forward; a stale backward is refused
}

const states = new WeakMap<LlamaModel, ModelState>();

/** The model's reusable workspace with room for `rows` rows (grown, never shrunk). */
function stateFor(model: LlamaModel, rows: number): ModelState {
  let state = states.get(model);
  if (state && state.ws.rows >= rows) return state;
  const engine = model.engine;
  // reclaim the old workspace when nothing was allocated after it
  if (state && engine.mark() === state.wsEnd) engine.release(state.wsStart);
  const capacity = Math.max(rows, state ? Math.ceil(state.ws.rows * 1.25) : 0);
  const wsStart = engine.mark();
  const ws = createWorkspace(model, capacity);
  const wsEnd = engine.mark();
  state = {
    ws, wsStart, wsEnd,
    sequenceOfRow: new Int32Array(capacity),
    weights: state?.weights ?? weightViews(model, model.params),
    grads: state?.grads ?? weightViews(model, model.grads),
    generation: state?.generation ?? 0,
  };
  states.set(model, state);
  return state;
}

export function sequenceLogProbs(model: LlamaModel, batch: ScoredBatch, options: { grad?: boolean } = {}): SequenceScores {
  const { ids, mask } = batch;
  const B = ids.length;
  if (mask.length !== B) throw new ShapeError(`batch has ${B} id sequences but ${mask.length} masks`);
  const V = model.config.vocabSize;
  const maxLength = model.config.maxPositionEmbeddings;
  // Inputs of sequence b are ids[0 .. inputLength[b]), where inputLength = the last scored position
  const inputLength = new Int32Array(B);
  let T = 0;
  let S = 0;
  for (let b = 0; b < B; b++) {
    const seq = ids[b]!;
    const m = mask[b]!;
    if (m.length !== seq.length) throw new ShapeError(`sequence ${b}: ${seq.length} ids but ${m.length} mask entries`);
    if (seq.length > maxLength) {
      throw new ShapeError(`sequence ${b} has ${seq.length} tokens, more than maxPositionEmbeddings ${maxLength}; truncate it first`);
    }
    if (m[0]) throw new ShapeError(`sequence ${b}: mask[0] must be 0 (the first token has no context)`);
    for (let t = 0; t < seq.length; t++) {
      const id = seq[t]!;
      if (!(id >= 0 && id < V)) throw new ShapeError(`sequence ${b}, position ${t}: token id ${id} outside the vocabulary (0..${V - 1})`);
      if (m[t]) {
        inputLength[b] = t;
        S++;
      }
    }
    T = Math.max(T, inputLength[b]!);
  }

  const state = stateFor(model, B * T);
  const ws = state.ws;
  const generation = ++state.generation;
  let s = 0;
  for (let b = 0; b < B; b++) {
    const seq = ids[b]!;
    const m = mask[b]!;
    const n = inputLength[b]!;
    for (let t = 0; t < T; t++) {
      const row = b * T + t;
      ws.ids[row] = t < n ? seq[t]! : 0; // right padding: causal attention never lets it reach real tokens
      ws.positions[row] = t;
      if (t < n && m[t + 1]) {
        ws.scoredRows[s] = row;
        ws.targets[s] = seq[t + 1]!;
        state.sequenceOfRow[s] = b;
        s++;
      }
    }
  }

  if (S > 0) forward(model, state.weights, ws, B, T, S);
  const logProbs = new Float64Array(B);
  const tokenCounts = new Int32Array(B);
  const tokenLogProbs = ids.map((seq) => new Float32Array(seq.length));
  for (let r = 0; r < S; r++) {
    const b = state.sequenceOfRow[r]!;
    const value = ws.logprobs[r]!;
    logProbs[b]! += value;
    tokenCounts[b]!++;
    tokenLogProbs[b]![(ws.scoredRows[r]! - b * T) + 1] = value;
  }

  let backwardDone = false;
  return {
    logProbs, tokenCounts, tokenLogProbs,
    backward(seqWeights: Float64Array): void {
      if (!options.grad) throw new ShapeError('backward() needs sequenceLogProbs(model, batch, { grad: true })');
      if (backwardDone) throw new ShapeError('backward() was already called for these scores');
      if (state.generation !== generation || states.get(model) !== state) {
        throw new ShapeError('backward() must follow its own sequenceLogProbs call: another forward ran in between');
      }
      if (seqWeights.length !== B) throw new ShapeError(`seqWeights has ${seqWeights.length} entries, the batch ${B} sequences`);
      backwardDone = true;
      if (S === 0) return;
      for (let r = 0; r < S; r++) ws.weights[r] = seqWeights[state.sequenceOfRow[r]!]!;
      backward(model, state.weights, state.grads, ws, B, T, S);
    },
  };
}
