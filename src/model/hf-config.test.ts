import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { parseHfConfig } from './hf-config.ts';

// Field values as the public checkpoints ship them (copied by hand from their config.json files).
const smollm2 = {
  architectures: ['LlamaForCausalLM'], model_type: 'llama', vocab_size: 49152, hidden_size: 576,
  intermediate_size: 1536, num_hidden_layers: 30, num_attention_heads: 9, num_key_value_heads: 3,
  max_position_embeddings: 8192, rms_norm_eps: 1e-5, rope_theta: 100000, rope_scaling: null,
  tie_word_embeddings: true, hidden_act: 'silu', torch_dtype: 'bfloat16',
};
const llama32 = {
  architectures: ['LlamaForCausalLM'], model_type: 'llama', vocab_size: 128256, hidden_size: 2048,
  intermediate_size: 8192, num_hidden_layers: 16, num_attention_heads: 32, num_key_value_heads: 8, head_dim: 64,
  max_position_embeddings: 131072, rms_norm_eps: 1e-5, rope_theta: 500000, tie_word_embeddings: true,
  rope_scaling: {
    factor: 32.0, high_freq_factor: 4.0, low_freq_factor: 1.0, original_max_position_embeddings: 8192,
    rope_type: 'llama3',
  },
};
const qwen25 = {
  architectures: ['Qwen2ForCausalLM'], model_type: 'qwen2', vocab_size: 151936, hidden_size: 896,
  intermediate_size: 4864, num_hidden_layers: 24, num_attention_heads: 14, num_key_value_heads: 2,
  max_position_embeddings: 32768, rms_norm_eps: 1e-6, rope_theta: 1000000, sliding_window: 32768,
  use_sliding_window: false, tie_word_embeddings: true, hidden_act: 'silu',
};
const qwen3 = {
  architectures: ['Qwen3ForCausalLM'], model_type: 'qwen3', vocab_size: 151936, hidden_size: 1024,
  intermediate_size: 3072, num_hidden_layers: 28, num_attention_heads: 16, num_key_value_heads: 8, head_dim: 128,
  max_position_embeddings: 40960, rms_norm_eps: 1e-6, rope_theta: 1000000, rope_scaling: null,
  sliding_window: null, use_sliding_window: false, tie_word_embeddings: true, attention_bias: false,
};

describe('parseHfConfig', () => {
  it('reads SmolLM2 (Llama, GQA, head_dim from hidden/heads, tied)', () => {
    const c = parseHfConfig(smollm2, 'config.json');
    expect(c).toMatchObject({ family: 'llama', headDim: 64, numKeyValueHeads: 3, ropeTheta: 100000 });
    expect(c).toMatchObject({ tieWordEmbeddings: true, attentionBias: false, qkNorm: false, torchDtype: 'bfloat16' });
    expect(c.ropeScaling).toEqual({ type: 'default' });
  });

  it('reads Llama 3.2 llama3 rope scaling, and the same from the newer rope_parameters', () => {
    const expected = {
      type: 'llama3', factor: 32, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 8192,
    };
    expect(parseHfConfig(llama32, 'c').ropeScaling).toEqual(expected);
    const { rope_scaling, rope_theta, ...rest } = llama32;
    const newer = parseHfConfig({ ...rest, rope_parameters: { ...rope_scaling, rope_theta } }, 'c');
    expect(newer.ropeScaling).toEqual(expected);
    expect(newer.ropeTheta).toBe(500000);
  });

  it('gives Qwen2 q/k/v biases and Qwen3 q/k norms with head_dim ≠ hidden/heads', () => {
    expect(parseHfConfig(qwen25, 'c')).toMatchObject({ family: 'qwen2', attentionBias: true, qkNorm: false });
    expect(parseHfConfig(qwen3, 'c')).toMatchObject({ family: 'qwen3', headDim: 128, attentionBias: false });
    expect(parseHfConfig(qwen3, 'c').qkNorm).toBe(true);
  });

  it('reads MQA, untied embeddings and linear scaling', () => {
    const c = parseHfConfig(
      { ...smollm2, num_key_value_heads: 1, tie_word_embeddings: false, rope_scaling: { type: 'linear', factor: 2 } },
      'c',
    );
    expect(c).toMatchObject({ numKeyValueHeads: 1, tieWordEmbeddings: false });
    expect(c.ropeScaling).toEqual({ type: 'linear', factor: 2 });
  });

  const refusals: [string, Record<string, unknown>, string][] = [
    ['an unknown architecture', { ...smollm2, architectures: ['GPT2LMHeadModel'] }, 'config.json: architectures'],
    ['Qwen sliding window on', { ...qwen25, use_sliding_window: true }, 'config.json: use_sliding_window'],
    ['Mistral sliding window', { ...smollm2, architectures: ['MistralForCausalLM'], sliding_window: 4096 },
      'config.json: sliding_window'],
    ['MoE', { ...qwen3, num_experts: 8 }, 'config.json: num_experts'],
    ['yarn rope', { ...smollm2, rope_scaling: { rope_type: 'yarn', factor: 4 } },
      'config.json: rope_scaling.rope_type'],
    ['heads not divisible', { ...smollm2, num_key_value_heads: 2 }, 'config.json: num_key_value_heads'],
    ['a missing field', { ...smollm2, vocab_size: undefined }, 'config.json: vocab_size'],
  ];
  for (const [what, json, field] of refusals) {
    it(`refuses ${what} with a one-line ConfigError naming ${field}`, () => {
      const error = (() => {
        try {
          parseHfConfig(json, 'config.json');
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).field).toBe(field);
      expect((error as ConfigError).message).not.toContain('\n');
    });
  }
});
