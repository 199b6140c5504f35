// llama.* GGUF metadata → the model config (LlamaConfig) and the extra HF config.json fields it implies.
// Only plain Llama reads here: partial rotary, RoPE scaling or another architecture is refused by name.
import { CheckpointError } from '../errors.ts';
import type { LlamaConfig } from './config.ts';
import { metaNumber, metaString, type GgufFile } from './gguf-read.ts';

/** The shortest decimal that reads back as the same f32 (GGUF stores eps as f32: 1e-5, not 9.99999974e-6). */
export function shortestF32(value: number): number {
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === Math.fround(value)) return candidate;
  }
  return value;
}

export function llamaConfigFromGguf(gguf: GgufFile): LlamaConfig {
  const architecture = metaString(gguf, 'general.architecture');
  if (architecture !== 'llama') {
    throw new CheckpointError(`${gguf.file}: general.architecture is "${architecture}"; eto imports only "llama"`);
  }
  const key = (name: string): string => `llama.${name}`;
  const hiddenSize = metaNumber(gguf, key('embedding_length'));
  const numAttentionHeads = metaNumber(gguf, key('attention.head_count'));
  const headDim = hiddenSize / numAttentionHeads;
  const ropeDims = metaNumber(gguf, key('rope.dimension_count'), headDim);
  if (ropeDims !== headDim) {
    throw new CheckpointError(
      `${gguf.file}: llama.rope.dimension_count is ${ropeDims} but the head size is ${headDim}; ` +
        'partial rotary embeddings are not supported',
    );
  }
  const keyLength = metaNumber(gguf, key('attention.key_length'), headDim);
  if (keyLength !== headDim)
    throw new CheckpointError(
      `${gguf.file}: llama.attention.key_length ${keyLength} differs from hidden/heads = ${headDim}`,
    );
  const scaling = gguf.metadata.get(key('rope.scaling.type'));
  if (scaling !== undefined && scaling !== 'none')
    throw new CheckpointError(`${gguf.file}: llama.rope.scaling.type "${String(scaling)}" is not supported`);
  const tokens = gguf.metadata.get('tokenizer.ggml.tokens');
  const vocabSize = metaNumber(gguf, key('vocab_size'), Array.isArray(tokens) ? tokens.length : undefined);
  if (vocabSize === undefined)
    throw new CheckpointError(
      `${gguf.file}: neither llama.vocab_size nor tokenizer.ggml.tokens gives the vocabulary size`,
    );
  const eos = metaNumber(gguf, 'tokenizer.ggml.eos_token_id');
  return {
    vocabSize,
    hiddenSize,
    intermediateSize: metaNumber(gguf, key('feed_forward_length')),
    numHiddenLayers: metaNumber(gguf, key('block_count')),
    numAttentionHeads,
    numKeyValueHeads: metaNumber(gguf, key('attention.head_count_kv'), numAttentionHeads) ?? numAttentionHeads,
    maxPositionEmbeddings: metaNumber(gguf, key('context_length')),
    rmsNormEps: shortestF32(metaNumber(gguf, key('attention.layer_norm_rms_epsilon'))),
    ropeTheta: shortestF32(metaNumber(gguf, key('rope.freq_base'), 10000) ?? 10000),
    tieWordEmbeddings: !gguf.tensors.some((t) => t.name === 'output.weight'),
    bosTokenId: metaNumber(gguf, 'tokenizer.ggml.bos_token_id'),
    eosTokenId: eos,
    padTokenId: metaNumber(gguf, 'tokenizer.ggml.padding_token_id', eos) ?? eos,
  };
}
