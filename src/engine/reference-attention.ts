// Reference causal self-attention with grouped-query heads (HF repeat_kv: head h reads kv head h / (H/KVH)).
// Layouts: q (B,T,H,hs), k/v (B,T,KVH,hs), lse (B,H,T). Plain loops in float64; no tiling.
import type { Vec } from './reference.ts';

// out (B,T,H,hs) = softmax(q·kᵀ/sqrt(hs), causal) · v ; lse (B,H,T) = logsumexp of each score row
export function attention(out: Vec, lse: Vec, q: Vec, k: Vec, v: Vec, B: number, T: number, H: number, KVH: number, hs: number): void {
  const group = H / KVH;
  const scale = 1 / Math.sqrt(hs);
  const scores = new Float64Array(T);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const kvh = Math.floor(h / group);
      for (let t = 0; t < T; t++) {
        const qBase = ((b * T + t) * H + h) * hs;
        let max = -Infinity;
        for (let j = 0; j <= t; j++) {
          const kBase = ((b * T + j) * KVH + kvh) * hs;
          let s = 0;
          for (let d = 0; d < hs; d++) s += q[qBase + d]! * k[kBase + d]!;
          scores[j] = s * scale;
          max = Math.max(max, scores[j]!);
        }
        let sum = 0;
        for (let j = 0; j <= t; j++) sum += Math.exp(scores[j]! - max);
        const l = max + Math.log(sum);
        lse[(b * H + h) * T + t] = l;
        for (let d = 0; d < hs; d++) {
          let acc = 0;
          for (let j = 0; j <= t; j++) acc += Math.exp(scores[j]! - l) * v[((b * T + j) * KVH + kvh) * hs + d]!;
          out[qBase + d] = acc;
        }
      }
    }
  }
}

// Accumulates dq, dk, dv. p = exp(s − lse); dp = dout·v; ds = p·(dp − dout·out)
export function attentionBackward(dq: Vec, dk: Vec, dv: Vec, dout: Vec, out: Vec, lse: Vec, q: Vec, k: Vec, v: Vec,
  B: number, T: number, H: number, KVH: number, hs: number): void {
  const group = H / KVH;
  const scale = 1 / Math.sqrt(hs);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const kvh = Math.floor(h / group);
      for (let t = 0; t < T; t++) {
        const qBase = ((b * T + t) * H + h) * hs;
        const l = lse[(b * H + h) * T + t]!;
        let delta = 0;
        for (let d = 0; d < hs; d++) delta += dout[qBase + d]! * out[qBase + d]!;
        for (let j = 0; j <= t; j++) {
          const kBase = ((b * T + j) * KVH + kvh) * hs;
          let s = 0;
          let dp = 0;
          for (let d = 0; d < hs; d++) {
            s += q[qBase + d]! * k[kBase + d]!;
            dp += dout[qBase + d]! * v[kBase + d]!;
          }
          const p = Math.exp(s * scale - l);
          const ds = p * (dp - delta) * scale;
          for (let d = 0; d < hs; d++) {
            dq[qBase + d]! += ds * k[kBase + d]!;
            dk[kBase + d]! += ds * q[qBase + d]!;
            dv[kBase + d]! += p * dout[qBase + d]!;
          }
        }
      }
    }
  }
}

// One query row against a KV cache: q (B,H,hs), caches (slots,maxT,KVH,hs), lengths (B) valid positions;
// row b reads slot slots[b] (default b)
export function attentionDecode(out: Vec, q: Vec, kCache: Vec, vCache: Vec, lengths: Int32Array,
  B: number, maxT: number, H: number, KVH: number, hs: number, slots: Int32Array | null = null): void {
  const group = H / KVH;
  const scale = 1 / Math.sqrt(hs);
  const scores = new Float64Array(maxT);
  for (let b = 0; b < B; b++) {
    const length = lengths[b]!;
    if (!(length >= 1 && length <= maxT)) throw new RangeError(`lengths[${b}] = ${length} is outside 1..${maxT}`);
    const slot = slots ? slots[b]! : b;
    for (let h = 0; h < H; h++) {
      const kvh = Math.floor(h / group);
      const qBase = (b * H + h) * hs;
      let max = -Infinity;
      for (let j = 0; j < length; j++) {
        const kBase = ((slot * maxT + j) * KVH + kvh) * hs;
        let s = 0;
        for (let d = 0; d < hs; d++) s += q[qBase + d]! * kCache[kBase + d]!;
        scores[j] = s * scale;
        max = Math.max(max, scores[j]!);
      }
      let sum = 0;
      for (let j = 0; j < length; j++) sum += Math.exp(scores[j]! - max);
      for (let d = 0; d < hs; d++) {
        let acc = 0;
        for (let j = 0; j < length; j++) {
          acc += Math.exp(scores[j]! - max) * vCache[((slot * maxT + j) * KVH + kvh) * hs + d]!;
        }
        out[qBase + d] = acc / sum;
      }
    }
  }
}
