import { describe, expect, it } from 'vitest';
import { headDim, parameterShapes, queryDim, ropeFrequencies } from './config.ts';
import { hfParameterShapes } from './hf-checkpoint.ts';
import { parseHfConfig } from './hf-config.ts';
import { llamaConfigFromHf } from './hf-to-llama.ts';
import { parameterLayout } from './llama.ts';
import { ropeInverseFrequencies } from './rope-frequencies.ts';

const base = {
  vocab_size: 50, hidden_size: 24, intermediate_size: 40, num_hidden_layers: 2, num_attention_heads: 4,
  num_key_value_heads: 2, max_position_embeddings: 64, rms_norm_eps: 1e-6, rope_theta: 10000,
  bos_token_id: 1, eos_token_id: [2, 3],
};
const variants: Record<string, Record<string, unknown>> = {
  llama: { ...base, architectures: ['LlamaForCausalLM'] },
  'llama3 rope, untied': {
    ...base, architectures: ['LlamaForCausalLM'], tie_word_embeddings: false,
    rope_scaling: { rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 16 },
  },
  'qwen2 biases, MQA': { ...base, architectures: ['Qwen2ForCausalLM'], num_key_value_heads: 1 },
  'qwen3 q/k norms, head_dim 8': { ...base, architectures: ['Qwen3ForCausalLM'], head_dim: 8 },
};

describe('llamaConfigFromHf', () => {
  for (const [name, json] of Object.entries(variants)) {
    it(`${name}: the engine's parameters are exactly the checkpoint's tensors`, () => {
      const hf = parseHfConfig(json, 'config.json');
      const config = llamaConfigFromHf(hf, json);
      const sorted = (m: Map<string, number[]>): [string, number[]][] => [...m].sort((a, b) => (a[0] < b[0] ? -1 : 1));
      expect(sorted(parameterShapes(config))).toEqual(sorted(hfParameterShapes(hf)));
      expect(headDim(config)).toBe(hf.headDim);
      expect(queryDim(config)).toBe(hf.headDim * hf.numAttentionHeads);
      expect(config).toMatchObject({ bosTokenId: 1, eosTokenId: 2, padTokenId: 2 });
    });
  }

  it('a plain Llama gets no optional field (the engine runs it exactly as before)', () => {
    const config = llamaConfigFromHf(parseHfConfig(variants.llama!, 'c'), variants.llama);
    for (const key of ['headDim', 'ropeScaling', 'attentionBias', 'qkNorm']) expect(config).not.toHaveProperty(key);
    expect(ropeFrequencies(config)).toBe(10000);
  });

  it('llama3 scaling gives the rope-frequencies.ts table, cached per config', () => {
    const hf = parseHfConfig(variants['llama3 rope, untied']!, 'c');
    const config = llamaConfigFromHf(hf);
    const table = ropeFrequencies(config);
    expect(table).toEqual(ropeInverseFrequencies(6, 10000, hf.ropeScaling));
    expect(ropeFrequencies(config)).toBe(table);
  });

  it('biases and q/k norm weights sit in the undecayed tail of the flat layout', () => {
    for (const json of [variants['qwen2 biases, MQA']!, variants['qwen3 q/k norms, head_dim 8']!]) {
      const layout = parameterLayout(llamaConfigFromHf(parseHfConfig(json, 'c')));
      for (const [name, [offset]] of layout.slots) {
        const undecayed = name.endsWith('norm.weight') || name.endsWith('.bias');
        expect(offset >= layout.decayLength, name).toBe(undecayed);
      }
    }
  });
});
