// Causal self-attention with grouped-query heads for training, as GEMMs on the 4×8 tile: queries go in
// blocks of QB rows; a block only meets keys 0..t1 (the masked half is skipped, bar the diagonal block).
// No T×T matrix: a block's scores (QB × T) live in scratch. Backward units are (b, kv head), so the dk/dv
// sums of one thread never collide with another's. Scratch layout: attentionScratch() in ../wasm-engine.ts.
import { GEMM_SCRATCH, gemm_pack, gemmRows } from './gemm';
import { dot, exp4, expScalar, fma, hmax, hsum } from './simd';

const QB: i32 = 32;

@inline function panelBytes(n: i32, k: i32): usize {
  return <usize>((n + 7) >> 3) * <usize>k << 5;
}

// row of scores s[0..valid) → exp(s·scale − shift) in place, zeros on [valid, n); returns the sum
@inline function expRow(row: usize, valid: i32, n: i32, scale: f32, shift: f32): f32 {
  const sv = f32x4.splat(scale), nv = f32x4.splat(-shift);
  let acc = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= valid; j += 4) {
    const o = <usize>j << 2;
    const e = exp4(fma(v128.load(row + o), sv, nv));
    v128.store(row + o, e);
    acc = f32x4.add(acc, e);
  }
  let sum = hsum(acc);
  for (; j < valid; j++) {
    const o = <usize>j << 2;
    const e = expScalar(load<f32>(row + o) * scale - shift);
    store<f32>(row + o, e);
    sum += e;
  }
  if (n > valid) memory.fill(row + (<usize>valid << 2), 0, <usize>(n - valid) << 2);
  return sum;
}

@inline function rowMax(row: usize, n: i32): f32 {
  let mv = f32x4.splat(-Infinity);
  let j = 0;
  for (; j + 4 <= n; j += 4) mv = f32x4.pmax(mv, v128.load(row + (<usize>j << 2)));
  let mx = hmax(mv);
  for (; j < n; j++) mx = max<f32>(mx, load<f32>(row + (<usize>j << 2)));
  return mx;
}

@inline function scaleRow(row: usize, c: f32, n: i32): void {
  const cv = f32x4.splat(c);
  let d = 0;
  for (; d + 4 <= n; d += 4) v128.store(row + (<usize>d << 2), f32x4.mul(v128.load(row + (<usize>d << 2)), cv));
  for (; d < n; d++) store<f32>(row + (<usize>d << 2), load<f32>(row + (<usize>d << 2)) * c);
}

// units (b, h) in [start, end) of B·H
export function attention_fwd(start: i32, end: i32, scratch: usize, out: usize, lse: usize, q: usize, k: usize, v: usize,
  T: i32, H: i32, KVH: i32, hs: i32, scale: f32): void {
  const group = H / KVH;
  const kp = scratch + GEMM_SCRATCH; // Kᵀ panels: (k = d, j = key)
  const vp = kp + panelBytes(T, hs); // V panels: (k = key, j = d)
  const sbuf = vp + panelBytes(hs, T); // QB × T scores, then unnormalised probabilities
  const inv = sbuf + (<usize>(QB * T) << 2); // QB reciprocal row sums
  const qRow = H * hs;
  for (let u = start; u < end; u++) {
    const b = u / H, h = u % H, kvh = h / group;
    const kvBase = <usize>(b * T * KVH + kvh) * <usize>hs << 2;
    gemm_pack(0, (T + 7) >> 3, 0, kp, k + kvBase, 1, KVH * hs, hs, T);
    gemm_pack(0, (hs + 7) >> 3, 0, vp, v + kvBase, KVH * hs, 1, T, hs);
    for (let t0 = 0; t0 < T; t0 += QB) {
      const t1 = min<i32>(T, t0 + QB);
      const rows = t1 - t0;
      const qBlock = (<usize>((b * T + t0) * H + h) * <usize>hs) << 2;
      gemmRows(0, rows, sbuf, T, q + qBlock, qRow, 1, kp, hs, hs, t1, false, scratch);
      for (let r = 0; r < rows; r++) {
        const row = sbuf + (<usize>r * <usize>T << 2);
        const valid = t0 + r + 1;
        const shift = rowMax(row, valid) * scale;
        const sum = expRow(row, valid, t1, scale, shift);
        store<f32>(inv + (<usize>r << 2), 1 / sum); // normalise the output row, not the T probabilities
        store<f32>(lse + (<usize>((b * H + h) * T + t0 + r) << 2), shift + <f32>Math.log(<f64>sum));
      }
      gemmRows(0, rows, out + qBlock, qRow, sbuf, T, 1, vp, T, t1, hs, false, scratch);
      for (let r = 0; r < rows; r++) scaleRow(out + qBlock + (<usize>(r * qRow) << 2), load<f32>(inv + (<usize>r << 2)), hs);
    }
  }
}

