// The fallback backend: the reference kernels run on views of the engine's shared memory, one thread.
import type { Arena } from './memory.ts';
import { biasAdd, biasBackward } from './reference-bias.ts';
import * as ref from './reference.ts';
import type { Engine } from './types.ts';

export function createReferenceEngine(arena: Arena): Engine {
  return {
    backend: 'reference',
    threads: 1,
    alloc: arena.alloc,
    allocInt32: arena.allocInt32,
    mark: arena.mark,
    release: arena.release,
    dispose() {},
    linear: ref.linear,
    linearBackward: ref.linearBackward,
    embedding: ref.embedding,
    embeddingBackward: ref.embeddingBackward,
    rmsnorm: ref.rmsnorm,
    rmsnormBackward: ref.rmsnormBackward,
    rope: ref.rope,
    ropeBackward: ref.ropeBackward,
    biasAdd,
    biasBackward,
    attention: ref.attention,
    attentionBackward: ref.attentionBackward,
    attentionDecode: ref.attentionDecode,
    swiglu: ref.swiglu,
    swigluBackward: ref.swigluBackward,
    add: ref.add,
    logSoftmaxTargets: ref.logSoftmaxTargets,
    logSoftmaxTargetsBackward: ref.logSoftmaxTargetsBackward,
    adamw: ref.adamw,
    sumSquares: ref.sumSquares,
    scale: ref.scale,
  };
}
