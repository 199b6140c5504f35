// Folding a LoRA adapter into its base: W' = W + (alpha / r)·B·A for every adapted projection. The merged
// model is an ordinary checkpoint (saveHfModel writes it), scoring as the base with the adapter attached.
import { DataError } from '../errors.ts';
import type { HfModel } from './hf-checkpoint.ts';
import type { LoraAdapter } from './lora-adapter.ts';

export function mergeLora(base: HfModel, adapter: LoraAdapter): HfModel {
  const { rank: r, alpha } = adapter.options;
  const scale = alpha / r;
  const params = new Map(base.params);
  for (const [module, { a, b, inFeatures: n, outFeatures: m }] of adapter.pairs) {
    const name = `${module}.weight`;
    const w = base.params.get(name); // (m, n)
    if (!w || w.length !== m * n) {
      throw new DataError(name, undefined, `the base has no ${m}×${n} weight to merge into`);
    }
    const merged = new Float32Array(w.length);
    const row = new Float64Array(n); // one output row of B·A, in float64 so the merge adds one rounding only
    for (let o = 0; o < m; o++) {
      row.fill(0);
      for (let k = 0; k < r; k++) {
        const bok = (b[o * r + k] as number) * scale;
        for (let i = 0; i < n; i++) row[i] = (row[i] as number) + bok * (a[k * n + i] as number);
      }
      for (let i = 0; i < n; i++) merged[o * n + i] = (w[o * n + i] as number) + (row[i] as number);
    }
    params.set(name, merged);
  }
  return { ...base, params };
}
