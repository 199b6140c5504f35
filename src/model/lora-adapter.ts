// LoRA adapters in PEFT's layout: for each target projection W (out, in) of each layer, A (r, in) and B (out, r),
// the adapted weight being W + (alpha / r)·B·A. Saved as a PEFT adapter directory — adapter_config.json and
// adapter_model.safetensors with names like base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight —
// which peft's PeftModel.from_pretrained loads onto the base checkpoint.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../data/jsonl.ts';
import { ConfigError, DataError } from '../errors.ts';
import type { HfModelConfig } from './hf-config.ts';
import { indexHfWeights, readHfTensor } from './hf-weights.ts';
import { encodeSafetensors, type NamedTensor } from './safetensors.ts';

export const LORA_TARGETS = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] as const;
export type LoraTarget = (typeof LORA_TARGETS)[number];

export interface LoraOptions {
  readonly rank: number; // r
  readonly alpha: number; // scale = alpha / r
  readonly dropout: number; // on the adapter's input during training (PEFT's lora_dropout)
  readonly targets: readonly LoraTarget[];
}

export interface LoraPair {
  readonly a: Float32Array; // (r, in)
  readonly b: Float32Array; // (out, r)
  readonly inFeatures: number;
  readonly outFeatures: number;
}

export interface LoraAdapter {
  readonly options: LoraOptions;
  readonly pairs: Map<string, LoraPair>; // module path (model.layers.0.self_attn.q_proj) → A, B
}

/** The sizes that fix the projections' shapes (an HfModelConfig or the engine's LlamaConfig). */
export type ProjectionDims = Pick<HfModelConfig, 'hiddenSize' | 'numAttentionHeads' | 'numKeyValueHeads' |
  'intermediateSize' | 'numHiddenLayers'> & { readonly headDim?: number };

/** (out, in) of a target projection in `config`. */
export function projectionShape(config: ProjectionDims, target: LoraTarget): [number, number] {
  const { hiddenSize: C, numAttentionHeads: H, numKeyValueHeads: KVH, intermediateSize: I } = config;
  const D = config.headDim ?? C / H;
  const shapes: Record<LoraTarget, [number, number]> = {
    q_proj: [H * D, C], k_proj: [KVH * D, C], v_proj: [KVH * D, C], o_proj: [C, H * D],
    gate_proj: [I, C], up_proj: [I, C], down_proj: [C, I],
  };
  return shapes[target];
}

export function modulePath(layer: number, target: LoraTarget): string {
  const block = target === 'gate_proj' || target === 'up_proj' || target === 'down_proj' ? 'mlp' : 'self_attn';
  return `model.layers.${layer}.${block}.${target}`;
}

/** PEFT's initialisation: A ~ U(±1/√in) (kaiming-uniform with a = √5), B = 0, so training starts at the base. */
export function initLoraAdapter(config: ProjectionDims, options: LoraOptions, random: () => number): LoraAdapter {
  if (!Number.isInteger(options.rank) || options.rank < 1) throw new ConfigError('model.loraRank', 'must be ≥ 1');
  if (!(options.dropout >= 0 && options.dropout < 1)) throw new ConfigError('model.loraDropout', 'must be in [0, 1)');
  const pairs = new Map<string, LoraPair>();
  for (let l = 0; l < config.numHiddenLayers; l++) {
    for (const target of options.targets) {
      const [outFeatures, inFeatures] = projectionShape(config, target);
      const bound = 1 / Math.sqrt(inFeatures);
      const a = Float32Array.from({ length: options.rank * inFeatures }, () => (2 * random() - 1) * bound);
      pairs.set(modulePath(l, target), { a, b: new Float32Array(outFeatures * options.rank), inFeatures, outFeatures });
    }
  }
  return { options, pairs };
}

const peftName = (module: string, part: 'A' | 'B'): string => `base_model.model.${module}.lora_${part}.weight`;

/** Writes adapter_config.json + adapter_model.safetensors; `baseModel` is recorded as base_model_name_or_path. */
export function savePeftAdapter(dir: string, adapter: LoraAdapter, baseModel: string): void {
  const { rank, alpha, dropout, targets } = adapter.options;
  const tensors = new Map<string, NamedTensor>();
  for (const [module, { a, b, inFeatures, outFeatures }] of adapter.pairs) {
    tensors.set(peftName(module, 'A'), { data: a, shape: [rank, inFeatures] });
    tensors.set(peftName(module, 'B'), { data: b, shape: [outFeatures, rank] });
  }
  writeFileAtomic(join(dir, 'adapter_model.safetensors'), encodeSafetensors(tensors, { format: 'pt' }));
  writeJsonAtomic(join(dir, 'adapter_config.json'), {
    peft_type: 'LORA', task_type: 'CAUSAL_LM', base_model_name_or_path: baseModel, r: rank, lora_alpha: alpha,
    lora_dropout: dropout, target_modules: [...targets], bias: 'none', fan_in_fan_out: false, use_rslora: false,
    use_dora: false, inference_mode: true, init_lora_weights: true, modules_to_save: null,
  });
}

/** Reads a PEFT LoRA adapter directory (plain LoRA: no rslora, DoRA, bias or modules_to_save). */
export function loadPeftAdapter(dir: string, config: ProjectionDims): LoraAdapter {
  const configFile = join(dir, 'adapter_config.json');
  if (!existsSync(configFile)) throw new DataError(configFile, undefined, 'is missing (expected a PEFT adapter)');
  const json = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  const refuse = (field: string, why: string): never => {
    throw new ConfigError(`${configFile}: ${field}`, why);
  };
  if (json.peft_type !== 'LORA') refuse('peft_type', `${JSON.stringify(json.peft_type)} is not supported (LORA)`);
  if (json.use_rslora === true) refuse('use_rslora', 'true is not supported');
  if (json.use_dora === true) refuse('use_dora', 'true is not supported');
  if (json.bias !== undefined && json.bias !== 'none') refuse('bias', `${JSON.stringify(json.bias)} is not supported`);
  if (json.fan_in_fan_out === true) refuse('fan_in_fan_out', 'true is not supported');
  const targets = json.target_modules;
  if (!Array.isArray(targets) || targets.some((t) => !LORA_TARGETS.includes(t))) {
    refuse('target_modules', `${JSON.stringify(targets)}: use a list of ${LORA_TARGETS.join(', ')}`);
  }
  const options: LoraOptions = {
    rank: Number(json.r), alpha: Number(json.lora_alpha), dropout: Number(json.lora_dropout ?? 0),
    targets: targets as LoraTarget[],
  };
  const entries = indexHfWeights(dir, 'adapter_model.safetensors');
  const pairs = new Map<string, LoraPair>();
  for (let l = 0; l < config.numHiddenLayers; l++) {
    for (const target of options.targets) {
      const module = modulePath(l, target);
      const [outFeatures, inFeatures] = projectionShape(config, target);
      const read = (part: 'A' | 'B', shape: number[]): Float32Array => {
        const entry = entries.get(peftName(module, part));
        if (!entry || entry.shape.join(',') !== shape.join(',')) {
          throw new DataError(join(dir, 'adapter_model.safetensors'), undefined,
            `tensor ${peftName(module, part)} is missing or not ${shape.join('×')}`);
        }
        return readHfTensor(entry).data;
      };
      pairs.set(module, {
        a: read('A', [options.rank, inFeatures]), b: read('B', [outFeatures, options.rank]), inFeatures, outFeatures,
      });
    }
  }
  return { options, pairs };
}
