// eto's engine on imported HF checkpoints of every Llama-family variant against the independent float64 forward
// (hf-reference.ts, itself checked against transformers): per-token log-probs within 1e-4 relative, and KV-cache
// greedy generation equal to the argmax of the full reference forward. The checkpoints are random and written in
// TypeScript (saveHfModel: F32/F16/BF16, no Python needed); a second suite reruns the parity on checkpoints
// transformers saved (sharded too) when the Python env is there.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceSkip, findPython } from '../../test/helpers/python-env.ts';
import { createEngine, type Engine } from '../engine/index.ts';
import { Rng } from '../rng.ts';
import { hfParameterShapes, loadHfModel } from './hf-checkpoint.ts';
import { parseHfConfig } from './hf-config.ts';
import { hfReferenceLogits, hfReferenceTokenLogProbs } from './hf-reference.ts';
import { saveHfModel } from './hf-save.ts';
import { loadHfIntoEngine } from './hf-to-llama.ts';
import type { StoredDtype } from './hf-weights.ts';
import type { LlamaModel } from './llama.ts';
import { argmax, generate } from './sampler.ts';
import { sequenceLogProbs } from './sequence-logprobs.ts';

const tiny = {
  vocab_size: 61, hidden_size: 32, intermediate_size: 48, num_hidden_layers: 2, num_attention_heads: 4,
  num_key_value_heads: 2, max_position_embeddings: 128, rms_norm_eps: 1e-5,
};
const llama3Rope = {
  rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 16,
};
interface Variant { name: string; config: Record<string, unknown>; dtype: StoredDtype; shard: string | null }
const variants: Variant[] = [
  { name: 'Llama GQA tied, BF16', config: { model_type: 'llama', tie_word_embeddings: true }, dtype: 'BF16', shard: null },
  { name: 'Llama MQA untied, llama3 rope, head_dim 12, F16 (sharded from Python)',
    config: { model_type: 'llama', num_key_value_heads: 1, head_dim: 12, tie_word_embeddings: false,
      rope_theta: 500000, rope_scaling: llama3Rope }, dtype: 'F16', shard: '20KB' },
  { name: 'Llama linear rope, MHA, F32', config: { model_type: 'llama', num_key_value_heads: 4,
    rope_scaling: { rope_type: 'linear', factor: 3 } }, dtype: 'F32', shard: null },
  { name: 'Mistral GQA untied, BF16', config: { model_type: 'mistral', sliding_window: null,
    tie_word_embeddings: false }, dtype: 'BF16', shard: null },
  { name: 'Qwen2 q/k/v biases, MQA, BF16 (sharded from Python)', config: { model_type: 'qwen2', num_key_value_heads: 1,
    tie_word_embeddings: true }, dtype: 'BF16', shard: '20KB' },
  { name: 'Qwen3 q/k norms, head_dim 12, untied, F16 (sharded from Python)',
    config: { model_type: 'qwen3', head_dim: 12, tie_word_embeddings: false }, dtype: 'F16', shard: '20KB' },
];
const architectures: Record<string, string> = {
  llama: 'LlamaForCausalLM', mistral: 'MistralForCausalLM', qwen2: 'Qwen2ForCausalLM', qwen3: 'Qwen3ForCausalLM',
};
const torchDtypes: Record<StoredDtype, 'float32' | 'float16' | 'bfloat16'> = { F32: 'float32', F16: 'float16', BF16: 'bfloat16' };
const ids = Int32Array.of(3, 17, 60, 0, 42, 42, 7, 29, 11, 5, 33, 58, 1, 20, 9, 47, 2, 38, 14, 55);

let engine: Engine;
const root = mkdtempSync(join(tmpdir(), 'eto-hf-engine-'));
beforeAll(async () => {
  engine = await createEngine({ threads: 1 });
});
afterAll(() => {
  engine.dispose();
  rmSync(root, { recursive: true, force: true });
});

