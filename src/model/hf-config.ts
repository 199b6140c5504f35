// config.json of a Hugging Face Llama-family checkpoint (Llama, Mistral, Qwen2, Qwen3) read the way transformers
// reads it: the family decides the biases and the q/k norms, `head_dim` may differ from hidden/heads, and the
// rope frequencies come from `rope_theta` + `rope_scaling` (or the newer `rope_parameters`).
// Anything that would change the forward and is not implemented is refused by name, so a model never runs wrong.
import { ConfigError } from '../errors.ts';

export type HfFamily = 'llama' | 'mistral' | 'qwen2' | 'qwen3';

/** How the rotary inverse frequencies are built (see rope-frequencies.ts). */
export type RopeScaling =
  | { readonly type: 'default' }
  | { readonly type: 'linear'; readonly factor: number }
  | {
      readonly type: 'llama3';
      readonly factor: number;
      readonly lowFreqFactor: number;
      readonly highFreqFactor: number;
      readonly originalMaxPositionEmbeddings: number;
    };

export interface HfModelConfig {
  readonly family: HfFamily;
  readonly vocabSize: number;
  readonly hiddenSize: number; // C
  readonly intermediateSize: number;
  readonly numHiddenLayers: number;
  readonly numAttentionHeads: number; // H
  readonly numKeyValueHeads: number; // KVH: H for MHA, 1 for MQA, a divisor of H for GQA
  readonly headDim: number; // D, may differ from C / H (Qwen3)
  readonly maxPositionEmbeddings: number;
  readonly rmsNormEps: number;
  readonly ropeTheta: number;
  readonly ropeScaling: RopeScaling;
  readonly tieWordEmbeddings: boolean;
  readonly attentionBias: boolean; // q/k/v projections carry biases (Qwen2; Llama with attention_bias)
  readonly qkNorm: boolean; // per-head RMSNorm on q and k before rope (Qwen3)
  readonly torchDtype: string | undefined; // the dtype the checkpoint says it was saved in
}

const families: Record<string, HfFamily> = {
  LlamaForCausalLM: 'llama',
  MistralForCausalLM: 'mistral',
  Qwen2ForCausalLM: 'qwen2',
  Qwen3ForCausalLM: 'qwen3',
};

type Json = Record<string, unknown>;

/** Parses a config.json object; `file` names it in errors (the field is `file: field`). */
export function parseHfConfig(json: Json, file: string): HfModelConfig {
  const field = (name: string): string => `${file}: ${name}`;
  const num = (name: string, fallback?: number): number => {
    const value = json[name] ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ConfigError(field(name), `must be a number, got ${JSON.stringify(json[name])}`);
    }
    return value;
  };
  const architectures = json.architectures;
  const architecture = Array.isArray(architectures) ? String(architectures[0]) : undefined;
  const family = architecture === undefined ? undefined : families[architecture];
  if (family === undefined) {
    throw new ConfigError(
      field('architectures'),
      `${JSON.stringify(architectures)} is not supported (use one of ${Object.keys(families).join(', ')})`,
    );
  }
  refuseUnsupported(json, family, field);
  const hiddenSize = num('hidden_size');
  const numAttentionHeads = num('num_attention_heads');
  const numKeyValueHeads = num('num_key_value_heads', numAttentionHeads);
  if (numAttentionHeads % numKeyValueHeads !== 0) {
    const message = `${numKeyValueHeads} does not divide ${numAttentionHeads} heads`;
    throw new ConfigError(field('num_key_value_heads'), message);
  }
  // transformers: head_dim absent or null means hidden_size / num_attention_heads
  const headDim = json.head_dim == null ? hiddenSize / numAttentionHeads : num('head_dim');
  if (!Number.isInteger(headDim) || headDim % 2 !== 0) {
    throw new ConfigError(field('head_dim'), `${headDim} must be an even integer (rope rotates pairs)`);
  }
  const rope = ropeOf(json, field);
  return {
    family,
    vocabSize: num('vocab_size'),
    hiddenSize,
    intermediateSize: num('intermediate_size'),
    numHiddenLayers: num('num_hidden_layers'),
    numAttentionHeads,
    numKeyValueHeads,
    headDim,
    maxPositionEmbeddings: num('max_position_embeddings'),
    rmsNormEps: num('rms_norm_eps', 1e-6),
    ropeTheta: rope.theta,
    ropeScaling: rope.scaling,
    // PretrainedConfig's default is true, and Qwen/Llama-3.2 small models rely on it
    tieWordEmbeddings: json.tie_word_embeddings === undefined ? true : json.tie_word_embeddings === true,
    attentionBias: family === 'qwen2' || json.attention_bias === true,
    qkNorm: family === 'qwen3',
    torchDtype: [json.torch_dtype, json.dtype].find((d): d is string => typeof d === 'string'), // v5 writes dtype
  };
}

