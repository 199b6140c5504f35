// What happens to the q and k projections between the linear and attention, for every Llama-family variant:
// + bias (Qwen2), per-head RMSNorm over head_dim (Qwen3), then rope (rope_theta or a scaled frequency table).
// The plain Llama skips the first two, so its kernel calls are exactly the old ones.
import type { Engine } from '../engine/index.ts';
import { headDim, ropeFrequencies, type LlamaConfig } from './config.ts';

export interface HeadsForward {
  raw: Float32Array; // (rows, heads·hs) the projection; bias added in place
  out: Float32Array; // (rows, heads·hs) what attention sees; === raw without a norm
  rstd: Float32Array | null; // (rows·heads) the norm's saved rstd
  bias: Float32Array | undefined; // (heads·hs)
  norm: Float32Array | undefined; // (hs)
}

/** raw → (+bias) → (per-head RMSNorm into out) → rope on out. */
export function headsForward(e: Engine, cfg: LlamaConfig, h: HeadsForward, positions: Int32Array, rows: number,
  heads: number): void {
  const hs = headDim(cfg);
  if (h.bias) e.biasAdd(h.raw, h.bias, rows, heads * hs);
  if (h.norm) e.rmsnorm(h.out, h.rstd!, h.raw, h.norm, rows * heads, hs, cfg.rmsNormEps);
  e.rope(h.out, positions, rows, heads, hs, ropeFrequencies(cfg));
}

export interface HeadsBackward {
  dOut: Float32Array; // (rows, heads·hs) d loss / d roped output; overwritten (rope backward in place)
  dRaw: Float32Array | null; // (rows, heads·hs) scratch for d raw when there is a norm
  raw: Float32Array; // the forward's raw projection (bias included)
  rstd: Float32Array | null;
  norm: Float32Array | undefined;
  dNorm: Float32Array | undefined; // accumulated
  dBias: Float32Array | undefined; // accumulated
}

/** The reverse of headsForward; returns the buffer holding d loss / d raw projection. */
export function headsBackward(e: Engine, cfg: LlamaConfig, h: HeadsBackward, positions: Int32Array, rows: number,
  heads: number): Float32Array {
  const hs = headDim(cfg);
  e.ropeBackward(h.dOut, positions, rows, heads, hs, ropeFrequencies(cfg));
  let dRaw = h.dOut;
  if (h.norm) {
    dRaw = h.dRaw!;
    dRaw.fill(0, 0, rows * heads * hs);
    e.rmsnormBackward(dRaw, h.dNorm!, h.dOut, h.raw, h.norm, h.rstd!, rows * heads, hs);
  }
  if (h.dBias) e.biasBackward(h.dBias, dRaw, rows, heads * hs);
  return dRaw;
}
