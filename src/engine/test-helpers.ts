// Helpers for the engine's tests only: seeded random arrays (mulberry32, so engine/ imports nothing else)
// and a central finite-difference gradient of a scalar function in float64.

export function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fills `array` with uniform values in [−scale, scale). */
export function fillRandom<T extends Float32Array | Float64Array>(array: T, random: () => number, scale = 1): T {
  for (let i = 0; i < array.length; i++) array[i] = (random() * 2 - 1) * scale;
  return array;
}

export function randomInts(length: number, random: () => number, below: number): Int32Array {
  const ids = new Int32Array(length);
  for (let i = 0; i < length; i++) ids[i] = Math.floor(random() * below);
  return ids;
}

/** d loss / d x[i] by a central difference, perturbing x[i] in place (restored afterwards). */
export function centralDifference(x: Float32Array | Float64Array, i: number, loss: () => number, h: number): number {
  const saved = x[i]!;
  x[i] = saved + h;
  const plus = loss();
  x[i] = saved - h;
  const minus = loss();
  x[i] = saved;
  return (plus - minus) / (2 * h);
}

/** d loss / d x by central differences, perturbing x in place (restored afterwards). */
export function numericGradient(x: Float64Array, loss: () => number, h = 1e-6): Float64Array {
  return Float64Array.from(x, (_, i) => centralDifference(x, i, loss, h));
}

/** Index of the entry with the largest magnitude (the first of ties). */
export function argmaxAbs(x: ArrayLike<number>): number {
  let top = 0;
  for (let i = 1; i < x.length; i++) if (Math.abs(x[i]!) > Math.abs(x[top]!)) top = i;
  return top;
}

/** Largest |a − b| / (atol + rtol·|b|); ≤ 1 means close. */
export function closeness(a: ArrayLike<number>, b: ArrayLike<number>, atol: number, rtol: number): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!) / (atol + rtol * Math.abs(b[i]!));
    if (Number.isNaN(d)) return Infinity;
    if (d > worst) worst = d;
  }
  return worst;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
