// The Llama model object: parameters and gradients as HF-named views into one flat engine buffer each.
// Seeded HF-style init (normal(0, 0.02) matrices, ones for norms). Forward/backward live in transformer.ts.
import type { Engine } from '../engine/index.ts';
import { ShapeError } from '../errors.ts';
import { Rng } from '../rng.ts';
import { headDim, parameterShapes, type LlamaConfig } from './config.ts';
import type { LoraSlot } from './lora-projection.ts';

export interface LlamaModel {
  readonly config: LlamaConfig;
  readonly engine: Engine;
  /** HF names (config.ts parameterShapes order), views into flatParams */
  readonly params: Map<string, Float32Array>;
  /** same names, views into flatGrads */
  readonly grads: Map<string, Float32Array>;
  readonly flatParams: Float32Array;
  readonly flatGrads: Float32Array;
}

export const INIT_STD = 0.02;

export interface ParameterLayout {
  /** name → [offset, length] in the flat buffer */
  readonly slots: Map<string, readonly [number, number]>;
  /** Matrices (weight-decayed) occupy [0, decayLength); norm weights and biases (not decayed) follow, up to total. */
  readonly decayLength: number;
  readonly total: number;
}

function isNormWeight(name: string): boolean {
  return name.endsWith('norm.weight');
}

// like transformers' usual AdamW grouping: norm weights and biases are not decayed
function isUndecayed(name: string): boolean {
  return isNormWeight(name) || name.endsWith('.bias');
}

/** Flat layout: every matrix first, then norm weights and biases, so AdamW can skip decay on them with one split. */
export function parameterLayout(config: LlamaConfig): ParameterLayout {
  validateConfig(config);
  const shapes = parameterShapes(config);
  const slots = new Map<string, readonly [number, number]>();
  let offset = 0;
  let decayLength = 0;
  for (const normPass of [false, true]) {
    for (const [name, shape] of shapes) {
      if (isUndecayed(name) !== normPass) continue;
      const length = shape.reduce((a, b) => a * b, 1);
      slots.set(name, [offset, length]);
      offset += length;
    }
    if (!normPass) decayLength = offset;
  }
  // Map order follows parameterShapes (checkpoint order), not the flat layout
  const ordered = new Map<string, readonly [number, number]>();
  for (const name of shapes.keys()) ordered.set(name, slots.get(name)!);
  return { slots: ordered, decayLength, total: offset };
}

export function validateConfig(config: LlamaConfig): void {
  const { hiddenSize, numAttentionHeads, numKeyValueHeads } = config;
  if (config.headDim !== undefined && !(Number.isInteger(config.headDim) && config.headDim > 0)) {
    throw new ShapeError(`headDim ${config.headDim} must be a positive integer`);
  }
  if (config.headDim === undefined && hiddenSize % numAttentionHeads !== 0) {
    throw new ShapeError(`hiddenSize ${hiddenSize} must be divisible by numAttentionHeads ${numAttentionHeads}`);
  }
  if (numAttentionHeads % numKeyValueHeads !== 0) {
    throw new ShapeError(`numAttentionHeads ${numAttentionHeads} must be divisible by numKeyValueHeads ${numKeyValueHeads}`);
  }
  if (headDim(config) % 2 !== 0) throw new ShapeError(`head_dim ${headDim(config)} must be even for rotary embeddings`);
}

export interface ModelOptions {
  /**
   * Allocate a gradient for every weight (default). Inference and LoRA training pass false: the model then
   * has no flatGrads (an empty array) and needs attached training views to train.
   */
  readonly grads?: boolean;
}

/**
 * Allocates the flat buffers in the engine and fills the parameters, either from a seed (HF init) or by
 * copying a name → array map (e.g. a loaded checkpoint; every name and size must match the config).
 */
