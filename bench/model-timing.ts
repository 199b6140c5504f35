// What the model benches (hf, real-model) time the same way: median seconds after a warm-up, random scored
// batches, one training pass, and a LoRA training pass (rank 8 on all 7 projections, the base frozen).
import type { LlamaModel } from '../src/model/llama.ts';
import { LORA_TARGETS, type LoraOptions } from '../src/model/lora-adapter.ts';
import type { ScoredBatch } from '../src/model/sequence-logprobs.ts';
import { sequenceLogProbs } from '../src/model/sequence-logprobs.ts';
import type { Rng } from '../src/rng.ts';
import { loraTrainable } from '../src/train/lora-trainable.ts';
import { median } from './stats.ts';

export const BENCH_LORA: LoraOptions = { rank: 8, alpha: 16, dropout: 0, targets: [...LORA_TARGETS] };

/** Median seconds of `runs` calls after one warm-up call. */
export function timed(runs: number, fn: () => void): number {
  fn();
  return median(Array.from({ length: runs }, () => {
    const start = performance.now();
    fn();
    return (performance.now() - start) / 1000;
  }));
}

/** b sequences of t random ids (3..V−1), every token but the first scored. */
export function randomBatch(rng: Rng, b: number, t: number, V: number): ScoredBatch {
  const ids = Array.from({ length: b }, () => Int32Array.from({ length: t }, () => 3 + rng.int(V - 3)));
  return { ids, mask: ids.map((s) => Uint8Array.from(s, (_, i) => (i === 0 ? 0 : 1))) };
}

/** One training pass (forward + backward) over `batch`. */
export function trainPass(model: LlamaModel, batch: ScoredBatch): void {
  sequenceLogProbs(model, batch, { grad: true }).backward(new Float64Array(batch.ids.length).fill(-1));
}

/** Median seconds of a training pass with a BENCH_LORA adapter attached (detached again, not merged). */
export function loraTrainSeconds(model: LlamaModel, batch: ScoredBatch, runs: number): number {
  const lora = loraTrainable(model, BENCH_LORA, 1);
  try {
    return timed(runs, () => {
      lora.zeroGrads();
      trainPass(model, batch);
    });
  } finally {
    lora.finish(false);
  }
}
