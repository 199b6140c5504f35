// Elementwise and per-row kernels (add, scale, SwiGLU, AdamW, sum of squares, log-softmax at targets), SIMD
// over 4 floats with scalar tails. Units are elements (aligned to 4 by the caller) or rows.
import { exp4, expScalar, fma, hmax, hsum } from './simd';

export function add_f32(start: i32, end: i32, scratch: usize, out: usize, a: usize, b: usize): void {
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.add(v128.load(a + o), v128.load(b + o)));
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(a + o) + load<f32>(b + o));
  }
}

export function scale_f32(start: i32, end: i32, scratch: usize, x: usize, s: f32): void {
  const sv = f32x4.splat(s);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i << 2;
    v128.store(x + o, f32x4.mul(v128.load(x + o), sv));
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    store<f32>(x + o, load<f32>(x + o) * s);
  }
}

// Σ x² in float64 lanes
export function sum_squares(start: i32, end: i32, scratch: usize, x: usize): f64 {
  let lo = f64x2.splat(0), hi = f64x2.splat(0);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    const a = f64x2.promote_low_f32x4(v);
    const b = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
    lo = f64x2.add(lo, f64x2.mul(a, a));
    hi = f64x2.add(hi, f64x2.mul(b, b));
  }
  const both = f64x2.add(lo, hi);
  let s = f64x2.extract_lane(both, 0) + f64x2.extract_lane(both, 1);
  for (; i < end; i++) {
    const value = <f64>load<f32>(x + (<usize>i << 2));
    s += value * value;
  }
  return s;
}

@inline function sigmoid4(g: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, exp4(f32x4.neg(g))));
}

// out = g·σ(g)·u
export function swiglu_fwd(start: i32, end: i32, scratch: usize, out: usize, gate: usize, up: usize): void {
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i << 2;
    const g = v128.load(gate + o);
    v128.store(out + o, f32x4.mul(f32x4.mul(g, sigmoid4(g)), v128.load(up + o)));
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    const g = load<f32>(gate + o);
    store<f32>(out + o, g / (1 + expScalar(-g)) * load<f32>(up + o));
  }
}

// dgate += dout·u·σ(g)·(1 + g·(1 − σ(g))), dup += dout·g·σ(g)
export function swiglu_bwd(start: i32, end: i32, scratch: usize, dgate: usize, dup: usize, dout: usize, gate: usize, up: usize): void {
  const one = f32x4.splat(1);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i << 2;
    const g = v128.load(gate + o);
    const d = v128.load(dout + o);
    const s = sigmoid4(g);
    const gs = f32x4.mul(g, s);
    const local = f32x4.mul(s, fma(g, f32x4.sub(one, s), one));
    v128.store(dgate + o, fma(f32x4.mul(d, v128.load(up + o)), local, v128.load(dgate + o)));
    v128.store(dup + o, fma(d, gs, v128.load(dup + o)));
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    const g = load<f32>(gate + o);
    const d = load<f32>(dout + o);
    const s: f32 = 1 / (1 + expScalar(-g));
    store<f32>(dgate + o, load<f32>(dgate + o) + d * load<f32>(up + o) * s * (1 + g * (1 - s)));
    store<f32>(dup + o, load<f32>(dup + o) + d * g * s);
  }
}

