import { describe, expect, it } from 'vitest';
import { parseHfConfig } from './hf-config.ts';
import { LOGIT_BYTES, logitRowsFor, wholeRowBudget, workspaceBytesPerRow } from './workspace.ts';

describe('wholeRowBudget (activation checkpointing only where the engine lacks room)', () => {
  it('keeps a pass whole up to a third of the free memory, and no further', () => {
    expect(wholeRowBudget(1000, 300_000)).toBe(100); // 100 kB of 300 kB free: exactly a third, 101 rows are not
    expect(wholeRowBudget(1000, 302_999)).toBe(100);
    expect(wholeRowBudget(1, 0)).toBe(0); // not even one row
  });

  it("keeps a 0.5B model's 256-token pass whole beside its f32 weights, but not a 4,096-token one", () => {
    const config = parseHfConfig({ architectures: ['LlamaForCausalLM'], hidden_size: 896, intermediate_size: 4864,
      num_hidden_layers: 24, num_attention_heads: 14, num_key_value_heads: 2, vocab_size: 151936,
      max_position_embeddings: 8192, rms_norm_eps: 1e-6, tie_word_embeddings: true }, 'config.json');
    const perRow = workspaceBytesPerRow({ ...config, bosTokenId: 1, eosTokenId: 2, padTokenId: 0 });
    const weights = 494_032_768 * 4; // Qwen2.5-0.5B's parameters (tied) in f32
    const free = 2 ** 32 - weights;
    expect(256 * perRow).toBeGreaterThan(384 * 2 ** 20); // past the default budget: it used to recompute
    expect(wholeRowBudget(perRow, free)).toBeGreaterThanOrEqual(256);
    expect(wholeRowBudget(perRow, free)).toBeLessThan(4096);
  });
});

describe('logitRowsFor (lm-head slices only where the logits of every scored row would not fit)', () => {
  const V = 151_936;
  const free = 2 ** 32 - 494_032_768 * 4; // beside a 0.5B model's f32 weights
  it('keeps a 0.5B LoRA step\'s 255 scored rows whole (155 MB, under an eighth of 2.3 GB free)', () => {
    expect(255 * 4 * V).toBeGreaterThan(LOGIT_BYTES);
    expect(logitRowsFor(255, V, free)).toBe(255);
  });
  it('slices at the 64 MiB budget past an eighth of the free memory, and never below one row', () => {
    const most = Math.floor(free / 8 / (4 * V));
    expect(logitRowsFor(most, V, free)).toBe(most);
    expect(logitRowsFor(most + 1, V, free)).toBe(Math.floor(LOGIT_BYTES / (4 * V))); // 110 rows
    expect(logitRowsFor(4096, V, 0)).toBe(110);
    expect(logitRowsFor(10, 2 ** 26, 0)).toBe(1);
  });
  it('keeps small vocabularies whole whatever the free memory, up to the budget', () => {
    expect(logitRowsFor(16_384, 1024, 0)).toBe(16_384); // exactly 64 MiB
    expect(logitRowsFor(16_385, 1024, 0)).toBe(16_384);
  });
});
