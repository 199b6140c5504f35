// Shared SIMD helpers for the kernels: FMA (relaxed or mul+add, chosen at compile time), polynomial exp,
// horizontal sums. AssemblyScript, compiled twice by scripts/build-wasm.mjs.

@inline export function fma(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

@inline export function hsum(v: v128): f32 {
  const pairs = f32x4.add(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(pairs, 0) + f32x4.extract_lane(pairs, 1);
}

@inline export function hmax(v: v128): f32 {
  const pairs = f32x4.pmax(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  return max<f32>(f32x4.extract_lane(pairs, 0), f32x4.extract_lane(pairs, 1));
}

// e^x for 4 lanes: x = n·ln2 + r with |r| ≤ ln2/2, e^r by its degree-6 Taylor polynomial (< 2 ulp), 2^n by exponent bits.
// n is rounded with the 1.5·2^23 trick, whose float bits also hold n as an integer (cheaper than nearest + trunc).
// Inputs are clamped to [−87.3, 88.7] so 2^n stays a normal float; NaN propagates. pmin/pmax are single
// instructions on x64, unlike min/max with their NaN and ±0 rules.
@inline export function exp4(x: v128): v128 {
  const magic = f32x4.splat(12582912.0);
  x = f32x4.pmax(f32x4.pmin(x, f32x4.splat(88.72283)), f32x4.splat(-87.33654)); // NaN in x stays NaN
  const shifted = f32x4.add(f32x4.mul(x, f32x4.splat(1.442695041)), magic);
  const n = f32x4.sub(shifted, magic);
  let r = fma(n, f32x4.splat(-0.693145752), x);
  r = fma(n, f32x4.splat(-1.428606765e-6), r);
  let p = fma(f32x4.splat(1.0 / 720.0), r, f32x4.splat(1.0 / 120.0));
  p = fma(p, r, f32x4.splat(1.0 / 24.0));
  p = fma(p, r, f32x4.splat(1.0 / 6.0));
  p = fma(p, r, f32x4.splat(0.5));
  p = fma(p, r, f32x4.splat(1.0));
  p = fma(p, r, f32x4.splat(1.0));
  const scale = i32x4.shl(i32x4.add(shifted, i32x4.splat(127 - 0x4b400000)), 23);
  return f32x4.mul(p, scale);
}

@inline export function expScalar(x: f32): f32 {
  return f32x4.extract_lane(exp4(f32x4.splat(x)), 0);
}

// Σ a[d]·b[d] over d < hs (hs floats at byte addresses a and b)
@inline export function dot(a: usize, b: usize, hs: i32): f32 {
  let acc = f32x4.splat(0);
  let d = 0;
  for (; d + 4 <= hs; d += 4) acc = fma(v128.load(a + (<usize>d << 2)), v128.load(b + (<usize>d << 2)), acc);
  let s = hsum(acc);
  for (; d < hs; d++) s += load<f32>(a + (<usize>d << 2)) * load<f32>(b + (<usize>d << 2));
  return s;
}
