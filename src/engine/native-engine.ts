// The native backend: the WebAssembly engine with its matrix products (linear and its backward, where nearly
// all of a training step's flops are) moved to the C++ addon's AVX-512/AVX2 GEMM on the same shared memory, and
// KV-cache attention (where decoding and multi-turn prefill spend their time) to its AVX-512 kernel. Every other
// kernel, and linear() on a few rows (decoding), stays WebAssembly. Sums run in another order, so
// results match the WebAssembly engine within float tolerance, not bit for bit.
import { checkDecodeArgs } from './decode-args.ts';
import { arrayCheck, type Arena } from './memory.ts';
import type { NativeAddon } from './native-loader.ts';
import type { Engine } from './types.ts';
import { createWasmEngine } from './wasm-engine.ts';
import type { CompiledKernels } from './wasm-loader.ts';

const FEW_ROWS = 32; // as the WebAssembly engine: below this, linear() takes its dot-product kernel
// below this a product stays on the calling thread: waking a sleeping native worker costs tens of µs
const PARALLEL_FLOPS = 1 << 22;

export async function createNativeEngine(arena: Arena, kernels: CompiledKernels, addon: NativeAddon, threads: number,
  parallelMinWork?: number): Promise<Engine> {
  const wasm = await createWasmEngine(arena, kernels, threads, parallelMinWork);
  const context = addon.createContext(new Float32Array(arena.memory.buffer), threads);
  const minFlops = parallelMinWork ?? PARALLEL_FLOPS;
  const need = arrayCheck(arena);

  // C (M,N) (+)= A·B with A(i,k) = a[i·sai + k·sak], B(k,j) = b[k·sbk + j·sbj]
  function gemm(c: number, ldc: number, a: number, sai: number, sak: number, b: number, sbk: number, sbj: number,
    M: number, N: number, K: number, accumulate: boolean): void {
    addon.gemm(context, c, ldc, a, sai, sak, b, sbk, sbj, M, N, K, accumulate, 2 * M * N * K >= minFlops);
  }

  return {
    ...wasm,
    backend: 'native',
    linear(out, x, w, rows, inDim, outDim) {
      if (rows < FEW_ROWS) return wasm.linear(out, x, w, rows, inDim, outDim);
      const o = need(out, rows * outDim, 'out');
      const xp = need(x, rows * inDim, 'x');
      gemm(o, outDim, xp, inDim, 1, need(w, outDim * inDim, 'w'), 1, inDim, rows, outDim, inDim, false);
    },
    linearBackward(dx, dw, dout, x, w, rows, inDim, outDim) {
      const d = need(dout, rows * outDim, 'dout');
      // dx (rows, inDim) += dout (rows, outDim) · w (outDim, inDim)
      if (dx) {
        const wp = need(w, outDim * inDim, 'w');
        gemm(need(dx, rows * inDim, 'dx'), inDim, d, outDim, 1, wp, inDim, 1, rows, inDim, outDim, true);
      }
      // dw (outDim, inDim) += doutᵀ · x (rows, inDim)
      if (dw) {
        const xp = need(x, rows * inDim, 'x');
        gemm(need(dw, outDim * inDim, 'dw'), inDim, d, 1, outDim, xp, inDim, 1, outDim, inDim, rows, true);
      }
    },
    attentionDecode(out, q, kCache, vCache, lengths, B, maxT, H, KVH, hs, slots = null, prefix = null) {
      if (!addon.decodeSupported(hs)) {
        return wasm.attentionDecode(out, q, kCache, vCache, lengths, B, maxT, H, KVH, hs, slots, prefix);
      }
      checkDecodeArgs(need, out, q, kCache, vCache, lengths, B, maxT, H, KVH, hs, slots, prefix);
      let work = 0; // flops: 4 per cached position and head dimension
      for (let b = 0; b < B; b++) work += 4 * lengths[b]! * H * hs;
      addon.attentionDecode(context, out.byteOffset, q.byteOffset, kCache.byteOffset, vCache.byteOffset,
        lengths.byteOffset, slots ? slots.byteOffset : -1, prefix ? prefix.slots.byteOffset : -1,
        prefix ? prefix.lengths.byteOffset : -1, B, maxT, H, KVH, hs, 1 / Math.sqrt(hs), work >= minFlops);
    },
    dispose() {
      addon.releaseContext(context); // stop the native threads now, not when the context is collected
      wasm.dispose();
    },
  };
}
