// The engine's public API: createEngine() picks the fastest available backend and sets up memory and threads.
// Backends: WebAssembly relaxed-SIMD (FMA), plain SIMD, or the plain-TypeScript reference as fallback.
import { availableParallelism } from 'node:os';
import { createArena } from './memory.ts';
import { createReferenceEngine } from './reference-engine.ts';
import type { Engine, EngineOptions } from './types.ts';
import { createWasmEngine } from './wasm-engine.ts';
import { loadKernels, type WasmVariant } from './wasm-loader.ts';

export type { AdamWOptions, Backend, Engine, EngineOptions } from './types.ts';

const RESERVED_BYTES = 1 << 16; // below the arena: the wasm modules' own constant tables (≈ 12 KiB)

/** The engine. 'auto' tries relaxed SIMD, then SIMD, then the reference; a named backend must be available. */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
  const backend = options.backend ?? 'auto';
  const arena = createArena({ baseBytes: RESERVED_BYTES });
  if (backend === 'reference') return createReferenceEngine(arena);
  const variants: WasmVariant[] = backend === 'auto' ? ['relaxed-simd', 'simd'] : [backend];
  const reasons: string[] = [];
  for (const variant of variants) {
    const kernels = loadKernels(variant);
    if ('module' in kernels) return createWasmEngine(arena, kernels, threads, options.parallelMinWork);
    reasons.push(`${variant}: ${kernels.unavailable}`);
  }
  if (backend === 'auto') return createReferenceEngine(arena);
  throw new Error(`engine backend unavailable (${reasons.join('; ')})`);
}
