// GEMM for linear layers: C (M,N) (+)= A (M,K) · B (K,N) with strided A and B, B packed into 8-column panels,
// and a 4×8 register tile of f32x4 accumulators. Work is split by rows of C (compute) or by panels (pack).
// Strides are in floats; pointers in bytes. Kernels take (start, end, scratch) first, like every kernel here.
import { fma } from './simd';

const KB: i32 = 256; // k-block: a 4-row strip of A (4 KiB) stays in L1
const NBP: i32 = 32; // panels per column block: a packed block of 256×256 floats (256 KiB) stays in L2

// Bp[(jb·kc + k)·8 + jj] = B(k, jb·8 + jj), zero past column n; panels jb in [start, end)
export function gemm_pack(start: i32, end: i32, scratch: usize, bp: usize, b: usize, sbk: i32, sbj: i32, kc: i32, n: i32): void {
  for (let jb = start; jb < end; jb++) {
    const dst = bp + (<usize>jb * <usize>kc << 5);
    const j0 = jb << 3;
    const width = min<i32>(8, n - j0);
    if (width == 8 && sbj == 1) {
      for (let k = 0; k < kc; k++) {
        const src = b + (<usize>(k * sbk + j0) << 2);
        v128.store(dst + (<usize>k << 5), v128.load(src));
        v128.store(dst + (<usize>k << 5), v128.load(src, 16), 16);
      }
    } else if (width == 8 && sbk == 1) {
      // 8 rows of B's transpose, k contiguous: 4×4 blocks transposed in registers
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        for (let half = 0; half < 8; half += 4) {
          const src = b + (<usize>((j0 + half) * sbj + k) << 2);
          const row = <usize>sbj << 2;
          transpose4(dst + (<usize>(k * 8 + half) << 2), v128.load(src), v128.load(src + row), v128.load(src + 2 * row), v128.load(src + 3 * row));
        }
      }
      for (; k < kc; k++) {
        for (let jj = 0; jj < 8; jj++) store<f32>(dst + (<usize>(k * 8 + jj) << 2), load<f32>(b + (<usize>((j0 + jj) * sbj + k) << 2)));
      }
    } else {
      for (let jj = 0; jj < 8; jj++) {
        if (jj < width) {
          const col = b + (<usize>((j0 + jj) * sbj) << 2);
          for (let k = 0; k < kc; k++) store<f32>(dst + (<usize>(k * 8 + jj) << 2), load<f32>(col + (<usize>(k * sbk) << 2)));
        } else {
          for (let k = 0; k < kc; k++) store<f32>(dst + (<usize>(k * 8 + jj) << 2), 0);
        }
      }
    }
  }
}

// columns r0..r3 → rows: dst[c·8 + r] = r_r[c] for c < 4 (rows of the 8-wide panel)
@inline function transpose4(dst: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), 32);
  v128.store(dst, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), 64);
  v128.store(dst, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), 96);
}

// C rows [start, end) (+)= A(i, 0..kc) · Bp; A(i, k) at a + (i·sai + k·sak)·4; start is a multiple of 4
export function gemm_compute(start: i32, end: i32, scratch: usize, c: usize, ldc: i32, a: usize, sai: i32, sak: i32,
  bp: usize, kc: i32, n: i32, accumulate: i32): void {
  gemmRows(start, end, c, ldc, a, sai, sak, bp, kc, kc, n, accumulate != 0, scratch);
}

/** Bytes of scratch gemmRows uses: an edge tile and a packed 4-row strip of A. */
export const GEMM_SCRATCH: usize = 128 + (<usize>KB << 4);

// The GEMM body, also used by attention: Bp panels are bpStride k-rows apart, of which the first kl are used.
// A with a non-unit k stride (a transposed operand) is first copied into a contiguous 4×KB strip.
export function gemmRows(start: i32, end: i32, c: usize, ldc: i32, a: usize, sai: i32, sak: i32, bp: usize, bpStride: i32,
  kl: i32, n: i32, accumulate: bool, scratch: usize): void {
  const panels = (n + 7) >> 3;
  const strip = scratch + 128;
  for (let kb = 0; kb < kl; kb += KB) {
    const kn = min<i32>(KB, kl - kb);
    const add = accumulate || kb > 0;
    const ak = a + (<usize>(kb * sak) << 2);
    for (let pb = 0; pb < panels; pb += NBP) {
      const pe = min<i32>(pb + NBP, panels);
      let i = start;
      for (; i + 4 <= end; i += 4) {
        let at = ak + (<usize>(i * sai) << 2);
        let tsai = sai, tsak = sak;
        if (sak != 1) {
          packStrip(strip, at, sai, sak, kn);
          at = strip; tsai = 1; tsak = 4;
        }
        for (let jb = pb; jb < pe; jb++) {
          tile4x8(c + (<usize>(i * ldc + (jb << 3)) << 2), ldc, at, tsai, tsak,
            bp + ((<usize>jb * <usize>bpStride + <usize>kb) << 5), kn, min<i32>(8, n - (jb << 3)), add, scratch);
        }
      }
      for (; i < end; i++) {
        for (let jb = pb; jb < pe; jb++) {
          tile1x8(c + (<usize>(i * ldc + (jb << 3)) << 2), ak + (<usize>(i * sai) << 2), sak,
            bp + ((<usize>jb * <usize>bpStride + <usize>kb) << 5), kn, min<i32>(8, n - (jb << 3)), add, scratch);
        }
      }
    }
  }
}