// units (b, kv head) in [start, end) of B·KVH: accumulates dq, dk, dv for every head of the group
export function attention_bwd(start: i32, end: i32, scratch: usize, dq: usize, dk: usize, dv: usize, dout: usize, out: usize,
  lse: usize, q: usize, k: usize, v: usize, T: i32, H: i32, KVH: i32, hs: i32, scale: f32): void {
  const group = H / KVH;
  const kt = scratch + GEMM_SCRATCH; // (k = d, j = key)
  const vt = kt + panelBytes(T, hs); // (k = d, j = key)
  const kn = vt + panelBytes(T, hs); // (k = key, j = d)
  const qn = kn + panelBytes(hs, T); // query block (k = row, j = d)
  const dn = qn + panelBytes(hs, QB); // dout block (k = row, j = d)
  const pbuf = dn + panelBytes(hs, QB); // QB × T probabilities
  const dsbuf = pbuf + (<usize>(QB * T) << 2); // QB × T dP, then dS
  const qRow = H * hs, kvRow = KVH * hs;
  for (let u = start; u < end; u++) {
    const b = u / KVH, kvh = u % KVH;
    const kvBase = <usize>(b * T * KVH + kvh) * <usize>hs << 2;
    gemm_pack(0, (T + 7) >> 3, 0, kt, k + kvBase, 1, kvRow, hs, T);
    gemm_pack(0, (T + 7) >> 3, 0, vt, v + kvBase, 1, kvRow, hs, T);
    gemm_pack(0, (hs + 7) >> 3, 0, kn, k + kvBase, kvRow, 1, T, hs);
    for (let h = kvh * group; h < (kvh + 1) * group; h++) {
      for (let t0 = 0; t0 < T; t0 += QB) {
        const t1 = min<i32>(T, t0 + QB);
        const rows = t1 - t0;
        const block = (<usize>((b * T + t0) * H + h) * <usize>hs) << 2;
        gemmRows(0, rows, pbuf, T, q + block, qRow, 1, kt, hs, hs, t1, false, scratch); // S
        gemmRows(0, rows, dsbuf, T, dout + block, qRow, 1, vt, hs, hs, t1, false, scratch); // dP = dO·Vᵀ
        for (let r = 0; r < rows; r++) {
          const o = block + (<usize>(r * qRow) << 2);
          const delta = dot(dout + o, out + o, hs);
          const l = load<f32>(lse + (<usize>((b * H + h) * T + t0 + r) << 2));
          const prow = pbuf + (<usize>r * <usize>T << 2);
          const drow = dsbuf + (<usize>r * <usize>T << 2);
          const valid = t0 + r + 1;
          expRow(prow, valid, t1, scale, l); // p = exp(s·scale − lse)
          // dS = p·(dP − delta)·scale
          const dv4 = f32x4.splat(delta), sv = f32x4.splat(scale);
          let j = 0;
          for (; j + 4 <= valid; j += 4) {
            const jo = <usize>j << 2;
            v128.store(drow + jo, f32x4.mul(f32x4.mul(v128.load(prow + jo), f32x4.sub(v128.load(drow + jo), dv4)), sv));
          }
          for (; j < valid; j++) {
            const jo = <usize>j << 2;
            store<f32>(drow + jo, load<f32>(prow + jo) * (load<f32>(drow + jo) - delta) * scale);
          }
          if (t1 > valid) memory.fill(drow + (<usize>valid << 2), 0, <usize>(t1 - valid) << 2);
        }
        gemmRows(0, rows, dq + block, qRow, dsbuf, T, 1, kn, T, t1, hs, true, scratch); // dQ += dS·K
        gemm_pack(0, (hs + 7) >> 3, 0, qn, q + block, qRow, 1, rows, hs);
        gemmRows(0, t1, dk + kvBase, kvRow, dsbuf, 1, T, qn, rows, rows, hs, true, scratch); // dK += dSᵀ·Q
        gemm_pack(0, (hs + 7) >> 3, 0, dn, dout + block, qRow, 1, rows, hs);
        gemmRows(0, t1, dv + kvBase, kvRow, pbuf, 1, T, dn, rows, rows, hs, true, scratch); // dV += Pᵀ·dO
      }
    }
  }
}
