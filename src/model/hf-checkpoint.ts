// Opening a Hugging Face checkpoint directory of the Llama family: config.json through parseHfConfig, then
// every parameter the config implies, read from single or sharded safetensors and checked against its shape.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../errors.ts';
import { type HfModelConfig, parseHfConfig } from './hf-config.ts';
import { indexHfWeights, readHfTensor, type StoredDtype, storedDtypes } from './hf-weights.ts';

export interface HfModel {
  readonly config: HfModelConfig;
  readonly params: Map<string, Float32Array>;
  readonly storedDtype: StoredDtype; // what the files held (saving can write it back)
  readonly configJson: Record<string, unknown>; // config.json as read, written back on save
}

/** Every parameter tensor of `config`, HF name → shape, in transformers' state-dict order. */
export function hfParameterShapes(config: HfModelConfig): Map<string, number[]> {
  const { hiddenSize: C, headDim: D, numAttentionHeads: H, numKeyValueHeads: KVH, intermediateSize: I } = config;
  const shapes = new Map<string, number[]>();
  shapes.set('model.embed_tokens.weight', [config.vocabSize, C]);
  for (let l = 0; l < config.numHiddenLayers; l++) {
    const p = `model.layers.${l}.`;
    shapes.set(`${p}self_attn.q_proj.weight`, [H * D, C]);
    if (config.attentionBias) shapes.set(`${p}self_attn.q_proj.bias`, [H * D]);
    shapes.set(`${p}self_attn.k_proj.weight`, [KVH * D, C]);
    if (config.attentionBias) shapes.set(`${p}self_attn.k_proj.bias`, [KVH * D]);
    shapes.set(`${p}self_attn.v_proj.weight`, [KVH * D, C]);
    if (config.attentionBias) shapes.set(`${p}self_attn.v_proj.bias`, [KVH * D]);
    shapes.set(`${p}self_attn.o_proj.weight`, [C, H * D]);
    if (config.qkNorm) {
      shapes.set(`${p}self_attn.q_norm.weight`, [D]);
      shapes.set(`${p}self_attn.k_norm.weight`, [D]);
    }
    shapes.set(`${p}mlp.gate_proj.weight`, [I, C]);
    shapes.set(`${p}mlp.up_proj.weight`, [I, C]);
    shapes.set(`${p}mlp.down_proj.weight`, [C, I]);
    shapes.set(`${p}input_layernorm.weight`, [C]);
    shapes.set(`${p}post_attention_layernorm.weight`, [C]);
  }
  shapes.set('model.norm.weight', [C]);
  if (!config.tieWordEmbeddings) shapes.set('lm_head.weight', [config.vocabSize, C]);
  return shapes;
}

/** Loads `dir`; a missing or misshapen tensor is a DataError naming the file and the tensor. */
export function loadHfModel(dir: string): HfModel {
  const configFile = join(dir, 'config.json');
  if (!existsSync(configFile)) throw new DataError(configFile, undefined, 'is missing (expected an HF checkpoint)');
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(configFile, 'utf8'));
  } catch {
    throw new DataError(configFile, undefined, 'is not valid JSON');
  }
  const config = parseHfConfig(json, configFile);
  const entries = indexHfWeights(dir);
  const dtypes = [...storedDtypes(entries)];
  const params = new Map<string, Float32Array>();
  for (const [name, shape] of hfParameterShapes(config)) {
    const entry = entries.get(name);
    if (!entry) throw new DataError(dir, undefined, `tensor ${name} is missing from the safetensors files`);
    if (entry.shape.join(',') !== shape.join(',')) {
      const message = `tensor ${name} has shape ${entry.shape.join('×')}, config.json implies ${shape.join('×')}`;
      throw new DataError(entry.file, undefined, message);
    }
    params.set(name, readHfTensor(entry).data);
  }
  const storedDtype = dtypes.length === 1 ? (dtypes[0] as StoredDtype) : 'F32';
  return { config, params, storedDtype, configJson: json };
}
