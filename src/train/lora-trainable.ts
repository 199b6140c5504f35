// LoRA as a Trainable: the targeted projections keep a frozen copy W0, the adapter's A and B live in one flat
// buffer that AdamW updates (no optimizer state for the base), and before each forward pass the model's weight
// becomes W = W0 + s·B·A. The engine's backward gives dW as for full fine-tuning; gather() turns it into dA, dB
// (lora-grad.ts). Dropout on the adapter's input has no place in a merged weight, so it is refused here.
import { ConfigError } from '../errors.ts';
import { initLoraAdapter, type LoraAdapter, type LoraOptions, type LoraPair } from '../model/lora-adapter.ts';
import { loraGradients, mergeInto } from '../model/lora-grad.ts';
import type { LlamaModel } from '../model/llama.ts';
import { Rng } from '../rng.ts';
import type { Trainable } from './trainable.ts';

export interface LoraTrainable extends Trainable {
  /** The adapter, its A and B being views of the live buffer (save it with savePeftAdapter). */
  readonly adapter: LoraAdapter;
}

interface Slot {
  readonly pair: LoraPair;
  readonly gradA: Float32Array; // (r, in)
  readonly gradB: Float32Array; // (out, r)
  readonly w0: Float32Array; // (out, in), frozen
  readonly weight: Float32Array; // the model's live weight
  readonly weightGrad: Float32Array;
}

const tensorName = (module: string, part: 'A' | 'B'): string => `${module}.lora_${part}`;

export function loraTrainable(model: LlamaModel, options: LoraOptions, seed: number): LoraTrainable {
  if (options.dropout !== 0) {
    throw new ConfigError('--lora-dropout', `${options.dropout} is not supported by the local trainer, which ` +
      'trains through the merged weight; use 0, or --trainer accelerate (peft) for adapter dropout');
  }
  const rng = new Rng(seed).fork('lora');
  const initial = initLoraAdapter(model.config, options, () => rng.next());
  const total = [...initial.pairs.values()].reduce((sum, p) => sum + p.a.length + p.b.length, 0);
  const flatParams = model.engine.alloc(total);
  const flatGrads = model.engine.alloc(total);
  const pairs = new Map<string, LoraPair>();
  const slots: Slot[] = [];
  let offset = 0;
  const take = (length: number): [Float32Array, Float32Array] => {
    const views: [Float32Array, Float32Array] =
      [flatParams.subarray(offset, offset + length), flatGrads.subarray(offset, offset + length)];
    offset += length;
    return views;
  };
  for (const [module, init] of initial.pairs) {
    const weight = model.params.get(`${module}.weight`);
    const weightGrad = model.grads.get(`${module}.weight`);
    if (!weight || !weightGrad) throw new ConfigError('--lora-targets', `the model has no ${module}.weight`);
    const [a, gradA] = take(init.a.length);
    const [b, gradB] = take(init.b.length);
    a.set(init.a);
    b.set(init.b);
    const pair: LoraPair = { a, b, inFeatures: init.inFeatures, outFeatures: init.outFeatures };
    pairs.set(module, pair);
    slots.push({ pair, gradA, gradB, w0: Float32Array.from(weight), weight, weightGrad });
  }
  const scale = options.alpha / options.rank;
  const names = [...pairs.keys()];
  return {
    adapter: { options, pairs },
    // A and B are both decayed, as Hugging Face's Trainer decays every non-bias, non-norm weight
    buffer: { engine: model.engine, flatParams, flatGrads, decayLength: total },
    apply() {
      for (const { pair: p, w0, weight } of slots) {
        mergeInto(weight, w0, p.a, p.b, p.outFeatures, p.inFeatures, options.rank, scale);
      }
    },
    gather() {
      flatGrads.fill(0);
      for (const { pair: p, gradA, gradB, weightGrad } of slots) {
        loraGradients(weightGrad, p.a, p.b, p.outFeatures, p.inFeatures, options.rank, scale, gradA, gradB);
      }
    },
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
  };
}