export function createModel(
  engine: Engine,
  config: LlamaConfig,
  init: { seed: number } | { params: Map<string, Float32Array> },
  options: ModelOptions = {},
): LlamaModel {
  const layout = parameterLayout(config);
  const flatParams = engine.alloc(layout.total);
  const withGrads = options.grads ?? true;
  const flatGrads = engine.alloc(withGrads ? layout.total : 0);
  const params = new Map<string, Float32Array>();
  const grads = new Map<string, Float32Array>();
  for (const [name, [offset, length]] of layout.slots) {
    params.set(name, flatParams.subarray(offset, offset + length));
    if (withGrads) grads.set(name, flatGrads.subarray(offset, offset + length));
  }
  if ('seed' in init) {
    const rng = new Rng(init.seed);
    for (const [name, view] of params) {
      if (isNormWeight(name)) view.fill(1);
      else if (name.endsWith('.bias')) view.fill(0);
      else for (let i = 0; i < view.length; i++) view[i] = INIT_STD * rng.normal();
    }
  } else {
    for (const name of init.params.keys()) {
      if (!params.has(name)) throw new ShapeError(`unexpected parameter '${name}' for this config (tieWordEmbeddings=${config.tieWordEmbeddings})`);
    }
    for (const [name, view] of params) {
      const source = init.params.get(name);
      if (!source) throw new ShapeError(`parameter '${name}' is missing`);
      if (source.length !== view.length) {
        throw new ShapeError(`parameter '${name}' has ${source.length} values, expected ${view.length} (shape ${parameterShapes(config).get(name)?.join('×')})`);
      }
      view.set(source);
    }
  }
  return { config, engine, params, grads, flatParams, flatGrads };
}

export function zeroGrads(model: LlamaModel): void {
  model.flatGrads.fill(0);
}

/** Parameter views of one decoder layer, resolved once so the hot path does no Map lookups. */
export interface LayerWeights {
  inputNorm: Float32Array;
  q: Float32Array;
  k: Float32Array;
  v: Float32Array;
  o: Float32Array;
  postNorm: Float32Array;
  gate: Float32Array;
  up: Float32Array;
  down: Float32Array;
  /** present when config.attentionBias */
  qBias?: Float32Array;
  kBias?: Float32Array;
  vBias?: Float32Array;
  /** present when config.qkNorm: (D) each */
  qNorm?: Float32Array;
  kNorm?: Float32Array;
  /** LoRA adapters beside some projections (training only; inference uses merged weights) */
  lora?: Partial<Record<Projection, LoraSlot>>;
}

export type Projection = 'q' | 'k' | 'v' | 'o' | 'gate' | 'up' | 'down';

/** Where the backward accumulates each weight's gradient; null = frozen (not computed at all). */
export type LayerGrads = { [K in keyof Omit<LayerWeights, 'lora'>]: LayerWeights[K] | null };

export interface GradTargets {
  embed: Float32Array | null;
  layers: LayerGrads[];
  finalNorm: Float32Array | null;
  lmHead: Float32Array | null;
}

export interface ModelWeights {
  embed: Float32Array;
  layers: LayerWeights[];
  finalNorm: Float32Array;
  lmHead: Float32Array;
}

export function weightViews(model: LlamaModel, source: Map<string, Float32Array>): ModelWeights {
  const get = (name: string): Float32Array => {
    const view = source.get(name);
    if (!view) throw new ShapeError(`model has no parameter '${name}'`);
    return view;
  };
  const cfg = model.config;
  const layers: LayerWeights[] = [];
  for (let l = 0; l < cfg.numHiddenLayers; l++) {
    const p = `model.layers.${l}.`;
    const attn = `${p}self_attn.`;
    const bias = cfg.attentionBias
      ? { qBias: get(`${attn}q_proj.bias`), kBias: get(`${attn}k_proj.bias`), vBias: get(`${attn}v_proj.bias`) } : {};
    const norms = cfg.qkNorm ? { qNorm: get(`${attn}q_norm.weight`), kNorm: get(`${attn}k_norm.weight`) } : {};
    layers.push({
      ...bias,
      ...norms,
      inputNorm: get(`${p}input_layernorm.weight`),
      q: get(`${p}self_attn.q_proj.weight`),
      k: get(`${p}self_attn.k_proj.weight`),
      v: get(`${p}self_attn.v_proj.weight`),
      o: get(`${p}self_attn.o_proj.weight`),
      postNorm: get(`${p}post_attention_layernorm.weight`),
      gate: get(`${p}mlp.gate_proj.weight`),
      up: get(`${p}mlp.up_proj.weight`),
      down: get(`${p}mlp.down_proj.weight`),
    });
  }
  const embed = get('model.embed_tokens.weight');
  return {
    embed,
    layers,
    finalNorm: get('model.norm.weight'),
    lmHead: model.config.tieWordEmbeddings ? embed : get('lm_head.weight'),
  };
}
