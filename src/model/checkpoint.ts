// Checkpoint directories in the Hugging Face layout, loadable by transformers/vLLM:
// config.json, model.safetensors (F32, HF names), tokenizer.json, tokenizer_config.json, generation_config.json.
// A save builds the directory beside the target and renames it into place, so a crash never leaves half a checkpoint.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CheckpointError } from '../errors.ts';
import { CHAT_TEMPLATE } from './chat.ts';
import { headDim, type LlamaConfig, parameterShapes } from './config.ts';
import { decodeSafetensors, encodeSafetensors, type NamedTensor } from './safetensors.ts';
import { Tokenizer } from './tokenizer.ts';

export interface Checkpoint {
  config: LlamaConfig;
  params: Map<string, Float32Array>;
  tokenizer: Tokenizer;
}

export function toHfConfig(config: LlamaConfig): Record<string, unknown> {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: config.vocabSize,
    hidden_size: config.hiddenSize,
    intermediate_size: config.intermediateSize,
    num_hidden_layers: config.numHiddenLayers,
    num_attention_heads: config.numAttentionHeads,
    num_key_value_heads: config.numKeyValueHeads,
    head_dim: headDim(config),
    max_position_embeddings: config.maxPositionEmbeddings,
    rms_norm_eps: config.rmsNormEps,
    rope_theta: config.ropeTheta,
    rope_scaling: null,
    tie_word_embeddings: config.tieWordEmbeddings,
    hidden_act: 'silu',
    attention_bias: false,
    attention_dropout: 0.0,
    mlp_bias: false,
    initializer_range: 0.02,
    pretraining_tp: 1,
    use_cache: true,
    bos_token_id: config.bosTokenId,
    eos_token_id: config.eosTokenId,
    pad_token_id: config.padTokenId,
    torch_dtype: 'float32',
  };
}

// transformers 5 writes rope_theta inside rope_parameters ({rope_type: "default", rope_theta}); older files at the top
function ropeTheta(json: Record<string, unknown>, file: string): number {
  const params = json.rope_parameters as Record<string, unknown> | null | undefined;
  const value = json.rope_theta ?? params?.rope_theta;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new CheckpointError(`${file}: field rope_theta must be a number`);
  const type = params?.rope_type ?? 'default';
  if (type !== 'default') throw new CheckpointError(`${file}: rope_parameters.rope_type ${JSON.stringify(type)}: use the HF import`);
  return value;
}

export function fromHfConfig(json: Record<string, unknown>, file: string): LlamaConfig {
  const num = (key: string): number => {
    const value = json[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new CheckpointError(`${file}: field ${key} must be a number`);
    return value;
  };
  if (json.model_type !== 'llama') throw new CheckpointError(`${file}: model_type must be "llama", got ${JSON.stringify(json.model_type)}`);
  return {
    vocabSize: num('vocab_size'),
    hiddenSize: num('hidden_size'),
    intermediateSize: num('intermediate_size'),
    numHiddenLayers: num('num_hidden_layers'),
    numAttentionHeads: num('num_attention_heads'),
    numKeyValueHeads: num('num_key_value_heads'),
    maxPositionEmbeddings: num('max_position_embeddings'),
    rmsNormEps: num('rms_norm_eps'),
    ropeTheta: ropeTheta(json, file),
    tieWordEmbeddings: json.tie_word_embeddings === true,
    bosTokenId: num('bos_token_id'),
    eosTokenId: num('eos_token_id'),
    padTokenId: num('pad_token_id'),
  };
}

export function saveCheckpoint(dir: string, checkpoint: Checkpoint): void {
  const { config, params, tokenizer } = checkpoint;
  const tensors = new Map<string, NamedTensor>();
  for (const [name, shape] of parameterShapes(config)) {
    const data = params.get(name);
    if (!data) throw new CheckpointError(`cannot save ${dir}: parameter ${name} is missing`);
    tensors.set(name, { data, shape });
  }
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${basename(dir)}.tmp-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  const json = (name: string, value: unknown): void => writeFileSync(join(staging, name), `${JSON.stringify(value, null, 2)}\n`);
  json('config.json', toHfConfig(config));
  writeFileSync(join(staging, 'model.safetensors'), encodeSafetensors(tensors, { format: 'pt' }));
  writeFileSync(join(staging, 'tokenizer.json'), JSON.stringify(tokenizer.toJSON()));
  json('tokenizer_config.json', {
    tokenizer_class: 'PreTrainedTokenizerFast',
    bos_token: '<|bos|>',
    eos_token: '<|end|>',
    pad_token: '<|pad|>',
    model_max_length: config.maxPositionEmbeddings,
    clean_up_tokenization_spaces: false,
    chat_template: CHAT_TEMPLATE,
  });
  json('generation_config.json', {
    bos_token_id: config.bosTokenId,
    eos_token_id: config.eosTokenId,
    pad_token_id: config.padTokenId,
  });
  // swap in: old → aside, new → place, drop old (a crash in between leaves either the old or the new dir)
  const aside = join(parent, `.${basename(dir)}.old-${process.pid}`);
  if (existsSync(dir)) renameSync(dir, aside);
  renameSync(staging, dir);
  rmSync(aside, { recursive: true, force: true });
}

export function loadCheckpoint(dir: string): Checkpoint {
  if (!existsSync(dir)) throw new CheckpointError(`model directory ${dir} does not exist`);
  const read = (name: string): Buffer => {
    const file = join(dir, name);
    if (!existsSync(file)) throw new CheckpointError(`${file} is missing (expected a Hugging Face checkpoint directory)`);
    return readFileSync(file);
  };
  const parseJson = (name: string): Record<string, unknown> => {
    try {
      return JSON.parse(read(name).toString('utf8')) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof CheckpointError) throw error;
      throw new CheckpointError(`${join(dir, name)} is not valid JSON`);
    }
  };
  const config = fromHfConfig(parseJson('config.json'), join(dir, 'config.json'));
  const weightsFile = join(dir, 'model.safetensors');
  const { tensors } = decodeSafetensors(new Uint8Array(read('model.safetensors')), weightsFile);
  const params = new Map<string, Float32Array>();
  for (const [name, shape] of parameterShapes(config)) {
    const tensor = tensors.get(name);
    if (!tensor) throw new CheckpointError(`${weightsFile}: tensor ${name} is missing`);
    if (tensor.shape.join(',') !== shape.join(',')) {
      throw new CheckpointError(`${weightsFile}: tensor ${name} has shape ${tensor.shape.join('×')}, config says ${shape.join('×')}`);
    }
    params.set(name, tensor.data);
  }
  let tokenizer: Tokenizer;
  try {
    tokenizer = Tokenizer.fromJSON(parseJson('tokenizer.json'));
  } catch (error) {
    throw error instanceof CheckpointError ? error : new CheckpointError(`${join(dir, 'tokenizer.json')}: ${(error as Error).message}`);
  }
  return { config, params, tokenizer };
}

/** A finished HF checkpoint dir (checkpoint writes are atomic, so both files mean complete). */
export function checkpointExists(dir: string): boolean {
  return existsSync(join(dir, 'config.json')) && existsSync(join(dir, 'model.safetensors'));
}
