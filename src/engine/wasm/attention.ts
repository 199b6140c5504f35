// KV-cache decode attention: one query row per (sequence, head) against its cache, scores in scratch.
// The training-time attention (blocks of queries through the GEMM tile) is in attention-blocks.ts.
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

