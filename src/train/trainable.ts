// What a training loop updates: every weight of the model (full fine-tuning) or a LoRA adapter beside frozen
// weights (lora-trainable.ts). The loop zeroes the trainable's gradient before each step, lets the stage's
// backward fill it, snapshots and restores it, and finishes it when training ends.
import { zeroGrads, type LlamaModel } from '../model/llama.ts';
import { fullParamBuffer, type ParamBuffer } from '../model/optimizer.ts';

export interface Trainable {
  /** The values the optimizer updates and their gradient (filled by the stage's backward pass). */
  readonly buffer: ParamBuffer;
  /** Zeroes the gradient before a step. */
  zeroGrads(): void;
  /** Named views of the values, for a resumable snapshot. */
  tensors(): Map<string, Float32Array>;
  /** Restores the values saved by tensors(). */
  restore(saved: Map<string, Float32Array>): void;
  /** Ends training: `keep` leaves the trained values in the model's weights (a LoRA adapter is merged). */
  finish(keep: boolean): void;
}

/** Full fine-tuning: the model's own flat buffer is the trainable. */
export function fullTrainable(model: LlamaModel): Trainable {
  return {
    buffer: fullParamBuffer(model),
    zeroGrads: () => zeroGrads(model),
    tensors: () => model.params,
    restore(saved) {
      for (const [name, values] of saved) model.params.get(name)?.set(values);
    },
    finish: () => undefined,
  };
}