function refuseUnsupported(json: Json, family: HfFamily, field: (name: string) => string): void {
  const act = json.hidden_act ?? 'silu';
  if (act !== 'silu') throw new ConfigError(field('hidden_act'), `${JSON.stringify(act)} is not supported (only silu)`);
  if (json.mlp_bias === true) throw new ConfigError(field('mlp_bias'), 'true is not supported');
  if (json.pretraining_tp !== undefined && json.pretraining_tp !== 1) {
    throw new ConfigError(field('pretraining_tp'), `${JSON.stringify(json.pretraining_tp)} is not supported (only 1)`);
  }
  for (const moe of ['num_experts', 'num_local_experts', 'moe_intermediate_size']) {
    if (json[moe] != null) throw new ConfigError(field(moe), 'mixture-of-experts models are not supported');
  }
  // Qwen2/3 carry sliding_window with use_sliding_window false; Mistral uses sliding_window directly
  if (Array.isArray(json.layer_types) && json.layer_types.some((t) => t !== 'full_attention')) {
    throw new ConfigError(field('layer_types'), 'only full_attention layers are supported');
  }
  const slidingOn = family === 'mistral' ? json.sliding_window != null : json.use_sliding_window === true;
  if (slidingOn) {
    const name = family === 'mistral' ? 'sliding_window' : 'use_sliding_window';
    throw new ConfigError(field(name), 'sliding-window attention is not supported');
  }
}

function ropeOf(json: Json, field: (name: string) => string): { theta: number; scaling: RopeScaling } {
  // transformers ≥ 4.56 may write rope_parameters {rope_type, rope_theta, ...} instead of the two old fields
  const params = (json.rope_parameters ?? json.rope_scaling ?? null) as Json | null;
  const source = json.rope_parameters != null ? 'rope_parameters' : 'rope_scaling';
  const thetaValue = (json.rope_parameters as Json | undefined)?.rope_theta ?? json.rope_theta ?? 10000;
  if (typeof thetaValue !== 'number' || !(thetaValue > 0)) {
    throw new ConfigError(field('rope_theta'), `must be a positive number, got ${JSON.stringify(thetaValue)}`);
  }
  if (params === null) return { theta: thetaValue, scaling: { type: 'default' } };
  const type = params.rope_type ?? params.type ?? 'default';
  const num = (name: string): number => {
    const value = params[name];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ConfigError(field(`${source}.${name}`), `must be a number, got ${JSON.stringify(value)}`);
    }
    return value;
  };
  if (type === 'default') return { theta: thetaValue, scaling: { type: 'default' } };
  if (type === 'linear') return { theta: thetaValue, scaling: { type: 'linear', factor: num('factor') } };
  if (type === 'llama3') {
    return {
      theta: thetaValue,
      scaling: {
        type: 'llama3',
        factor: num('factor'),
        lowFreqFactor: num('low_freq_factor'),
        highFreqFactor: num('high_freq_factor'),
        originalMaxPositionEmbeddings: num('original_max_position_embeddings'),
      },
    };
  }
  throw new ConfigError(
    field(`${source}.rope_type`),
    `${JSON.stringify(type)} is not supported (use default, linear or llama3)`,
  );
}
