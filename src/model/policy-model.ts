// Opening, creating and saving the policy model (HF checkpoint dirs) inside an engine: eto's own checkpoints
// (eto's BPE and chat format) and imported Hugging Face ones (their tokenizer.json and chat template) look the
// same to the rest of eto: a model, a tokenizer for text and a ChatFormat for conversations.
// Every model lives in the engine's arena: callers wrap a stage in withModel() so its memory is released.
import { existsSync } from 'node:fs';
import type { ChatFormat } from '../chat/chat-format.ts';
import type { Engine } from '../engine/index.ts';
import { CheckpointError } from '../errors.ts';
import type { TextTokenizer } from '../tokenizer/types.ts';
import { etoChatFormat, specialTokenIds } from './chat.ts';
import { checkpointExists, loadCheckpoint, saveCheckpoint } from './checkpoint.ts';
import { presets, type LlamaConfig, type PresetName } from './config.ts';
import { isImportedCheckpoint, openHfChat, openHfPolicy, saveHfPolicy, type HfPolicyParts } from './hf-policy.ts';
import { createModel, type LlamaModel, type ModelOptions } from './llama.ts';
import { Tokenizer } from './tokenizer.ts';

/** What saving needs besides the weights: eto's tokenizer, or the imported source's config and files. */
export type PolicyOrigin = { kind: 'eto'; tokenizer: Tokenizer } | ({ kind: 'hf' } & HfPolicyParts['source']);

export interface PolicyModel {
  model: LlamaModel;
  tokenizer: TextTokenizer;
  chat: ChatFormat;
  origin: PolicyOrigin;
}

/** `{ grads: false }` for inference and LoRA training: no gradient buffer the size of the model. */
export function openModel(engine: Engine, dir: string, options: ModelOptions = {}): PolicyModel {
  if (!existsSync(dir)) throw new CheckpointError(`model directory ${dir} does not exist`);
  if (!checkpointExists(dir))
    throw new CheckpointError(`${dir}: no model checkpoint here (expected config.json and model.safetensors)`);
  if (isImportedCheckpoint(dir)) {
    const { model, tokenizer, chat, source } = openHfPolicy(engine, dir, options);
    return { model, tokenizer, chat, origin: { kind: 'hf', ...source } };
  }
  const { config, params, tokenizer } = loadCheckpoint(dir);
  return etoPolicy(createModel(engine, config, { params }, options), tokenizer);
}

/** The tokenizer and chat format of a checkpoint dir without loading its weights. */
export function openChat(dir: string): { tokenizer: TextTokenizer; chat: ChatFormat } {
  if (isImportedCheckpoint(dir)) return openHfChat(dir);
  const { tokenizer } = loadCheckpoint(dir);
  return { tokenizer, chat: etoChatFormat(tokenizer) };
}

function etoPolicy(model: LlamaModel, tokenizer: Tokenizer): PolicyModel {
  return { model, tokenizer, chat: etoChatFormat(tokenizer), origin: { kind: 'eto', tokenizer } };
}

export interface ModelShape {
  size: PresetName;
  context: number;
  /** 0 = the size preset's value */
  hidden: number;
  layers: number;
  heads: number;
  intermediate: number;
}

export function newModel(engine: Engine, shape: ModelShape, tokenizer: Tokenizer, seed: number,
  options: ModelOptions = {}): PolicyModel {
  const ids = specialTokenIds(tokenizer);
  const preset = presets[shape.size];
  const heads = shape.heads || preset.numAttentionHeads;
  const config: LlamaConfig = {
    ...preset,
    hiddenSize: shape.hidden || preset.hiddenSize,
    numHiddenLayers: shape.layers || preset.numHiddenLayers,
    numAttentionHeads: heads,
    numKeyValueHeads: shape.heads ? heads : preset.numKeyValueHeads,
    intermediateSize: shape.intermediate || preset.intermediateSize,
    vocabSize: tokenizer.vocabSize,
    maxPositionEmbeddings: shape.context,
    bosTokenId: ids.bos,
    eosTokenId: ids.eos,
    padTokenId: ids.pad,
  };
  return etoPolicy(createModel(engine, config, { seed }, options), tokenizer);
}

export function saveModel(dir: string, policy: PolicyModel): void {
  const { origin, model } = policy;
  if (origin.kind === 'hf') saveHfPolicy(dir, model, origin);
  else saveCheckpoint(dir, { config: model.config, params: model.params, tokenizer: origin.tokenizer });
}

/** Runs `fn` with a model whose engine memory is released afterwards. */
export async function withModel<T>(
  engine: Engine,
  open: () => PolicyModel,
  fn: (policy: PolicyModel) => Promise<T> | T,
): Promise<T> {
  const mark = engine.mark();
  try {
    return await fn(open());
  } finally {
    engine.release(mark);
  }
}
