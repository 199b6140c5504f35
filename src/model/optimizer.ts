// AdamW over the model's flat parameter buffer (the engine's torch-exact kernel) and global gradient-norm clipping.
// Like Hugging Face's Trainer, norm weights get no weight decay (the flat layout puts them last, see llama.ts).
import type { Engine } from '../engine/index.ts';
import { ShapeError } from '../errors.ts';
import { parameterLayout, type LlamaModel } from './llama.ts';

/** What AdamW updates: a flat parameter buffer, its gradient, and the length of its weight-decayed front. */
export interface ParamBuffer {
  readonly engine: Engine;
  readonly flatParams: Float32Array;
  readonly flatGrads: Float32Array;
  readonly decayLength: number;
}

/** Every weight of the model (full fine-tuning). */
export function fullParamBuffer(model: LlamaModel): ParamBuffer {
  const { engine, flatParams, flatGrads } = model;
  return { engine, flatParams, flatGrads, decayLength: parameterLayout(model.config).decayLength };
}

const asBuffer = (target: LlamaModel | ParamBuffer): ParamBuffer =>
  'config' in target ? fullParamBuffer(target) : target;

export interface AdamWHyperparameters {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

export interface AdamWState {
  m: Float32Array;
  v: Float32Array;
  step: number;
}

export interface AdamW {
  /** One update with learning rate `lr` from model.flatGrads (the caller zeroes grads between steps). */
  step(lr: number): void;
  /** Live moment buffers and the number of steps taken (copy them to keep a snapshot). */
  state(): AdamWState;
  load(state: AdamWState): void;
}

export function createAdamW(target: LlamaModel | ParamBuffer, o: AdamWHyperparameters): AdamW {
  const model = asBuffer(target);
  const engine = model.engine;
  const n = model.flatParams.length;
  const decayLength = model.decayLength;
  const m = engine.alloc(n);
  const v = engine.alloc(n);
  // views for the decayed matrices and the undecayed norm weights
  const parts = [
    { from: 0, to: decayLength, weightDecay: o.weightDecay },
    { from: decayLength, to: n, weightDecay: 0 },
  ].map((part) => ({
    ...part,
    p: model.flatParams.subarray(part.from, part.to),
    g: model.flatGrads.subarray(part.from, part.to),
    m: m.subarray(part.from, part.to),
    v: v.subarray(part.from, part.to),
  }));
  let stepCount = 0;
  return {
    step(lr: number): void {
      if (!Number.isFinite(lr) || lr < 0) throw new RangeError(`learning rate must be a finite number ≥ 0, got ${lr}`);
      stepCount++;
      for (const part of parts) {
        if (part.to === part.from) continue;
        engine.adamw(part.p, part.g, part.m, part.v, part.to - part.from,
          { lr, beta1: o.beta1, beta2: o.beta2, eps: o.eps, weightDecay: part.weightDecay, step: stepCount });
      }
    },
    state: () => ({ m, v, step: stepCount }),
    load(state: AdamWState): void {
      if (state.m.length !== n || state.v.length !== n) {
        throw new ShapeError(`optimizer state has ${state.m.length}/${state.v.length} moments, the model ${n} parameters`);
      }
      if (!Number.isInteger(state.step) || state.step < 0) throw new ShapeError(`optimizer step must be an integer ≥ 0, got ${state.step}`);
      m.set(state.m);
      v.set(state.v);
      stepCount = state.step;
    },
  };
}

/** Scales flatGrads so their global L2 norm is at most maxNorm (torch's clip_grad_norm_); returns the norm before. */
export function clipGradNorm(target: LlamaModel | ParamBuffer, maxNorm: number): number {
  const model = asBuffer(target);
  const n = model.flatGrads.length;
  const norm = Math.sqrt(model.engine.sumSquares(model.flatGrads, n));
  const coefficient = maxNorm / (norm + 1e-6);
  if (coefficient < 1) model.engine.scale(model.flatGrads, coefficient, n);
  return norm;
}
