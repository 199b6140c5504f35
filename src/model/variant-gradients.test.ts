// The engine's analytic gradient (transformer.ts backward) for the Llama-family variants against central
// differences of the independent float64 HF reference forward (hf-reference.ts): Qwen2 q/k/v biases, Qwen3
// per-head q/k norms with head_dim ≠ hidden/heads, llama3-scaled rope. Batches share a prefix, so the compact
// (non-dense) row layout is exercised too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine/index.ts';
import { argmaxAbs, centralDifference } from '../engine/test-helpers.ts';
import { Rng } from '../rng.ts';
import { hfParameterShapes } from './hf-checkpoint.ts';
import { parseHfConfig } from './hf-config.ts';
import { hfReferenceTokenLogProbs } from './hf-reference.ts';
import { llamaConfigFromHf } from './hf-to-llama.ts';
import { createModel, zeroGrads } from './llama.ts';
import { sequenceLogProbs, type ScoredBatch } from './sequence-logprobs.ts';

const tiny = {
  vocab_size: 23, hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, num_attention_heads: 4,
  num_key_value_heads: 2, max_position_embeddings: 64, rms_norm_eps: 1e-5,
};
const variants: [string, Record<string, unknown>][] = [
  ['Qwen2 biases, MQA, tied', { architectures: ['Qwen2ForCausalLM'], num_key_value_heads: 1 }],
  ['Qwen3 q/k norms, head_dim 6 ≠ 16/4, untied', { architectures: ['Qwen3ForCausalLM'], head_dim: 6, tie_word_embeddings: false }],
  ['Llama llama3 rope, head_dim 8 ≠ 16/4', { architectures: ['LlamaForCausalLM'], head_dim: 8, rope_scaling: {
    rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 4 } }],
];

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine({ threads: 1 });
});
afterAll(() => engine.dispose());

describe('variant gradients vs central differences of the float64 HF reference', () => {
  for (const [label, json] of variants) {
    it(label, () => {
      const hf = parseHfConfig({ ...tiny, ...json }, 'config.json');
      const config = llamaConfigFromHf(hf);
      const rng = new Rng(3);
      const params32 = new Map<string, Float32Array>();
      for (const [name, shape] of hfParameterShapes(hf)) {
        const offset = name.endsWith('norm.weight') ? 1 : 0;
        params32.set(name, Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => offset + 0.3 * rng.normal()));
      }
      const model = createModel(engine, config, { params: params32 });
      const prefix = [5, 9, 2];
      const ids = [[...prefix, 7, 1, 20], [...prefix, 11], [...prefix, 4, 4, 13, 8]].map((s) => Int32Array.from(s));
      const batch: ScoredBatch = { ids, mask: ids.map((s) => Uint8Array.from(s, (_, t) => (t > 1 ? 1 : 0))) };
      const weights = Float64Array.of(0.7, -1.1, 0.5);
      zeroGrads(model);
      sequenceLogProbs(model, batch, { grad: true }).backward(weights);

      const params64 = new Map([...params32].map(([name, values]) => [name, Float64Array.from(values)]));
      const objective = (): number => ids.reduce((sum, sequence, s) => {
        const logProbs = hfReferenceTokenLogProbs(hf, params64, sequence);
        return sum + weights[s]! * logProbs.reduce((a, b, t) => a + (batch.mask[s]![t] ? b : 0), 0);
      }, 0);
      const gmax = model.flatGrads.reduce((m, g) => Math.max(m, Math.abs(g)), 0);
      expect(gmax).toBeGreaterThan(0.01);
      const pick = new Rng(9);
      for (const [name, values] of params64) {
        const analytic = model.grads.get(name)!;
        for (const i of [argmaxAbs(analytic), pick.int(values.length)]) {
          const numeric = centralDifference(values, i, objective, 1e-4);
          expect(Math.abs(analytic[i]! - numeric), `${name}[${i}]: analytic ${analytic[i]} numeric ${numeric}`)
            .toBeLessThanOrEqual(2e-3 * Math.abs(numeric) + 1e-4 * gmax);
        }
      }
    });
  }
});
