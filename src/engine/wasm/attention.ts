// Causal self-attention with grouped-query heads, fused: scores of one query row live in scratch, never a T×T
// matrix, and masked positions (j > t) are never computed. Backward is split by (b, kv head) so the
// dk/dv sums of a thread never collide with another's. Layouts as in src/engine/types.ts.
import { exp4, expScalar, fma, hsum } from './simd';

@inline function dot(a: usize, b: usize, hs: i32): f32 {
  let acc = f32x4.splat(0);
  let d = 0;
  for (; d + 4 <= hs; d += 4) acc = fma(v128.load(a + (<usize>d << 2)), v128.load(b + (<usize>d << 2)), acc);
  let s = hsum(acc);
  for (; d < hs; d++) s += load<f32>(a + (<usize>d << 2)) * load<f32>(b + (<usize>d << 2));
  return s;
}

// dst[d] += c·src[d]
@inline function axpy(dst: usize, c: f32, src: usize, hs: i32): void {
  const cv = f32x4.splat(c);
  let d = 0;
  for (; d + 4 <= hs; d += 4) {
    const o = <usize>d << 2;
    v128.store(dst + o, fma(cv, v128.load(src + o), v128.load(dst + o)));
  }
  for (; d < hs; d++) {
    const o = <usize>d << 2;
    store<f32>(dst + o, load<f32>(dst + o) + c * load<f32>(src + o));
  }
}

// One query q against n keys/values (stride kvStride bytes): writes softmax·v to out, returns logsumexp.
function attendRow(out: usize, q: usize, k: usize, v: usize, kvStride: usize, n: i32, hs: i32, scale: f32, scores: usize): f32 {
  let mx: f32 = -Infinity;
  for (let j = 0; j < n; j++) {
    const s = dot(q, k + <usize>j * kvStride, hs) * scale;
    store<f32>(scores + (<usize>j << 2), s);
    mx = max<f32>(mx, s);
  }
  const mv = f32x4.splat(mx);
  let sv = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    const e = exp4(f32x4.sub(v128.load(scores + o), mv));
    v128.store(scores + o, e);
    sv = f32x4.add(sv, e);
  }
  let sum = hsum(sv);
  for (; j < n; j++) {
    const o = <usize>j << 2;
    const e = expScalar(load<f32>(scores + o) - mx);
    store<f32>(scores + o, e);
    sum += e;
  }
  memory.fill(out, 0, <usize>hs << 2);
  const inv: f32 = 1 / sum;
  for (j = 0; j < n; j++) axpy(out, load<f32>(scores + (<usize>j << 2)) * inv, v + <usize>j * kvStride, hs);
  return mx + <f32>Math.log(<f64>sum);
}

// units (b, h) in [start, end) of B·H
export function attention_fwd(start: i32, end: i32, scratch: usize, out: usize, lse: usize, q: usize, k: usize, v: usize,
  T: i32, H: i32, KVH: i32, hs: i32, scale: f32): void {
  const group = H / KVH;
  const qStride = <usize>(H * hs) << 2;
  const kvStride = <usize>(KVH * hs) << 2;
  for (let u = start; u < end; u++) {
    const b = u / H, h = u % H, kvh = h / group;
    const kBase = k + (<usize>(b * T * KVH + kvh) * <usize>hs << 2);
    const vBase = v + (<usize>(b * T * KVH + kvh) * <usize>hs << 2);
    const qBase = (<usize>(b * T * H + h) * <usize>hs) << 2;
    for (let t = 0; t < T; t++) {
      const o = qBase + <usize>t * qStride;
      const l = attendRow(out + o, q + o, kBase, vBase, kvStride, t + 1, hs, scale, scratch);
      store<f32>(lse + (<usize>(u * T + t) << 2), l);
    }
  }
}

// units (b, h) in [start, end) of B·H; lengths (B) valid cache positions
export function attention_decode(start: i32, end: i32, scratch: usize, out: usize, q: usize, kCache: usize, vCache: usize,
  lengths: usize, maxT: i32, H: i32, KVH: i32, hs: i32, scale: f32): void {
  const group = H / KVH;
  const kvStride = <usize>(KVH * hs) << 2;
  for (let u = start; u < end; u++) {
    const b = u / H, h = u % H, kvh = h / group;
    const cache = <usize>(b * maxT * KVH + kvh) * <usize>hs << 2;
    const o = <usize>u * <usize>hs << 2;
    attendRow(out + o, q + o, kCache + cache, vCache + cache, kvStride, load<i32>(lengths + (<usize>b << 2)), hs, scale, scratch);
  }
}

// units (b, kv head) in [start, end) of B·KVH: accumulates dq, dk, dv for every head of the group
export function attention_bwd(start: i32, end: i32, scratch: usize, dq: usize, dk: usize, dv: usize, dout: usize, out: usize,
  lse: usize, q: usize, k: usize, v: usize, T: i32, H: i32, KVH: i32, hs: i32, scale: f32): void {
  const group = H / KVH;
  const qStride = <usize>(H * hs) << 2;
  const kvStride = <usize>(KVH * hs) << 2;
  const probs = scratch;
  const dps = scratch + (<usize>T << 2);
  for (let u = start; u < end; u++) {
    const b = u / KVH, kvh = u % KVH;
    const kvBase = <usize>(b * T * KVH + kvh) * <usize>hs << 2;
    for (let h = kvh * group; h < (kvh + 1) * group; h++) {
      const qBase = (<usize>(b * T * H + h) * <usize>hs) << 2;
      for (let t = 0; t < T; t++) {
        const o = qBase + <usize>t * qStride;
        const l = load<f32>(lse + (<usize>((b * H + h) * T + t) << 2));
        const delta = dot(dout + o, out + o, hs);
        for (let j = 0; j <= t; j++) {
          const kv = kvBase + <usize>j * kvStride;
          store<f32>(probs + (<usize>j << 2), dot(q + o, k + kv, hs));
          store<f32>(dps + (<usize>j << 2), dot(dout + o, v + kv, hs));
        }
        // p = exp(s·scale − lse); ds = p·(dp − delta)·scale (kept in dps)
        const sv = f32x4.splat(scale), lv = f32x4.splat(l), dv4 = f32x4.splat(delta);
        let j = 0;
        for (; j + 4 <= t + 1; j += 4) {
          const jo = <usize>j << 2;
          const p = exp4(fma(v128.load(probs + jo), sv, f32x4.neg(lv)));
          v128.store(probs + jo, p);
          v128.store(dps + jo, f32x4.mul(f32x4.mul(p, f32x4.sub(v128.load(dps + jo), dv4)), sv));
        }
        for (; j <= t; j++) {
          const jo = <usize>j << 2;
          const p = expScalar(load<f32>(probs + jo) * scale - l);
          store<f32>(probs + jo, p);
          store<f32>(dps + jo, p * (load<f32>(dps + jo) - delta) * scale);
        }
        for (j = 0; j <= t; j++) {
          const kv = kvBase + <usize>j * kvStride;
          const ds = load<f32>(dps + (<usize>j << 2));
          axpy(dq + o, ds, k + kv, hs);
          axpy(dk + kv, ds, q + o, hs);
          axpy(dv + kv, load<f32>(probs + (<usize>j << 2)), dout + o, hs);
        }
      }
    }
  }
}
