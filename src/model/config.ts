// The Llama configuration (Hugging Face LlamaForCausalLM fields, camelCased) and the size presets.
// Parameter tensors use HF names and shapes; see `parameterShapes`.
// The optional fields open the Llama family (Mistral, Qwen2, Qwen3, llama3 rope); absent, the plain Llama runs.
import type { RopeScaling } from './hf-config.ts';
import { ropeInverseFrequencies } from './rope-frequencies.ts';

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
  /** D when it differs from hiddenSize / numAttentionHeads (Qwen3); q is (H·D), k/v (KVH·D) */
  readonly headDim?: number;
  /** how the rotary inverse frequencies derive from ropeTheta (llama3 / linear); absent = default */
  readonly ropeScaling?: RopeScaling;
  /** q/k/v projections carry biases (Qwen2) */
  readonly attentionBias?: boolean;
  /** per-head RMSNorm (weight D) on q and k before rope (Qwen3) */
  readonly qkNorm?: boolean;
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
  return config.headDim ?? config.hiddenSize / config.numAttentionHeads;
}

/** Width of q and of the attention output: H·D (= hiddenSize unless headDim is set). */
export function queryDim(config: LlamaConfig): number {
  return headDim(config) * config.numAttentionHeads;
}

/** What the engine's rope takes: ropeTheta alone, or the [D/2] inverse-frequency table when scaling is set. */
export function ropeFrequencies(config: LlamaConfig): number | Float64Array {
  const scaling = config.ropeScaling;
  if (scaling === undefined || scaling.type === 'default') return config.ropeTheta;
  let table = tables.get(config);
  if (!table) {
    table = ropeInverseFrequencies(headDim(config), config.ropeTheta, scaling);
    tables.set(config, table); // one table per config, so the wasm engine's cos/sin cache stays warm
  }
  return table;
}
const tables = new WeakMap<LlamaConfig, Float64Array>();

/** Every parameter tensor, HF name → shape, in checkpoint order. */
export function parameterShapes(config: LlamaConfig): Map<string, number[]> {
  const C = config.hiddenSize;
  const D = headDim(config);
  const qDim = queryDim(config);
  const kvDim = D * config.numKeyValueHeads;
  const shapes = new Map<string, number[]>();
  shapes.set('model.embed_tokens.weight', [config.vocabSize, C]);
  for (let l = 0; l < config.numHiddenLayers; l++) {
    const p = `model.layers.${l}.`;
    shapes.set(`${p}input_layernorm.weight`, [C]);
    shapes.set(`${p}self_attn.q_proj.weight`, [qDim, C]);
    shapes.set(`${p}self_attn.k_proj.weight`, [kvDim, C]);
    shapes.set(`${p}self_attn.v_proj.weight`, [kvDim, C]);
    if (config.attentionBias) {
      shapes.set(`${p}self_attn.q_proj.bias`, [qDim]);
      shapes.set(`${p}self_attn.k_proj.bias`, [kvDim]);
      shapes.set(`${p}self_attn.v_proj.bias`, [kvDim]);
    }
    if (config.qkNorm) {
      shapes.set(`${p}self_attn.q_norm.weight`, [D]);
      shapes.set(`${p}self_attn.k_norm.weight`, [D]);
    }
    shapes.set(`${p}self_attn.o_proj.weight`, [C, qDim]);
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
