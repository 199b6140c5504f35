// The engine's memory: one shared WebAssembly.Memory with a bump arena (llm.c style) and scratch marks.
// Views handed out stay valid for the engine's life: growing a shared memory never detaches old views.

import { ResourceError } from '../errors.ts';

const PAGE_BYTES = 65536;
const ALIGN_BYTES = 64; // a cache line, so SIMD loads of every array start aligned

export interface Arena {
  readonly memory: WebAssembly.Memory;
  /** Byte offset of `bytes` fresh, zeroed, 64-byte-aligned bytes. */
  reserve(bytes: number): number;
  alloc(length: number): Float32Array;
  allocInt32(length: number): Int32Array;
  mark(): number;
  release(mark: number): void;
  /** Whether `array` is a view of this memory (any of its buffers, before or after growth). */
  owns(array: ArrayBufferView): boolean;
}

export const MAX_MEMORY_PAGES = 65536; // 4 GiB, what wasm32 addresses (the wasm modules declare 65536)
/** Every engine's address space: wasm32's 4 GiB (the native backend works on the same memory). */
export const ENGINE_MEMORY_BYTES = MAX_MEMORY_PAGES * PAGE_BYTES;

export function createArena(options: { baseBytes: number; initialPages?: number }): Arena {
  const initial = options.initialPages ?? 256;
  const memory = new WebAssembly.Memory({ initial, maximum: MAX_MEMORY_PAGES, shared: true });
  let top = alignUp(options.baseBytes);
  let highWater = top;
  const buffers = new Set<ArrayBufferLike>([memory.buffer]);

  function reserve(bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < 0) throw new RangeError(`cannot allocate ${bytes} bytes`);
    const offset = top;
    const end = offset + alignUp(bytes);
    const have = memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE_BYTES);
      if (have / PAGE_BYTES + pages > MAX_MEMORY_PAGES) {
        throw new ResourceError(`engine memory exhausted: ${gib(end)} GiB needed, the WebAssembly engine holds ` +
          `${gib(ENGINE_MEMORY_BYTES)} GiB (weights, gradients, optimizer state and activations); ` +
          'use fewer tokens per step (--sft-batch-tokens, --dpo-batch-tokens, --model-context), a smaller model, ' +
          'or --trainer accelerate');
      }
      memory.grow(pages);
      buffers.add(memory.buffer);
    }
    // released scratch may hold old values; memory never handed out is still zero (and stays untouched,
    // so reserved-but-unused scratch costs no resident memory)
    if (offset < highWater) new Uint8Array(memory.buffer, offset, Math.min(end, highWater) - offset).fill(0);
    top = end;
    highWater = Math.max(highWater, end);
    return offset;
  }

  function currentBuffer(): ArrayBufferLike {
    const buffer = memory.buffer;
    buffers.add(buffer);
    return buffer;
  }

  return {
    memory,
    reserve,
    alloc(length) {
      const offset = reserve(length * 4); // may grow the memory, so read .buffer afterwards
      return new Float32Array(currentBuffer(), offset, length);
    },
    allocInt32(length) {
      const offset = reserve(length * 4);
      return new Int32Array(currentBuffer(), offset, length);
    },
    mark: () => top,
    owns: (array) => buffers.has(array.buffer),
    release(mark) {
      if (mark > top || mark < alignUp(options.baseBytes)) {
        throw new RangeError(`release(${mark}) is not a live mark (top ${top})`);
      }
      top = mark;
    },
  };
}

/** Checks one kernel argument: at least `length` elements, and a view of this engine's memory; → its byte offset. */
export type ArrayCheck = (array: Float32Array | Int32Array, length: number, name: string) => number;

// a wrong size or a foreign array would make a kernel read or corrupt unrelated engine memory
export function arrayCheck(arena: Arena): ArrayCheck {
  return (array, length, name) => {
    const ints = array instanceof Int32Array;
    if (array.length < length) {
      throw new RangeError(`${name} holds ${array.length} ${ints ? 'ints' : 'floats'}, the kernel needs ${length}`);
    }
    if (!arena.owns(array)) {
      throw new RangeError(`${name} was not allocated by this engine (use engine.${ints ? 'allocInt32' : 'alloc'})`);
    }
    return array.byteOffset;
  };
}

function alignUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN_BYTES) * ALIGN_BYTES;
}

const gib = (bytes: number): string => (bytes / 2 ** 30).toFixed(2);
