// Finds and compiles the built WebAssembly kernels (build/engine/*.wasm, made by scripts/build-wasm.mjs).
// Prefers the relaxed-SIMD (FMA) variant when this V8 validates it; Node 20 needs a V8 flag for that.
import { existsSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

export type WasmVariant = 'relaxed-simd' | 'simd';

export interface CompiledKernels {
  variant: WasmVariant;
  module: WebAssembly.Module;
  /** Whether V8 needed --experimental-wasm-relaxed-simd (worker threads then set it too). */
  relaxedFlag: boolean;
}

const buildDir = new URL('../../build/engine/', import.meta.url);

export function kernelFile(variant: WasmVariant): URL {
  return new URL(`kernels-${variant}.wasm`, buildDir);
}

let relaxedFlagSet = false;

/** The variant's compiled module, or a reason it is unavailable. */
export function loadKernels(variant: WasmVariant): CompiledKernels | { unavailable: string } {
  const file = kernelFile(variant);
  if (!existsSync(file)) return { unavailable: `${file.pathname} is missing; run \`npm run build:wasm\`` };
  const bytes = readFileSync(file);
  let valid = WebAssembly.validate(bytes);
  if (!valid && variant === 'relaxed-simd') {
    // Node 20 (V8 11.3) ships relaxed SIMD behind a flag that NODE_OPTIONS refuses; it applies process-wide.
    setFlagsFromString('--experimental-wasm-relaxed-simd');
    relaxedFlagSet = true;
    valid = WebAssembly.validate(bytes);
  }
  if (!valid) return { unavailable: `this runtime cannot run ${variant} WebAssembly` };
  return { variant, module: new WebAssembly.Module(bytes), relaxedFlag: relaxedFlagSet };
}
