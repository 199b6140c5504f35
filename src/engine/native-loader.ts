// Finds the optional native addon (native/build/Release/eto_native.node, made by scripts/build-native.mjs).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The addon's API (native/src/addon.cc); pointers are byte offsets into the engine memory. */
export interface NativeAddon {
  /** A context on the memory `view` covers from its start, with its own pool of `threads` threads. */
  createContext(view: Float32Array, threads: number): object;
  /** C (M,N) (+)= A·B, A(i,k) = a[i·sai + k·sak], B(k,j) = b[k·sbk + j·sbj] (strides in floats) */
  gemm(context: object, c: number, ldc: number, a: number, sai: number, sak: number, b: number, sbk: number,
    sbj: number, M: number, N: number, K: number, accumulate: boolean, parallel: boolean): void;
  /** KV-cache attention (Engine.attentionDecode); slots −1 = row b reads slot b; prefix pointers −1 = none */
  attentionDecode(context: object, out: number, q: number, k: number, v: number, lengths: number, slots: number,
    prefixSlots: number, prefixLengths: number, B: number, maxT: number, H: number, KVH: number, hs: number,
    scale: number, parallel: boolean): void;
  /** stops the context's threads; later calls on it throw */
  releaseContext(context: object): void;
  /** whether attentionDecode has a kernel for head size hs in this build */
  decodeSupported(hs: number): boolean;
  /** 512 (AVX-512), 256 (AVX2) or 128: the vector width the build's kernels use */
  vectorBits(): number;
  /** GFLOP/s of a throughput-bound FMA loop on the calling thread (16 chains × 16 floats × iterations) */
  fmaPeakGflops(iterations: number): number;
}

export const nativeAddonFile = fileURLToPath(new URL('../../native/build/Release/eto_native.node', import.meta.url));

let cached: NativeAddon | { unavailable: string } | undefined;

/** The addon, or why it is unavailable. */
export function loadNativeAddon(): NativeAddon | { unavailable: string } {
  if (cached) return cached;
  if (!existsSync(nativeAddonFile)) {
    const why = 'is missing (no C++ compiler at install?); run `npm run build:native`';
    cached = { unavailable: `${nativeAddonFile} ${why}` };
    return cached;
  }
  try {
    cached = createRequire(import.meta.url)(nativeAddonFile) as NativeAddon;
  } catch (error) {
    cached = { unavailable: `${nativeAddonFile} does not load: ${(error as Error).message}` };
  }
  return cached;
}
