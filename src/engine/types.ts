// The Engine interface: memory plus forward/backward kernel pairs, as agreed with src/model.
// Every array argument must come from alloc()/allocInt32() of the same engine.

/** rope_theta, or the (hs/2) rotary inverse-frequency table (float64, as transformers builds it) */
export type RopeFreqs = number | Float64Array;

/** native = the WebAssembly kernels with the C++ addon's matrix products (src/engine/native-engine.ts) */
export type Backend = 'native' | 'relaxed-simd' | 'simd' | 'reference';
/** What a user picks (`--engine`): auto = native where built, else the fastest WebAssembly, else reference. */
export type EngineChoice = 'auto' | 'native' | 'wasm';

export interface EngineOptions {
  /** Worker threads including the main thread; default: available cores. */
  threads?: number;
  backend?: 'auto' | 'wasm' | Backend;
  /** Work (flops or elements) below which a kernel stays on the calling thread; tests pass 0 to split everything. */
  parallelMinWork?: number;
}

export interface AdamWOptions { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; step: number }

export interface Engine {
  readonly backend: Backend;
  readonly threads: number;
  /** Zeroed float32 array living in the engine's memory. Arrays stay valid for the engine's life. */
  alloc(length: number): Float32Array;
  allocInt32(length: number): Int32Array;
  /** Scratch arena: everything allocated after mark() is freed by release(mark). */
  mark(): number;
  release(mark: number): void;
  /** Stops worker threads. */
  dispose(): void;

  // Backward kernels ACCUMULATE (+=) into their gradient outputs; callers zero them first.
  /** out (rows, outDim) = x (rows, inDim) · wᵀ, w (outDim, inDim) */
  linear(out: Float32Array, x: Float32Array, w: Float32Array, rows: number, inDim: number, outDim: number): void;
  /** dx (rows, inDim) += dout · w ; dw (outDim, inDim) += doutᵀ · x ; a null dx or dw is skipped (frozen W) */
  linearBackward(dx: Float32Array | null, dw: Float32Array | null, dout: Float32Array, x: Float32Array, w: Float32Array,
    rows: number, inDim: number, outDim: number): void;
  /** out (n, dim) = table (V, dim) [ids (n)] */
  embedding(out: Float32Array, table: Float32Array, ids: Int32Array, n: number, dim: number): void;
  embeddingBackward(dtable: Float32Array, dout: Float32Array, ids: Int32Array, n: number, dim: number): void;
  /** saves rstd (rows) for the backward */
  rmsnorm(out: Float32Array, rstd: Float32Array, x: Float32Array, weight: Float32Array, rows: number, dim: number, eps: number): void;
  rmsnormBackward(dx: Float32Array, dweight: Float32Array, dout: Float32Array, x: Float32Array, weight: Float32Array,
    rstd: Float32Array, rows: number, dim: number): void;
  /**
   * HF rotate_half rotary embedding, in place on x (n, heads, hs); positions (n) absolute. `freqs` is rope_theta
   * (inverse frequencies theta^(−2i/hs)) or the (hs/2) inverse-frequency table itself (llama3/linear scaling),
   * which must not change afterwards (engines cache cos/sin per table).
   */
  rope(x: Float32Array, positions: Int32Array, n: number, heads: number, hs: number, freqs: RopeFreqs): void;
  /** in place: rotates by −angle */
  ropeBackward(dx: Float32Array, positions: Int32Array, n: number, heads: number, hs: number, freqs: RopeFreqs): void;
  /** x (rows, dim) += bias (dim) on every row */
  biasAdd(x: Float32Array, bias: Float32Array, rows: number, dim: number): void;
  /** dbias (dim) += Σ_rows dout (rows, dim) */
  biasBackward(dbias: Float32Array, dout: Float32Array, rows: number, dim: number): void;
  /** causal GQA attention: q (B,T,H,hs), k/v (B,T,KVH,hs), out (B,T,H,hs), lse (B,H,T); scale 1/sqrt(hs) */
  attention(out: Float32Array, lse: Float32Array, q: Float32Array, k: Float32Array, v: Float32Array,
    B: number, T: number, H: number, KVH: number, hs: number): void;
  attentionBackward(dq: Float32Array, dk: Float32Array, dv: Float32Array, dout: Float32Array, out: Float32Array,
    lse: Float32Array, q: Float32Array, k: Float32Array, v: Float32Array, B: number, T: number, H: number, KVH: number, hs: number): void;
  /**
   * One query row against a KV cache: q (B,H,hs), caches (slots,maxT,KVH,hs), lengths (B) valid positions (the new
   * token's own included). Row b reads cache slot `slots[b]` (default: slot b), so several rows of one sequence
   * (a chunk of new tokens, each with its own length) attend causally to the same cache. `prefix` is a promise
   * that may speed it up, never a change of result: see DecodePrefix.
   */
  attentionDecode(out: Float32Array, q: Float32Array, kCache: Float32Array, vCache: Float32Array, lengths: Int32Array,
    B: number, maxT: number, H: number, KVH: number, hs: number, slots?: Int32Array | null,
    prefix?: DecodePrefix | null): void;
  /** out = silu(gate) · up */
  swiglu(out: Float32Array, gate: Float32Array, up: Float32Array, n: number): void;
  swigluBackward(dgate: Float32Array, dup: Float32Array, dout: Float32Array, gate: Float32Array, up: Float32Array, n: number): void;
  /** out = a + b (out may alias a) */
  add(out: Float32Array, a: Float32Array, b: Float32Array, n: number): void;
  /** logprobs (rows) = logits[r, targets[r]] − logsumexp(logits[r]); lse saved; targets < 0 give 0 */
  logSoftmaxTargets(logprobs: Float32Array, lse: Float32Array, logits: Float32Array, targets: Int32Array, rows: number, V: number): void;
  /** OVERWRITES dlogits (may alias logits) with weights[r] · (onehot(targets[r]) − softmax(logits[r])) */
  logSoftmaxTargetsBackward(dlogits: Float32Array, logits: Float32Array, lse: Float32Array, targets: Int32Array,
    weights: Float32Array, rows: number, V: number): void;
  /** torch.optim.AdamW; step starts at 1 */
  adamw(params: Float32Array, grads: Float32Array, m: Float32Array, v: Float32Array, n: number, o: AdamWOptions): void;
  /** Σ x², accumulated in float64 */
  sumSquares(x: Float32Array, n: number): number;
  /** x *= s */
  scale(x: Float32Array, s: number, n: number): void;
}

/**
 * The caller's promise to attentionDecode that cache positions [0, lengths[b]) of row b's slot hold the same keys
 * and values as those of slot `slots[b]` (a prefix several rows share, e.g. copied from one slot). An engine may
 * read them from that slot instead: many rows then read one copy, which stays in the CPU cache, rather than one
 * copy each from memory. Engines that ignore it are correct; lengths 0 promise nothing.
 */
export interface DecodePrefix {
  slots: Int32Array; // (B)
  lengths: Int32Array; // (B) at most the row's own length
}
