// A LoRA adapter eto saves loads in peft onto the base checkpoint with every tensor found, and peft's adapted
// log-probs (the adapter as its own branch, float64) equal eto's float64 reference on the merged weights.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { announceSkip, findPython } from '../../test/helpers/python-env.ts';
import { ConfigError } from '../errors.ts';
import { loadHfModel } from './hf-checkpoint.ts';
import { parseHfConfig } from './hf-config.ts';
import { hfReferenceTokenLogProbs } from './hf-reference.ts';
import { indexHfWeights } from './hf-weights.ts';
import { initLoraAdapter, LORA_TARGETS, loadPeftAdapter, savePeftAdapter } from './lora-adapter.ts';
import { mergeLora } from './lora-merge.ts';

function seeded(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}
const tinyJson = {
  architectures: ['Qwen3ForCausalLM'], model_type: 'qwen3', vocab_size: 61, hidden_size: 32, intermediate_size: 48,
  num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 12, max_position_embeddings: 128,
};

describe('PEFT adapter layout', () => {
  const root = mkdtempSync(join(tmpdir(), 'eto-lora-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const config = parseHfConfig(tinyJson, 'config.json');

  it("names tensors as PEFT does, with PEFT's shapes, starts at the base (B = 0) and reads back", () => {
    const options = { rank: 4, alpha: 8, dropout: 0.05, targets: ['q_proj', 'down_proj'] as const };
    const adapter = initLoraAdapter(config, { ...options, targets: [...options.targets] }, seeded(1));
    savePeftAdapter(join(root, 'a'), adapter, 'base-dir');
    const entries = indexHfWeights(join(root, 'a'), 'adapter_model.safetensors');
    expect(entries.get('base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight')?.shape).toEqual([4, 32]);
    expect(entries.get('base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight')?.shape).toEqual([48, 4]);
    expect(entries.get('base_model.model.model.layers.1.mlp.down_proj.lora_A.weight')?.shape).toEqual([4, 48]);
    expect(entries.size).toBe(2 * 2 * 2);
    const json = JSON.parse(readFileSync(join(root, 'a', 'adapter_config.json'), 'utf8'));
    expect(json).toMatchObject({ peft_type: 'LORA', r: 4, lora_alpha: 8, lora_dropout: 0.05, task_type: 'CAUSAL_LM' });
    const back = loadPeftAdapter(join(root, 'a'), config);
    for (const [module, pair] of adapter.pairs) {
      expect(back.pairs.get(module)?.a).toEqual(pair.a);
      expect(Math.max(...(back.pairs.get(module)?.b ?? [1]).map(Math.abs))).toBe(0);
    }
  });

  it('refuses rank 0 and dropout 1, naming the config field', () => {
    expect(() => initLoraAdapter(config, { rank: 0, alpha: 1, dropout: 0, targets: ['q_proj'] }, seeded(1)))
      .toThrow(new ConfigError('model.loraRank', 'must be ≥ 1'));
    expect(() => initLoraAdapter(config, { rank: 2, alpha: 1, dropout: 1, targets: ['q_proj'] }, seeded(1)))
      .toThrow(/^model\.loraDropout: /);
  });

  const lookup = findPython(['torch', 'transformers', 'peft']);
  const skip = announceSkip('LoRA adapter in peft', lookup);
  it.skipIf(skip)('peft loads the adapter; its adapted log-probs equal the merged model ≤ 1e-5 relative', () => {
    if (!lookup.found) return;
    const base = join(root, 'base');
    const ids = [3, 17, 60, 0, 42, 42, 7, 29, 11, 5, 33, 58, 1, 20, 9];
    const { architectures: _, ...raw } = tinyJson;
    const request = { dir: base, config: { ...raw, initializer_range: 0.3 }, dtype: 'bfloat16', ids, seed: 5 };
    const script = (name: string): string => fileURLToPath(new URL(`../../python/${name}`, import.meta.url));
    const build = JSON.stringify([request]);
    execFileSync(lookup.env.python, [script('hf_random_model.py')], { input: build, stdio: 'pipe' });
    const model = loadHfModel(base);
    const random = seeded(9);
    const options = { rank: 3, alpha: 6, dropout: 0, targets: [...LORA_TARGETS] };
    const adapter = initLoraAdapter(model.config, options, random);
    for (const pair of adapter.pairs.values()) pair.b.forEach((_, i) => (pair.b[i] = (random() - 0.5) * 0.6));
    savePeftAdapter(join(root, 'adapter'), adapter, base);
    const input = JSON.stringify({ base, adapter: join(root, 'adapter'), ids });
    const out = execFileSync(lookup.env.python, [script('peft_logprobs.py')], { input, stdio: 'pipe' });
    const peft = JSON.parse(out.toString()) as { adapted: number[]; base: number[]; missing: string[] };
    expect(peft.missing).toEqual([]);
    const merged = mergeLora(model, adapter);
    const ours = hfReferenceTokenLogProbs(merged.config, merged.params, ids).subarray(1);
    const relative = (t: number, i: number): number => Math.abs(t - (ours[i] as number)) / Math.abs(t);
    expect(Math.max(...peft.adapted.map(relative))).toBeLessThanOrEqual(1e-5);
    expect(Math.max(...peft.base.map(relative))).toBeGreaterThan(1e-3); // the adapter really changes the model
  }, 120_000);
});
