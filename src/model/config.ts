// The Llama configuration (Hugging Face LlamaForCausalLM fields, camelCased) and the size presets.
// Parameter tensors use HF names and shapes; see `parameterShapes`.

export interface LlamaConfig {
  readonly vocabSize: number;
  readonly hiddenSize: number; // C
  readonly intermediateSize: number; // MLP width
  readonly numHiddenLayers: number; // L
  readonly numAttentionHeads: number; // H
  readonly numKeyValueHeads: number; // KVH, divides H
  readonly maxPositionEmbeddings: number; // context length
  readonly rmsNormEps: number;
  readonly ropeTheta: number;
  readonly tieWordEmbeddings: boolean;
  readonly bosTokenId: number;
  readonly eosTokenId: number;
  readonly padTokenId: number;
}

export type PresetName = 'tiny' | 'small' | 'base';

/** Sizes without token ids (those come from the tokenizer). head_dim = 32 everywhere (vLLM serves it). */
export const presets: Record<PresetName, Omit<LlamaConfig, 'bosTokenId' | 'eosTokenId' | 'padTokenId'>> = {
  // < 100k parameters: for tests
  tiny: {
    vocabSize: 320, hiddenSize: 64, intermediateSize: 128, numHiddenLayers: 2, numAttentionHeads: 2,
    numKeyValueHeads: 1, maxPositionEmbeddings: 256, rmsNormEps: 1e-5, ropeTheta: 10000, tieWordEmbeddings: true,
  },
  // ~0.93M parameters: the default policy (also the benchmark reference config, at context 512)
  small: {
    vocabSize: 1024, hiddenSize: 128, intermediateSize: 352, numHiddenLayers: 4, numAttentionHeads: 4,
    numKeyValueHeads: 4, maxPositionEmbeddings: 1024, rmsNormEps: 1e-5, ropeTheta: 10000, tieWordEmbeddings: true,
  },
  // ~6.4M parameters
  base: {
    vocabSize: 2048, hiddenSize: 256, intermediateSize: 704, numHiddenLayers: 8, numAttentionHeads: 8,
    numKeyValueHeads: 4, maxPositionEmbeddings: 2048, rmsNormEps: 1e-5, ropeTheta: 10000, tieWordEmbeddings: true,
  },
};

export function headDim(config: LlamaConfig): number {
  return config.hiddenSize / config.numAttentionHeads;
}

/** Every parameter tensor, HF name → shape, in checkpoint order. */
export function parameterShapes(config: LlamaConfig): Map<string, number[]> {
  const C = config.hiddenSize;
  const kvDim = headDim(config) * config.numKeyValueHeads;
  const shapes = new Map<string, number[]>();
  shapes.set('model.embed_tokens.weight', [config.vocabSize, C]);
  for (let l = 0; l < config.numHiddenLayers; l++) {
    const p = `model.layers.${l}.`;
    shapes.set(`${p}input_layernorm.weight`, [C]);
    shapes.set(`${p}self_attn.q_proj.weight`, [C, C]);
    shapes.set(`${p}self_attn.k_proj.weight`, [kvDim, C]);
    shapes.set(`${p}self_attn.v_proj.weight`, [kvDim, C]);
    shapes.set(`${p}self_attn.o_proj.weight`, [C, C]);
    shapes.set(`${p}post_attention_layernorm.weight`, [C]);
    shapes.set(`${p}mlp.gate_proj.weight`, [config.intermediateSize, C]);
    shapes.set(`${p}mlp.up_proj.weight`, [config.intermediateSize, C]);
    shapes.set(`${p}mlp.down_proj.weight`, [C, config.intermediateSize]);
  }
  shapes.set('model.norm.weight', [C]);
  if (!config.tieWordEmbeddings) shapes.set('lm_head.weight', [config.vocabSize, C]);
  return shapes;
}

export function parameterCount(config: LlamaConfig): number {
  let total = 0;
  for (const shape of parameterShapes(config).values()) total += shape.reduce((a, b) => a * b, 1);
  return total;
}
