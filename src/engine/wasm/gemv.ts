// Linear layer for a few rows (KV-cache decoding): out (rows, outDim) = x · wᵀ as dot products along k, which
// needs no packing of w. A 2-row × 4-column tile of f32x4 accumulators; units are output columns.
import { dot, fma, hsum } from './simd';

export function linear_rows(start: i32, end: i32, scratch: usize, out: usize, x: usize, w: usize, rows: i32, inDim: i32, outDim: i32): void {
  const rowBytes = <usize>inDim << 2;
  let j = start;
  for (; j + 4 <= end; j += 4) {
    const w0 = w + <usize>j * rowBytes, w1 = w0 + rowBytes, w2 = w1 + rowBytes, w3 = w2 + rowBytes;
    let i = 0;
    for (; i + 2 <= rows; i += 2) {
      const xa = x + <usize>i * rowBytes, xb = xa + rowBytes;
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
      let k = 0;
      for (; k + 4 <= inDim; k += 4) {
        const o = <usize>k << 2;
        const va = v128.load(xa + o), vb = v128.load(xb + o);
        let wv = v128.load(w0 + o); a0 = fma(va, wv, a0); b0 = fma(vb, wv, b0);
        wv = v128.load(w1 + o); a1 = fma(va, wv, a1); b1 = fma(vb, wv, b1);
        wv = v128.load(w2 + o); a2 = fma(va, wv, a2); b2 = fma(vb, wv, b2);
        wv = v128.load(w3 + o); a3 = fma(va, wv, a3); b3 = fma(vb, wv, b3);
      }
      let s0 = hsum(a0), s1 = hsum(a1), s2 = hsum(a2), s3 = hsum(a3);
      let t0 = hsum(b0), t1 = hsum(b1), t2 = hsum(b2), t3 = hsum(b3);
      for (; k < inDim; k++) {
        const o = <usize>k << 2;
        const ea = load<f32>(xa + o), eb = load<f32>(xb + o);
        s0 += ea * load<f32>(w0 + o); s1 += ea * load<f32>(w1 + o); s2 += ea * load<f32>(w2 + o); s3 += ea * load<f32>(w3 + o);
        t0 += eb * load<f32>(w0 + o); t1 += eb * load<f32>(w1 + o); t2 += eb * load<f32>(w2 + o); t3 += eb * load<f32>(w3 + o);
      }
      const oa = out + (<usize>(i * outDim + j) << 2), ob = oa + (<usize>outDim << 2);
      store<f32>(oa, s0); store<f32>(oa, s1, 4); store<f32>(oa, s2, 8); store<f32>(oa, s3, 12);
      store<f32>(ob, t0); store<f32>(ob, t1, 4); store<f32>(ob, t2, 8); store<f32>(ob, t3, 12);
    }
    for (; i < rows; i++) {
      for (let jj = 0; jj < 4; jj++) store<f32>(out + (<usize>(i * outDim + j + jj) << 2), dot(x + <usize>i * rowBytes, w + <usize>(j + jj) * rowBytes, inDim));
    }
  }
  for (; j < end; j++) {
    for (let i = 0; i < rows; i++) store<f32>(out + (<usize>(i * outDim + j) << 2), dot(x + <usize>i * rowBytes, w + <usize>j * rowBytes, inDim));
  }
}
