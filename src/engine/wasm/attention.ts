// KV-cache decode attention: one query row per (sequence, head) against its cache, scores in scratch.
// The training-time attention (blocks of queries through the GEMM tile) is in attention-blocks.ts.
import { dot, exp4, expScalar, fma, hmax, hsum } from './simd';

// One query q against n keys/values (stride kvStride bytes): writes softmax·v to out, returns logsumexp.
// Scores go 4 keys at a time (4 accumulators reduced together); the weighted sum keeps 16 output floats in registers.
function attendRow(out: usize, q: usize, k: usize, v: usize, kvStride: usize, n: i32, hs: i32, scale: f32, scores: usize): f32 {
  let mv = f32x4.splat(-Infinity);
  const sv = f32x4.splat(scale);
  const hs4 = hs & ~3;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const k0 = k + <usize>j * kvStride, k1 = k0 + kvStride, k2 = k1 + kvStride, k3 = k2 + kvStride;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    for (let d = 0; d < hs4; d += 4) {
      const o = <usize>d << 2;
      const qv = v128.load(q + o);
      a0 = fma(qv, v128.load(k0 + o), a0);
      a1 = fma(qv, v128.load(k1 + o), a1);
      a2 = fma(qv, v128.load(k2 + o), a2);
      a3 = fma(qv, v128.load(k3 + o), a3);
    }
    // lane i of s = Σ of accumulator i
    const t0 = f32x4.add(v128.shuffle<f32>(a0, a1, 0, 4, 1, 5), v128.shuffle<f32>(a0, a1, 2, 6, 3, 7));
    const t1 = f32x4.add(v128.shuffle<f32>(a2, a3, 0, 4, 1, 5), v128.shuffle<f32>(a2, a3, 2, 6, 3, 7));
    let s = f32x4.add(v128.shuffle<f32>(t0, t1, 0, 1, 4, 5), v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
    if (hs4 < hs) {
      let e0: f32 = 0, e1: f32 = 0, e2: f32 = 0, e3: f32 = 0;
      for (let d = hs4; d < hs; d++) {
        const o = <usize>d << 2;
        const qs = load<f32>(q + o);
        e0 += qs * load<f32>(k0 + o); e1 += qs * load<f32>(k1 + o); e2 += qs * load<f32>(k2 + o); e3 += qs * load<f32>(k3 + o);
      }
      s = f32x4.add(s, f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(e0), 1, e1), 2, e2), 3, e3));
    }
    s = f32x4.mul(s, sv);
    v128.store(scores + (<usize>j << 2), s);
    mv = f32x4.pmax(mv, s);
  }
  let mx = hmax(mv);
  for (; j < n; j++) {
    const s = dot(q, k + <usize>j * kvStride, hs) * scale;
    store<f32>(scores + (<usize>j << 2), s);
    mx = max<f32>(mx, s);
  }
  const mxv = f32x4.splat(mx);
  let accv = f32x4.splat(0);
  j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    const e = exp4(f32x4.sub(v128.load(scores + o), mxv));
    v128.store(scores + o, e);
    accv = f32x4.add(accv, e);
  }
  let sum = hsum(accv);
  for (; j < n; j++) {
    const o = <usize>j << 2;
    const e = expScalar(load<f32>(scores + o) - mx);
    store<f32>(scores + o, e);
    sum += e;
  }
  const inv: f32 = 1 / sum;
  const iv = f32x4.splat(inv);
  let d = 0;
  for (; d + 16 <= hs; d += 16) {
    let o0 = f32x4.splat(0), o1 = f32x4.splat(0), o2 = f32x4.splat(0), o3 = f32x4.splat(0);
    let vj = v + (<usize>d << 2);
    for (let i = 0; i < n; i++) {
      const p = v128.load32_splat(scores + (<usize>i << 2));
      o0 = fma(p, v128.load(vj), o0);
      o1 = fma(p, v128.load(vj, 16), o1);
      o2 = fma(p, v128.load(vj, 32), o2);
      o3 = fma(p, v128.load(vj, 48), o3);
      vj += kvStride;
    }
    const dst = out + (<usize>d << 2);
    v128.store(dst, f32x4.mul(o0, iv));
    v128.store(dst, f32x4.mul(o1, iv), 16);
    v128.store(dst, f32x4.mul(o2, iv), 32);
    v128.store(dst, f32x4.mul(o3, iv), 48);
  }
  for (; d < hs; d++) {
    let acc: f32 = 0;
    for (let i = 0; i < n; i++) acc += load<f32>(scores + (<usize>i << 2)) * load<f32>(v + <usize>i * kvStride + (<usize>d << 2));
    store<f32>(out + (<usize>d << 2), acc * inv);
  }
  return mx + <f32>Math.log(<f64>sum);
}

// units (b, h) in [start, end) of B·H; lengths (B) valid cache positions; slots (B) each row's cache slot, or 0 for b
export function attention_decode(start: i32, end: i32, scratch: usize, out: usize, q: usize, kCache: usize, vCache: usize,
  lengths: usize, maxT: i32, H: i32, KVH: i32, hs: i32, scale: f32, slots: usize): void {
  const group = H / KVH;
  const kvStride = <usize>(KVH * hs) << 2;
  for (let u = start; u < end; u++) {
    const b = u / H, h = u % H, kvh = h / group;
    const slot = slots ? load<i32>(slots + (<usize>b << 2)) : b;
    const cache = <usize>(slot * maxT * KVH + kvh) * <usize>hs << 2;
    const o = <usize>u * <usize>hs << 2;
    attendRow(out + o, q + o, kCache + cache, vCache + cache, kvStride, load<i32>(lengths + (<usize>b << 2)), hs, scale, scratch);
  }
}

