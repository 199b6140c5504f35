// Per-row kernels: RMSNorm forward/backward, embedding gather/scatter-add, rotary embeddings.
// Reductions that would race between threads (dweight, dtable) are split by columns instead of rows.
import { fma, hsum } from './simd';

export function rmsnorm_fwd(start: i32, end: i32, scratch: usize, out: usize, rstd: usize, x: usize, w: usize, dim: i32, eps: f32): void {
  for (let r = start; r < end; r++) {
    const row = <usize>r * <usize>dim << 2;
    let acc = f32x4.splat(0);
    let c = 0;
    for (; c + 4 <= dim; c += 4) {
      const xv = v128.load(x + row + (<usize>c << 2));
      acc = fma(xv, xv, acc);
    }
    let ss = hsum(acc);
    for (; c < dim; c++) {
      const xs = load<f32>(x + row + (<usize>c << 2));
      ss += xs * xs;
    }
    const s = <f32>(1 / Math.sqrt(<f64>ss / <f64>dim + <f64>eps));
    store<f32>(rstd + (<usize>r << 2), s);
    const sv = f32x4.splat(s);
    c = 0;
    for (; c + 4 <= dim; c += 4) {
      const o = row + (<usize>c << 2);
      v128.store(out + o, f32x4.mul(f32x4.mul(v128.load(x + o), sv), v128.load(w + (<usize>c << 2))));
    }
    for (; c < dim; c++) {
      const o = row + (<usize>c << 2);
      store<f32>(out + o, load<f32>(x + o) * s * load<f32>(w + (<usize>c << 2)));
    }
  }
}

// dx += s·dout·w − (s³·Σ dout·w·x / dim)·x
export function rmsnorm_bwd_dx(start: i32, end: i32, scratch: usize, dx: usize, dout: usize, x: usize, w: usize, rstd: usize, dim: i32): void {
  for (let r = start; r < end; r++) {
    const row = <usize>r * <usize>dim << 2;
    let acc = f32x4.splat(0);
    let c = 0;
    for (; c + 4 <= dim; c += 4) {
      const o = row + (<usize>c << 2);
      acc = fma(f32x4.mul(v128.load(dout + o), v128.load(w + (<usize>c << 2))), v128.load(x + o), acc);
    }
    let dot = hsum(acc);
    for (; c < dim; c++) {
      const o = row + (<usize>c << 2);
      dot += load<f32>(dout + o) * load<f32>(w + (<usize>c << 2)) * load<f32>(x + o);
    }
    const s = load<f32>(rstd + (<usize>r << 2));
    const k = s * s * s * dot / <f32>dim;
    const sv = f32x4.splat(s), kv = f32x4.splat(-k);
    c = 0;
    for (; c + 4 <= dim; c += 4) {
      const o = row + (<usize>c << 2);
      const g = f32x4.mul(f32x4.mul(v128.load(dout + o), v128.load(w + (<usize>c << 2))), sv);
      v128.store(dx + o, f32x4.add(v128.load(dx + o), fma(kv, v128.load(x + o), g)));
    }
    for (; c < dim; c++) {
      const o = row + (<usize>c << 2);
      store<f32>(dx + o, load<f32>(dx + o) + s * load<f32>(dout + o) * load<f32>(w + (<usize>c << 2)) - k * load<f32>(x + o));
    }
  }
}

// columns [start, end): dweight[c] += Σ_r dout[r,c]·x[r,c]·rstd[r]
export function rmsnorm_bwd_dw(start: i32, end: i32, scratch: usize, dw: usize, dout: usize, x: usize, rstd: usize, rows: i32, dim: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = <usize>r * <usize>dim << 2;
    const s = load<f32>(rstd + (<usize>r << 2));
    const sv = f32x4.splat(s);
    let c = start;
    for (; c + 4 <= end; c += 4) {
      const o = row + (<usize>c << 2);
      const d = dw + (<usize>c << 2);
      v128.store(d, fma(f32x4.mul(v128.load(dout + o), v128.load(x + o)), sv, v128.load(d)));
    }
    for (; c < end; c++) {
      const o = row + (<usize>c << 2);
      const d = dw + (<usize>c << 2);
      store<f32>(d, load<f32>(d) + load<f32>(dout + o) * load<f32>(x + o) * s);
    }
  }
}

