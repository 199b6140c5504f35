// Opening, creating and saving the policy model (HF checkpoint dirs) inside an engine.
// Every model lives in the engine's arena: callers wrap a stage in withModel() so its memory is released.
import type { Engine } from '../engine/index.ts';
import { CheckpointError } from '../errors.ts';
import { checkpointExists, loadCheckpoint, saveCheckpoint } from './checkpoint.ts';
import { presets, type LlamaConfig, type PresetName } from './config.ts';
import { createModel, type LlamaModel } from './llama.ts';
import { specialTokenIds } from './chat.ts';
import type { Tokenizer } from './tokenizer.ts';

export interface PolicyModel {
  model: LlamaModel;
  tokenizer: Tokenizer;
}

export function openModel(engine: Engine, dir: string): PolicyModel {
  if (!checkpointExists(dir))
    throw new CheckpointError(`${dir}: no model checkpoint here (expected config.json and model.safetensors)`);
  const { config, params, tokenizer } = loadCheckpoint(dir);
  return { model: createModel(engine, config, { params }), tokenizer };
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

export function newModel(engine: Engine, shape: ModelShape, tokenizer: Tokenizer, seed: number): PolicyModel {
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
  return { model: createModel(engine, config, { seed }), tokenizer };
}

export function saveModel(dir: string, policy: PolicyModel): void {
  saveCheckpoint(dir, { config: policy.model.config, params: policy.model.params, tokenizer: policy.tokenizer });
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
