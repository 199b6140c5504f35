// An imported Hugging Face checkpoint (hf-checkpoint.ts) as eto's engine model: HfModelConfig → LlamaConfig, and
// loadHfModel's tensors copied into the engine's flat buffers. Fields that keep the plain Llama behaviour are left
// out, so a plain Llama import has the same LlamaConfig eto's own checkpoints have.
import type { Engine } from '../engine/index.ts';
import type { LlamaConfig } from './config.ts';
import { loadHfModel, type HfModel } from './hf-checkpoint.ts';
import type { HfModelConfig } from './hf-config.ts';
import { createModel, type LlamaModel, type ModelOptions } from './llama.ts';

// config.json may give a token id as a number, a list (several eos ids) or null
function tokenId(value: unknown, fallback: number): number {
  if (typeof value === 'number') return value;
  if (Array.isArray(value) && typeof value[0] === 'number') return value[0];
  return fallback;
}

/** The LlamaConfig the engine runs for `hf`; token ids come from config.json (pad falls back to eos). */
export function llamaConfigFromHf(hf: HfModelConfig, configJson: Record<string, unknown> = {}): LlamaConfig {
  const eosTokenId = tokenId(configJson.eos_token_id, 0);
  return {
    vocabSize: hf.vocabSize,
    hiddenSize: hf.hiddenSize,
    intermediateSize: hf.intermediateSize,
    numHiddenLayers: hf.numHiddenLayers,
    numAttentionHeads: hf.numAttentionHeads,
    numKeyValueHeads: hf.numKeyValueHeads,
    maxPositionEmbeddings: hf.maxPositionEmbeddings,
    rmsNormEps: hf.rmsNormEps,
    ropeTheta: hf.ropeTheta,
    tieWordEmbeddings: hf.tieWordEmbeddings,
    bosTokenId: tokenId(configJson.bos_token_id, 0),
    eosTokenId,
    padTokenId: tokenId(configJson.pad_token_id, eosTokenId),
    ...(hf.headDim * hf.numAttentionHeads !== hf.hiddenSize ? { headDim: hf.headDim } : {}),
    ...(hf.ropeScaling.type !== 'default' ? { ropeScaling: hf.ropeScaling } : {}),
    ...(hf.attentionBias ? { attentionBias: true } : {}),
    ...(hf.qkNorm ? { qkNorm: true } : {}),
  };
}

/** An already loaded HF checkpoint in `engine` (its tensor names are the engine's). */
export function engineModelFromHf(engine: Engine, hf: HfModel, options: ModelOptions = {}): LlamaModel {
  return createModel(engine, llamaConfigFromHf(hf.config, hf.configJson), { params: hf.params }, options);
}

/** Reads the HF checkpoint directory `dir` (single or sharded safetensors, F32/F16/BF16) into `engine`. */
export function loadHfIntoEngine(engine: Engine, dir: string, options: ModelOptions = {}): LlamaModel {
  return engineModelFromHf(engine, loadHfModel(dir), options);
}