// torch AdamW: p = p·decay − stepSize·m / (sqrt(v)·invBc2Sqrt + eps)
export function adamw_step(start: i32, end: i32, scratch: usize, p: usize, g: usize, m: usize, v: usize,
  beta1: f32, beta2: f32, eps: f32, decay: f32, stepSize: f32, invBc2Sqrt: f32): void {
  const b1 = f32x4.splat(beta1), c1 = f32x4.splat(1 - beta1), b2 = f32x4.splat(beta2), c2 = f32x4.splat(1 - beta2);
  const ev = f32x4.splat(eps), dv = f32x4.splat(decay), sv = f32x4.splat(stepSize), iv = f32x4.splat(invBc2Sqrt);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(g + o);
    const mi = f32x4.add(f32x4.mul(b1, v128.load(m + o)), f32x4.mul(c1, gi));
    const vi = f32x4.add(f32x4.mul(b2, v128.load(v + o)), f32x4.mul(c2, f32x4.mul(gi, gi)));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const denom = f32x4.add(f32x4.mul(f32x4.sqrt(vi), iv), ev);
    v128.store(p + o, f32x4.sub(f32x4.mul(v128.load(p + o), dv), f32x4.div(f32x4.mul(sv, mi), denom)));
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const mi = beta1 * load<f32>(m + o) + (1 - beta1) * gi;
    const vi = beta2 * load<f32>(v + o) + (1 - beta2) * gi * gi;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(p + o, load<f32>(p + o) * decay - stepSize * mi / (Mathf.sqrt(vi) * invBc2Sqrt + eps));
  }
}

// per row r: lse = logsumexp(logits[r]), logprobs[r] = logits[r, t] − lse (0 when t < 0)
export function log_softmax_fwd(start: i32, end: i32, scratch: usize, logprobs: usize, lse: usize, logits: usize, targets: usize, V: i32): void {
  for (let r = start; r < end; r++) {
    const row = logits + (<usize>r * <usize>V << 2);
    let mv = f32x4.splat(-Infinity);
    let j = 0;
    for (; j + 4 <= V; j += 4) mv = f32x4.pmax(mv, v128.load(row + (<usize>j << 2)));
    let mx = hmax(mv);
    for (; j < V; j++) mx = max<f32>(mx, load<f32>(row + (<usize>j << 2)));
    const mxv = f32x4.splat(mx);
    let sv = f32x4.splat(0);
    j = 0;
    for (; j + 4 <= V; j += 4) sv = f32x4.add(sv, exp4(f32x4.sub(v128.load(row + (<usize>j << 2)), mxv)));
    let sum = hsum(sv);
    for (; j < V; j++) sum += expScalar(load<f32>(row + (<usize>j << 2)) - mx);
    const l = mx + <f32>Math.log(<f64>sum);
    store<f32>(lse + (<usize>r << 2), l);
    const t = load<i32>(targets + (<usize>r << 2));
    store<f32>(logprobs + (<usize>r << 2), t < 0 ? 0 : load<f32>(row + (<usize>t << 2)) - l);
  }
}

// dlogits[r] = w[r]·(onehot(t) − softmax(logits[r])); overwrites (may alias logits); zero rows for t < 0 or w = 0
export function log_softmax_bwd(start: i32, end: i32, scratch: usize, dlogits: usize, logits: usize, lse: usize, targets: usize, weights: usize, V: i32): void {
  for (let r = start; r < end; r++) {
    const offset = <usize>r * <usize>V << 2;
    const t = load<i32>(targets + (<usize>r << 2));
    const w = load<f32>(weights + (<usize>r << 2));
    if (t < 0 || w == 0) {
      memory.fill(dlogits + offset, 0, <usize>V << 2);
      continue;
    }
    const l = f32x4.splat(load<f32>(lse + (<usize>r << 2)));
    const nw = f32x4.splat(-w);
    let j = 0;
    for (; j + 4 <= V; j += 4) {
      const o = offset + (<usize>j << 2);
      v128.store(dlogits + o, f32x4.mul(nw, exp4(f32x4.sub(v128.load(logits + o), l))));
    }
    const ls = load<f32>(lse + (<usize>r << 2));
    for (; j < V; j++) {
      const o = offset + (<usize>j << 2);
      store<f32>(dlogits + o, -w * expScalar(load<f32>(logits + o) - ls));
    }
    const at = dlogits + offset + (<usize>t << 2);
    store<f32>(at, load<f32>(at) + w);
  }
}
