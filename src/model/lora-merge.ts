// Folding a LoRA adapter into its base: W' = W + (alpha / r)·B·A for every adapted projection. The merged
// model is an ordinary checkpoint (saveHfModel writes it), scoring as the base with the adapter attached.
// Shapes: W (m, n); A (r, n); B (m, r). B·A is summed in float64 so the merge adds one rounding only.
import { DataError } from '../errors.ts';
import type { HfModel } from './hf-checkpoint.ts';
import type { LoraAdapter } from './lora-adapter.ts';

/** out ← w0 + s·B·A (out may be w0: the merge in place). */
export function mergeInto(out: Float32Array, w0: Float32Array, a: Float32Array, b: Float32Array,
  m: number, n: number, r: number, s: number): void {
  const row = new Float64Array(n); // one row of B·A
  for (let o = 0; o < m; o++) {
    row.fill(0);
    for (let k = 0; k < r; k++) {
      const bok = s * (b[o * r + k] as number);
      if (bok === 0) continue;
      for (let i = 0; i < n; i++) row[i] = (row[i] as number) + bok * (a[k * n + i] as number);
    }
    for (let i = 0; i < n; i++) out[o * n + i] = (w0[o * n + i] as number) + (row[i] as number);
  }
}

export function mergeLora(base: HfModel, adapter: LoraAdapter): HfModel {
  const { rank: r, alpha } = adapter.options;
  const params = new Map(base.params);
  for (const [module, { a, b, inFeatures: n, outFeatures: m }] of adapter.pairs) {
    const name = `${module}.weight`;
    const w = base.params.get(name); // (m, n)
    if (!w || w.length !== m * n) {
      throw new DataError(name, undefined, `the base has no ${m}×${n} weight to merge into`);
    }
    const merged = new Float32Array(w.length);
    mergeInto(merged, w, a, b, m, n, r, alpha / r);
    params.set(name, merged);
  }
  return { ...base, params };
}