// strip[k·4 + r] = A(r, k) for 4 rows, so the tile reads A contiguously whatever its strides
@inline function packStrip(strip: usize, a: usize, sai: i32, sak: i32, kn: i32): void {
  const stepA = <usize>sak << 2;
  if (sai == 1) {
    for (let k = 0; k < kn; k++) v128.store(strip + (<usize>k << 4), v128.load(a + <usize>k * stepA));
  } else {
    const rowA = <usize>sai << 2;
    for (let k = 0; k < kn; k++) {
      const src = a + <usize>k * stepA;
      const dst = strip + (<usize>k << 4);
      store<f32>(dst, load<f32>(src));
      store<f32>(dst, load<f32>(src + rowA), 4);
      store<f32>(dst, load<f32>(src + 2 * rowA), 8);
      store<f32>(dst, load<f32>(src + 3 * rowA), 12);
    }
  }
}

@inline function tile4x8(c: usize, ldc: i32, a: usize, sai: i32, sak: i32, bp: usize, kl: i32, width: i32, add: bool, scratch: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const rowC = <usize>ldc << 2;
  if (add) {
    if (width == 8) {
      c00 = v128.load(c); c01 = v128.load(c, 16);
      c10 = v128.load(c + rowC); c11 = v128.load(c + rowC, 16);
      c20 = v128.load(c + 2 * rowC); c21 = v128.load(c + 2 * rowC, 16);
      c30 = v128.load(c + 3 * rowC); c31 = v128.load(c + 3 * rowC, 16);
    } else {
      for (let r = 0; r < 4; r++) {
        for (let jj = 0; jj < 8; jj++) {
          store<f32>(scratch + (<usize>(r * 8 + jj) << 2), jj < width ? load<f32>(c + <usize>r * rowC + (<usize>jj << 2)) : 0);
        }
      }
      c00 = v128.load(scratch); c01 = v128.load(scratch, 16);
      c10 = v128.load(scratch, 32); c11 = v128.load(scratch, 48);
      c20 = v128.load(scratch, 64); c21 = v128.load(scratch, 80);
      c30 = v128.load(scratch, 96); c31 = v128.load(scratch, 112);
    }
  }
  const rowA = <usize>sai << 2;
  const stepA = <usize>sak << 2;
  let pa = a;
  let pb = bp;
  const pbEnd = bp + (<usize>kl << 5);
  while (pb < pbEnd) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let av = v128.load32_splat(pa);
    c00 = fma(av, b0, c00); c01 = fma(av, b1, c01);
    av = v128.load32_splat(pa + rowA);
    c10 = fma(av, b0, c10); c11 = fma(av, b1, c11);
    av = v128.load32_splat(pa + 2 * rowA);
    c20 = fma(av, b0, c20); c21 = fma(av, b1, c21);
    av = v128.load32_splat(pa + 3 * rowA);
    c30 = fma(av, b0, c30); c31 = fma(av, b1, c31);
    pa += stepA;
    pb += 32;
  }
  if (width == 8) {
    v128.store(c, c00); v128.store(c, c01, 16);
    v128.store(c + rowC, c10); v128.store(c + rowC, c11, 16);
    v128.store(c + 2 * rowC, c20); v128.store(c + 2 * rowC, c21, 16);
    v128.store(c + 3 * rowC, c30); v128.store(c + 3 * rowC, c31, 16);
  } else {
    v128.store(scratch, c00); v128.store(scratch, c01, 16);
    v128.store(scratch, c10, 32); v128.store(scratch, c11, 48);
    v128.store(scratch, c20, 64); v128.store(scratch, c21, 80);
    v128.store(scratch, c30, 96); v128.store(scratch, c31, 112);
    for (let r = 0; r < 4; r++) {
      for (let jj = 0; jj < width; jj++) store<f32>(c + <usize>r * rowC + (<usize>jj << 2), load<f32>(scratch + (<usize>(r * 8 + jj) << 2)));
    }
  }
}

@inline function tile1x8(c: usize, a: usize, sak: i32, bp: usize, kl: i32, width: i32, add: bool, scratch: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  if (add) {
    for (let jj = 0; jj < 8; jj++) store<f32>(scratch + (<usize>jj << 2), jj < width ? load<f32>(c + (<usize>jj << 2)) : 0);
    c0 = v128.load(scratch); c1 = v128.load(scratch, 16);
  }
  const stepA = <usize>sak << 2;
  let pa = a;
  let pb = bp;
  const pbEnd = bp + (<usize>kl << 5);
  while (pb < pbEnd) {
    const av = v128.load32_splat(pa);
    c0 = fma(av, v128.load(pb), c0);
    c1 = fma(av, v128.load(pb, 16), c1);
    pa += stepA;
    pb += 32;
  }
  v128.store(scratch, c0); v128.store(scratch, c1, 16);
  for (let jj = 0; jj < width; jj++) store<f32>(c + (<usize>jj << 2), load<f32>(scratch + (<usize>jj << 2)));
}
