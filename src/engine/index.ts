// The engine's public API: createEngine() picks the fastest available backend and sets up memory and threads.
// Backends: native (the WebAssembly kernels with the C++ addon's AVX-512/AVX2 matrix products), WebAssembly
// relaxed-SIMD (FMA), plain SIMD, or the plain-TypeScript reference as fallback.
import { availableParallelism } from 'node:os';
import { createArena } from './memory.ts';
import { createNativeEngine } from './native-engine.ts';
import { loadNativeAddon } from './native-loader.ts';
import { createReferenceEngine } from './reference-engine.ts';
import type { Engine, EngineOptions } from './types.ts';
import { createWasmEngine } from './wasm-engine.ts';
import { loadKernels, type WasmVariant } from './wasm-loader.ts';

export { ENGINE_MEMORY_BYTES } from './memory.ts';
export type { AdamWOptions, Backend, DecodePrefix, Engine, EngineChoice, EngineOptions } from './types.ts';

const RESERVED_BYTES = 1 << 16; // below the arena: the wasm modules' own constant tables (≈ 12 KiB)

/**
 * The engine. 'auto' tries native, then relaxed SIMD, then SIMD, then the reference; 'wasm' the two WebAssembly
 * variants; a named backend must be available.
 */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`threads must be a positive integer, got ${threads}`);
  }
  const backend = options.backend ?? 'auto';
  const arena = createArena({ baseBytes: RESERVED_BYTES });
  if (backend === 'reference') return createReferenceEngine(arena);
  const reasons: string[] = [];
  const addon = backend === 'auto' || backend === 'native' ? loadNativeAddon() : undefined;
  if (addon && 'unavailable' in addon) reasons.push(`native: ${addon.unavailable}`);
  const variants: WasmVariant[] = backend === 'simd' ? ['simd'] : backend === 'relaxed-simd' ? ['relaxed-simd']
    : ['relaxed-simd', 'simd'];
  for (const variant of variants) {
    const kernels = loadKernels(variant);
    if (!('module' in kernels)) {
      reasons.push(`${variant}: ${kernels.unavailable}`);
      continue;
    }
    if (addon && !('unavailable' in addon)) {
      return createNativeEngine(arena, kernels, addon, threads, options.parallelMinWork);
    }
    if (backend === 'native') break;
    return createWasmEngine(arena, kernels, threads, options.parallelMinWork);
  }
  if (backend === 'auto') return createReferenceEngine(arena);
  throw new Error(`engine backend ${backend} unavailable (${reasons.join('; ')})`);
}
