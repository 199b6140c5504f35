// LoRA as a Trainable: the adapter's A and B live in one flat buffer that AdamW updates (no gradient or
// optimizer state for the base), and while training they sit beside the frozen projections as PEFT has them
// (y = x·Wᵀ + s·(x·Aᵀ)·Bᵀ, lora-projection.ts): the backward computes dA, dB and the input gradients only.
// When training ends the adapter is merged into the weights, W ← W + s·B·A, for sampling and saving.
// Dropout on the adapter's input is not implemented in the local trainer, so it is refused here.
import { ConfigError } from '../errors.ts';
import { weightViews, type LlamaModel, type Projection } from '../model/llama.ts';
import {
  initLoraAdapter, modulePath, type LoraAdapter, type LoraOptions, type LoraPair, type LoraTarget,
} from '../model/lora-adapter.ts';
import { mergeInto } from '../model/lora-merge.ts';
import type { LoraSlot } from '../model/lora-projection.ts';
import { attachTrainViews, detachTrainViews, frozenGrads } from '../model/train-views.ts';
import { Rng } from '../rng.ts';
import type { Trainable } from './trainable.ts';

export interface LoraTrainable extends Trainable {
  /** The adapter, its A and B being views of the live buffer (save it with savePeftAdapter). */
  readonly adapter: LoraAdapter;
}

const PROJECTION_OF: Record<LoraTarget, Projection> = {
  q_proj: 'q', k_proj: 'k', v_proj: 'v', o_proj: 'o', gate_proj: 'gate', up_proj: 'up', down_proj: 'down',
};

const tensorName = (module: string, part: 'A' | 'B'): string => `${module}.lora_${part}`;

/** Attaches a fresh adapter to `model` (detached again by finish()). */
export function loraTrainable(model: LlamaModel, options: LoraOptions, seed: number): LoraTrainable {
  if (options.dropout !== 0) {
    throw new ConfigError('--lora-dropout', `${options.dropout} is not supported by the local trainer; ` +
      'use 0, or --trainer accelerate (peft) for adapter dropout');
  }
  const rng = new Rng(seed).fork('lora');
  const initial = initLoraAdapter(model.config, options, () => rng.next());
  const total = [...initial.pairs.values()].reduce((sum, p) => sum + p.a.length + p.b.length, 0);
  const flatParams = model.engine.alloc(total);
  const flatGrads = model.engine.alloc(total);
  const scale = options.alpha / options.rank;
  const weights = weightViews(model, model.params);
  const pairs = new Map<string, LoraPair>();
  let offset = 0;
  const take = (length: number): [Float32Array, Float32Array] => {
    const views: [Float32Array, Float32Array] =
      [flatParams.subarray(offset, offset + length), flatGrads.subarray(offset, offset + length)];
    offset += length;
    return views;
  };
  let widest = 0;
  // initLoraAdapter's order: layers, then targets
  weights.layers.forEach((layer, l) => options.targets.forEach((target) => {
    const module = modulePath(l, target);
    const init = initial.pairs.get(module) as LoraPair;
    if (!model.params.has(`${module}.weight`)) {
      throw new ConfigError('--lora-targets', `the model has no ${module}.weight`);
    }
    const [a, gradA] = take(init.a.length);
    const [b, gradB] = take(init.b.length);
    a.set(init.a);
    b.set(init.b);
    pairs.set(module, { a, b, inFeatures: init.inFeatures, outFeatures: init.outFeatures });
    const slot: LoraSlot = { a, b, gradA, gradB, rank: options.rank, scale };
    layer.lora = { ...layer.lora, [PROJECTION_OF[target]]: slot };
    widest = Math.max(widest, init.outFeatures);
  }));
  attachTrainViews(model, { weights, grads: frozenGrads(model), loraRank: options.rank, loraWidest: widest });
  const names = [...pairs.keys()];
  let finished = false;
  return {
    adapter: { options, pairs },
    // A and B are both decayed, as Hugging Face's Trainer decays every non-bias, non-norm weight
    buffer: { engine: model.engine, flatParams, flatGrads, decayLength: total },
    zeroGrads: () => flatGrads.fill(0),
    tensors: () => new Map(names.flatMap((module) => {
      const p = pairs.get(module) as LoraPair;
      return [[tensorName(module, 'A'), p.a], [tensorName(module, 'B'), p.b]];
    })),
    restore(saved) {
      for (const [module, p] of pairs) {
        for (const [part, view] of [['A', p.a], ['B', p.b]] as const) {
          const values = saved.get(tensorName(module, part));
          if (!values || values.length !== view.length) {
            throw new ConfigError('--lora-rank', `the saved training state has no ${tensorName(module, part)} ` +
              `of ${view.length} values; it was made with other LoRA settings (delete train-state to restart)`);
          }
          view.set(values);
        }
      }
    },
    finish(keep) {
      if (finished) return;
      finished = true;
      detachTrainViews(model);
      if (!keep) return;
      for (const [module, p] of pairs) {
        const weight = model.params.get(`${module}.weight`) as Float32Array;
        mergeInto(weight, weight, p.a, p.b, p.outFeatures, p.inFeatures, options.rank, scale);
      }
    },
  };
}
