// Parity of the float64 HF reference forward with transformers' own float64 forward, on random tiny
// checkpoints that transformers saved (each family and variant, F32/F16/BF16 storage, single and sharded),
// loaded through loadHfModel: the whole import path (config, shards, dtypes, names, shapes) is under test.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { announceSkip, findPython } from '../../test/helpers/python-env.ts';
import { loadHfModel } from './hf-checkpoint.ts';
import { hfReferenceTokenLogProbs } from './hf-reference.ts';

const tiny = {
  vocab_size: 61, hidden_size: 32, intermediate_size: 48, num_hidden_layers: 2, num_attention_heads: 4,
  num_key_value_heads: 2, max_position_embeddings: 128, initializer_range: 0.3, rms_norm_eps: 1e-5,
};
const llama3Rope = {
  rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 16,
};
interface Variant {
  name: string;
  config: Record<string, unknown>;
  dtype: 'float32' | 'float16' | 'bfloat16';
  shard: string | null;
}
const variants: Variant[] = [
  { name: 'Llama GQA tied, BF16', config: { model_type: 'llama', tie_word_embeddings: true }, dtype: 'bfloat16',
    shard: null },
  { name: 'Llama MQA untied, llama3 rope, head_dim 12, F16 sharded',
    config: { model_type: 'llama', num_key_value_heads: 1, head_dim: 12, tie_word_embeddings: false,
      rope_theta: 500000, rope_scaling: llama3Rope }, dtype: 'float16', shard: '20KB' },
  { name: 'Llama linear rope, F32', config: { model_type: 'llama', rope_scaling: { rope_type: 'linear', factor: 3 } },
    dtype: 'float32', shard: null },
  { name: 'Mistral GQA untied, BF16', config: { model_type: 'mistral', sliding_window: null,
    tie_word_embeddings: false }, dtype: 'bfloat16', shard: null },
  { name: 'Qwen2 q/k/v biases, BF16 sharded', config: { model_type: 'qwen2', tie_word_embeddings: true },
    dtype: 'bfloat16', shard: '20KB' },
  { name: 'Qwen3 q/k norms, head_dim 12, untied, BF16 sharded',
    config: { model_type: 'qwen3', head_dim: 12, tie_word_embeddings: false }, dtype: 'bfloat16', shard: '20KB' },
];
const ids = [3, 17, 60, 0, 42, 42, 7, 29, 11, 5, 33, 58, 1, 20, 9, 47, 2, 38, 14, 55];

const lookup = findPython(['torch', 'transformers', 'safetensors']);
const skip = announceSkip('HF reference forward vs transformers', lookup);

describe.skipIf(skip)('hfReferenceTokenLogProbs vs transformers (float64) on checkpoints transformers saved', () => {
  const root = mkdtempSync(join(tmpdir(), 'eto-hf-reference-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let theirs: { logprobs: number[] }[] = [];
  const dirs = variants.map((_, i) => join(root, `v${i}`));
  const ensure = (): void => {
    if (theirs.length > 0 || !lookup.found) return;
    const script = fileURLToPath(new URL('../../python/hf_random_model.py', import.meta.url));
    const requests = variants.map((v, i) => ({
      dir: dirs[i], config: { ...tiny, ...v.config }, dtype: v.dtype, max_shard_size: v.shard, ids, seed: i + 1,
    }));
    const out = execFileSync(lookup.env.python, [script], { input: JSON.stringify(requests), stdio: 'pipe' });
    theirs = JSON.parse(out.toString());
  };
  variants.forEach((variant, i) => {
    it(`${variant.name}: log-probs within 1e-6 relative`, () => {
      ensure();
      const model = loadHfModel(dirs[i] as string);
      const ours = hfReferenceTokenLogProbs(model.config, model.params, ids).subarray(1);
      const expected = (theirs[i] as { logprobs: number[] }).logprobs;
      expect(ours).toHaveLength(expected.length);
      let worst = 0;
      expected.forEach((t, j) => (worst = Math.max(worst, Math.abs(t - (ours[j] as number)) / Math.abs(t))));
      // not 1e-12: transformers builds the rope cos/sin in float32 even for a float64 model (≈2e-7 seen)
      expect(worst).toBeLessThanOrEqual(1e-6);
      // the random weights must make the test sharp: log-probs far from uniform (−ln 61 ≈ −4.11)
      expect(Math.max(...expected.map((t) => Math.abs(t + Math.log(61))))).toBeGreaterThan(0.5);
    }, 120_000);
  });
});
