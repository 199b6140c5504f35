// What a training pass reads and writes for one model: its weights (possibly with LoRA adapters beside the
// frozen projections) and where gradients go (null = frozen). By default every weight trains into model.grads;
// a LoRA trainable attaches its own views for the length of its training loop (sequence-logprobs.ts reads them).
import { ShapeError } from '../errors.ts';
import { weightViews, type GradTargets, type LlamaModel, type ModelWeights } from './llama.ts';

export interface TrainViews {
  readonly weights: ModelWeights;
  readonly grads: GradTargets;
  /** the largest adapter rank and output width (0 without adapters): the scratch a pass needs */
  readonly loraRank: number;
  readonly loraWidest: number;
}

const attached = new WeakMap<LlamaModel, TrainViews>();
const defaults = new WeakMap<LlamaModel, { weights: ModelWeights; grads?: GradTargets }>();

export function attachTrainViews(model: LlamaModel, views: TrainViews): void {
  if (attached.has(model)) {
    throw new ShapeError('the model already has training views attached (two trainers at once?)');
  }
  attached.set(model, views);
}

export function detachTrainViews(model: LlamaModel): void {
  attached.delete(model);
}

/** The attached views, or plain weights training into model.grads (built once per model). */
export function trainViewsOf(model: LlamaModel, withGrads: boolean): TrainViews {
  const views = attached.get(model);
  if (views) return views;
  let plain = defaults.get(model);
  if (!plain) {
    plain = { weights: weightViews(model, model.params) };
    defaults.set(model, plain);
  }
  if (withGrads && !plain.grads) {
    if (model.grads.size === 0) {
      throw new ShapeError('this model was opened without gradient buffers (frozen); attach LoRA views to train it');
    }
    plain.grads = weightViews(model, model.grads);
  }
  return { weights: plain.weights, grads: plain.grads ?? frozenGrads(model), loraRank: 0, loraWidest: 0 };
}

/** Every weight frozen. */
export function frozenGrads(model: LlamaModel): GradTargets {
  const nulls = {
    inputNorm: null, q: null, k: null, v: null, o: null, postNorm: null, gate: null, up: null, down: null,
  };
  return {
    embed: null, finalNorm: null, lmHead: null,
    layers: Array.from({ length: model.config.numHiddenLayers }, () => ({ ...nulls })),
  };
}