/** A random checkpoint of `variant` written by saveHfModel: matrices N(0, 0.3²), norms 1 + N(0, 0.3²), biases N(0, 0.3²). */
function writeRandomCheckpoint(variant: Variant, dir: string, seed: number): void {
  const configJson = { ...tiny, ...variant.config, architectures: [architectures[variant.config.model_type as string]!] };
  const config = parseHfConfig(configJson, 'config.json');
  const rng = new Rng(seed);
  const params = new Map<string, Float32Array>();
  for (const [name, shape] of hfParameterShapes(config)) {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    const offset = name.endsWith('norm.weight') ? 1 : 0;
    for (let i = 0; i < values.length; i++) values[i] = offset + 0.3 * rng.normal();
    params.set(name, values);
  }
  saveHfModel(dir, { config, params, storedDtype: variant.dtype, configJson });
}

/** Worst |engine − reference| / |reference| over the scored tokens of `ids` and two prefixes of it. */
function worstRelativeError(model: LlamaModel, dir: string): number {
  const hf = loadHfModel(dir);
  const sequences = [ids, ids.subarray(0, 7), ids.subarray(0, 13)];
  const scores = sequenceLogProbs(model, { ids: sequences, mask: sequences.map((s) => Uint8Array.from(s, (_, t) => (t > 0 ? 1 : 0))) });
  let worst = 0;
  sequences.forEach((sequence, s) => {
    const want = hfReferenceTokenLogProbs(hf.config, hf.params, sequence);
    for (let t = 1; t < sequence.length; t++) {
      worst = Math.max(worst, Math.abs(scores.tokenLogProbs[s]![t]! - want[t]!) / Math.abs(want[t]!));
    }
  });
  return worst;
}

describe('engine log-probs vs the float64 HF reference, checkpoints written in TypeScript', () => {
  variants.forEach((variant, i) => {
    it(`${variant.name}: within 1e-4 relative; greedy KV-cache tokens = argmax of the full forward`, () => {
      const dir = join(root, `ts${i}`);
      writeRandomCheckpoint(variant, dir, 100 + i);
      const model = loadHfIntoEngine(engine, dir);
      expect(worstRelativeError(model, dir)).toBeLessThanOrEqual(1e-4);

      const hf = loadHfModel(dir);
      const prompts = [ids.subarray(0, 5), ids.subarray(0, 9), Int32Array.of(7, 7, 3)];
      const outputs = generate(model, prompts, { maxNewTokens: 8, temperature: 0, topP: 1, seed: 0, stopTokenIds: [] });
      const V = hf.config.vocabSize;
      prompts.forEach((prompt, p) => {
        const out = outputs[p]!;
        expect(out).toHaveLength(8);
        const logits = Float32Array.from(hfReferenceLogits(hf.config, hf.params, [...prompt, ...out]));
        for (let j = 0; j < out.length; j++) expect(argmax(logits, (prompt.length - 1 + j) * V, V)).toBe(out[j]);
      });
    });
  });
});

const lookup = findPython(['torch', 'transformers', 'safetensors']);
const skip = announceSkip('engine vs HF reference on transformers-saved checkpoints', lookup);

describe.skipIf(skip)('engine log-probs on checkpoints transformers saved (sharded, F16/BF16)', () => {
  let theirs: { logprobs: number[] }[] = [];
  const dirs = variants.map((_, i) => join(root, `py${i}`));
  const ensure = (): void => {
    if (theirs.length > 0 || !lookup.found) return;
    const script = fileURLToPath(new URL('../../python/hf_random_model.py', import.meta.url));
    const requests = variants.map((v, i) => ({
      dir: dirs[i], config: { ...tiny, initializer_range: 0.3, ...v.config }, dtype: torchDtypes[v.dtype],
      max_shard_size: v.shard, ids: [...ids], seed: i + 1,
    }));
    theirs = JSON.parse(execFileSync(lookup.env.python, [script], { input: JSON.stringify(requests), stdio: 'pipe' }).toString());
  };
  variants.forEach((variant, i) => {
    it(`${variant.name}: within 1e-4 relative of the reference and of transformers`, () => {
      ensure();
      const model = loadHfIntoEngine(engine, dirs[i]!);
      expect(worstRelativeError(model, dirs[i]!)).toBeLessThanOrEqual(1e-4);
      const scores = sequenceLogProbs(model, { ids: [ids], mask: [Uint8Array.from(ids, (_, t) => (t > 0 ? 1 : 0))] });
      const expected = theirs[i]!.logprobs;
      expected.forEach((t, j) => expect(Math.abs(scores.tokenLogProbs[0]![j + 1]! - t)).toBeLessThanOrEqual(1e-4 * Math.abs(t)));
    }, 120_000);
  });
});
