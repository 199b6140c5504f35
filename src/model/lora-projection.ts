// A linear projection with an optional LoRA adapter beside its frozen weight, as PEFT computes it:
// y = x·Wᵀ + s·(x·Aᵀ)·Bᵀ. The backward never forms the (out, in) gradient of a frozen W: it costs the dx
// product plus four rank-r products, which is what makes LoRA training cheaper than full fine-tuning.
// Shapes: x (R, in), W (out, in), A (r, in), B (out, r), s = alpha / r.
import type { Engine } from '../engine/index.ts';

export interface LoraSlot {
  readonly a: Float32Array; // (r, in)
  readonly b: Float32Array; // (out, r)
  readonly gradA: Float32Array; // (r, in), accumulated
  readonly gradB: Float32Array; // (out, r), accumulated
  readonly rank: number;
  readonly scale: number;
}

/** Engine scratch for the adapters of one pass: rows × the largest rank and rows × the widest output. */
export interface LoraScratch {
  readonly u: Float32Array; // (R, r)
  readonly v: Float32Array; // (R, r)
  readonly wide: Float32Array; // (R, out)
}

export function allocLoraScratch(e: Engine, rows: number, rank: number, widest: number): LoraScratch {
  return { u: e.alloc(rows * rank), v: e.alloc(rows * rank), wide: e.alloc(rows * widest) };
}

/** out (R, out) = x·Wᵀ, plus s·(x·Aᵀ)·Bᵀ when an adapter is given. */
export function project(e: Engine, out: Float32Array, x: Float32Array, w: Float32Array, lora: LoraSlot | undefined,
  scratch: LoraScratch | undefined, rows: number, inDim: number, outDim: number): void {
  e.linear(out, x, w, rows, inDim, outDim);
  if (!lora) return;
  const { u, wide } = scratch!;
  e.linear(u, x, lora.a, rows, inDim, lora.rank); // (R, r)
  e.scale(u, lora.scale, rows * lora.rank);
  e.linear(wide, u, lora.b, rows, lora.rank, outDim); // (R, out)
  e.add(out, out, wide, rows * outDim);
}

/**
 * dx += dout·W (+ s·(dout·B)·A), dW += doutᵀ·x when dw is given (null = frozen), and the adapter's
 * dA += s·(dout·B)ᵀ·x, dB += s·doutᵀ·(x·Aᵀ). dx null skips the input gradient.
 */
export function projectBackward(e: Engine, dx: Float32Array | null, dw: Float32Array | null,
  lora: LoraSlot | undefined, scratch: LoraScratch | undefined, dout: Float32Array, x: Float32Array,
  w: Float32Array, rows: number, inDim: number, outDim: number): void {
  if (dx || dw) e.linearBackward(dx, dw, dout, x, w, rows, inDim, outDim);
  if (!lora) return;
  const { u, v } = scratch!;
  const r = lora.rank;
  e.linear(u, x, lora.a, rows, inDim, r); // (R, r) = x·Aᵀ, recomputed rather than kept from the forward
  e.scale(u, lora.scale, rows * r);
  e.linearBackward(null, lora.gradB, dout, u, lora.b, rows, r, outDim); // dB (out, r) += doutᵀ·(s·u)
  v.fill(0, 0, rows * r);
  e.linearBackward(v, null, dout, u, lora.b, rows, r, outDim); // v (R, r) = dout·B
  e.scale(v, lora.scale, rows * r);
  e.linearBackward(dx, lora.gradA, v, x, lora.a, rows, inDim, r); // dx += s·v·A ; dA (r, in) += s·vᵀ·x
}