export function embedding_fwd(start: i32, end: i32, scratch: usize, out: usize, table: usize, ids: usize, dim: i32): void {
  const bytes = <usize>dim << 2;
  for (let i = start; i < end; i++) {
    const id = load<i32>(ids + (<usize>i << 2));
    memory.copy(out + <usize>i * bytes, table + <usize>id * bytes, bytes);
  }
}

// columns [start, end): dtable[ids[i], c] += dout[i, c]
export function embedding_bwd(start: i32, end: i32, scratch: usize, dtable: usize, dout: usize, ids: usize, n: i32, dim: i32): void {
  for (let i = 0; i < n; i++) {
    const src = dout + (<usize>i * <usize>dim << 2);
    const dst = dtable + (<usize>load<i32>(ids + (<usize>i << 2)) * <usize>dim << 2);
    let c = start;
    for (; c + 4 <= end; c += 4) {
      const o = <usize>c << 2;
      v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
    }
    for (; c < end; c++) {
      const o = <usize>c << 2;
      store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
    }
  }
}

// table rows p in [start, end): cos(p·inv[i]) at [p·hs + i], sin at [p·hs + hs/2 + i]; inv (hs/2) f64 frequencies
export function rope_table(start: i32, end: i32, scratch: usize, table: usize, hs: i32, inv: usize): void {
  for (let p = start; p < end; p++) ropeAngles(table + (<usize>p * <usize>hs << 2), p, hs, inv);
}

@inline function ropeAngles(dst: usize, p: i32, hs: i32, inv: usize): void {
  const half = hs >> 1;
  for (let i = 0; i < half; i++) {
    const angle = <f64>p * load<f64>(inv + (<usize>i << 3));
    store<f32>(dst + (<usize>i << 2), <f32>Math.cos(angle));
    store<f32>(dst + (<usize>(half + i) << 2), <f32>Math.sin(angle));
  }
}

// tokens [start, end) of x (n, heads, hs) rotated in place by sign·angle; positions beyond the table are computed
export function rope_apply(start: i32, end: i32, scratch: usize, x: usize, positions: usize, heads: i32, hs: i32,
  table: usize, tableRows: i32, inv: usize, sign: f32): void {
  const half = hs >> 1;
  for (let t = start; t < end; t++) {
    const p = load<i32>(positions + (<usize>t << 2));
    let cs = scratch;
    if (p >= 0 && p < tableRows) cs = table + (<usize>p * <usize>hs << 2);
    else ropeAngles(scratch, p, hs, inv);
    const sn = cs + (<usize>half << 2);
    for (let h = 0; h < heads; h++) {
      const base = x + (<usize>(t * heads + h) * <usize>hs << 2);
      const upper = base + (<usize>half << 2);
      let i = 0;
      const signv = f32x4.splat(sign);
      for (; i + 4 <= half; i += 4) {
        const o = <usize>i << 2;
        const c = v128.load(cs + o);
        const s = f32x4.mul(v128.load(sn + o), signv);
        const x1 = v128.load(base + o);
        const x2 = v128.load(upper + o);
        v128.store(base + o, f32x4.sub(f32x4.mul(x1, c), f32x4.mul(x2, s)));
        v128.store(upper + o, f32x4.add(f32x4.mul(x2, c), f32x4.mul(x1, s)));
      }
      for (; i < half; i++) {
        const o = <usize>i << 2;
        const c = load<f32>(cs + o);
        const s = load<f32>(sn + o) * sign;
        const x1 = load<f32>(base + o);
        const x2 = load<f32>(upper + o);
        store<f32>(base + o, x1 * c - x2 * s);
        store<f32>(upper + o, x2 * c + x1 * s);
      }
    }
  }
}
