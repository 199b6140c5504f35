// What a training loop updates: every weight of the model (full fine-tuning) or a LoRA adapter over frozen
// weights (lora-trainable.ts). The loop asks the trainable to put its values into the model before a forward
// pass, to gather its gradient from the model's after the backward, and to snapshot and restore itself.
import type { LlamaModel } from '../model/llama.ts';
import { fullParamBuffer, type ParamBuffer } from '../model/optimizer.ts';

export interface Trainable {
  /** The values the optimizer updates and their gradient. */
  readonly buffer: ParamBuffer;
  /** Writes the current values into the model's weights (before a forward pass). */
  apply(): void;
  /** Moves the model's gradient (model.grads, after a backward pass) into buffer.flatGrads. */
  gather(): void;
  /** Named views of the values, for a resumable snapshot. */
  tensors(): Map<string, Float32Array>;
  /** Restores the values saved by tensors() (then apply() puts them in the model). */
  restore(saved: Map<string, Float32Array>): void;
}

/** Full fine-tuning: the model's own flat buffer is the trainable; nothing to apply or gather. */
export function fullTrainable(model: LlamaModel): Trainable {
  return {
    buffer: fullParamBuffer(model),
    apply: () => undefined,
    gather: () => undefined,
    tensors: () => model.params,
    restore(saved) {
      for (const [name, values] of saved) model.params.get(name)?.set(values);
    },
  };
}
