// The WebAssembly backend: wires the Engine methods to the SIMD kernels through the thread pool. Each method
// checks sizes (a wrong size would silently corrupt the shared memory), fills the argument slots and runs.
// Nothing here allocates per call. GEMM packs B into a fixed buffer, in k-chunks when B is larger than it.
import { arrayCheck, type Arena } from './memory.ts';
import { checkDecodeArgs } from './decode-args.ts';
import { checkIds } from './reference.ts';
import { createThreadPool, RESULT_SLOT, type Dispatch } from './thread-pool.ts';
import type { Engine, RopeFreqs } from './types.ts';
import type { CompiledKernels } from './wasm-loader.ts';

const OPS = [
  'gemm_pack', 'gemm_compute', 'add_f32', 'scale_f32', 'sum_squares', 'swiglu_fwd', 'swiglu_bwd', 'adamw_step',
  'log_softmax_fwd', 'log_softmax_bwd', 'rmsnorm_fwd', 'rmsnorm_bwd_dx', 'rmsnorm_bwd_dw', 'embedding_fwd',
  'embedding_bwd', 'rope_table', 'rope_apply', 'attention_fwd', 'attention_decode', 'attention_bwd', 'linear_rows',
  'bias_add', 'bias_bwd',
] as const;
// op numbers: the cases of run() in wasm/dispatch.ts
const op = Object.fromEntries(OPS.map((name, index) => [name, index])) as Record<(typeof OPS)[number], number>;

const SCRATCH_BYTES = 8 << 20; // per thread: attention's packed K/V and score blocks (T 1024, hs 128 need ~3 MiB)
const PACK_FLOATS = 1 << 21; // 8 MiB of packed B
const ROPE_ROWS = 4096; // cached cos/sin rows; later positions are computed on the fly
const ROPE_MAX_HS = 256; // larger heads compute every position on the fly
const ROPE_MAX_INVERSE = 4096; // head size up to 8192
// below these a kernel runs on the calling thread: a handshake costs ~10 µs on an idle machine, far more on a busy one
const PARALLEL_FLOPS = 1 << 21;
const PARALLEL_ELEMENTS = 1 << 16;
// kernels split by columns read every row: chunks of 128-byte line pairs (what the adjacent-line prefetcher
// fetches together) keep two threads off each other's lines; 4-column chunks made two threads slower than one
const COLUMN_ALIGN = 32;
const FEW_ROWS = 32; // below this, linear() takes dot products instead of packing w (decoding a batch of sequences)

export async function createWasmEngine(arena: Arena, kernels: CompiledKernels, threads: number, parallelMinWork?: number): Promise<Engine> {
  const minFlops = parallelMinWork ?? PARALLEL_FLOPS;
  const minElements = parallelMinWork ?? PARALLEL_ELEMENTS;
  const instance = new WebAssembly.Instance(kernels.module, { env: { memory: arena.memory } });
  const dispatch = instance.exports.run as Dispatch;
  const scratch = Array.from({ length: threads }, () => arena.reserve(SCRATCH_BYTES));
  const pack = arena.reserve(PACK_FLOATS * 4);
  const ropeTable = arena.reserve(ROPE_ROWS * ROPE_MAX_HS * 4);
  const ropeInverse = arena.reserve(ROPE_MAX_INVERSE * 8); // f64 inverse frequencies the kernels read
  let ropeKey: { hs: number; freqs: RopeFreqs } = { hs: 0, freqs: 0 };
  const pool = await createThreadPool({
    threads, module: kernels.module, memory: arena.memory, relaxed: kernels.relaxedFlag, dispatch, scratch,
  });
  const a = pool.args;

  const need = arrayCheck(arena);

  // C (M,N) (+)= A·B with A(i,k) = a[i·sai + k·sak], B(k,j) = b[k·sbk + j·sbj]; pointers in bytes
  function gemm(c: number, ldc: number, aPtr: number, sai: number, sak: number, b: number, sbk: number, sbj: number,
    M: number, N: number, K: number, accumulate: boolean): void {
    if (K === 0) {
      // an empty sum: C = 0 (or unchanged when accumulating)
      if (!accumulate) for (let i = 0; i < M; i++) new Float32Array(arena.memory.buffer, c + i * ldc * 4, N).fill(0);
      return;
    }
    const panels = Math.ceil(N / 8);
    const kc = Math.max(1, Math.min(K, Math.floor(PACK_FLOATS / (panels * 8))));
    for (let k0 = 0; k0 < K; k0 += kc) {
      const kl = Math.min(kc, K - k0);
      // packing goes parallel with the product: the worker is awake (spinning) between the two runs
      const parallel = M * N * kl >= minFlops;
      a[0] = pack; a[1] = b + k0 * sbk * 4; a[2] = sbk; a[3] = sbj; a[4] = kl; a[5] = N;
      pool.run(op.gemm_pack, panels, 1, parallel);
      a[0] = c; a[1] = ldc; a[2] = aPtr + k0 * sak * 4; a[3] = sai; a[4] = sak; a[5] = pack; a[6] = kl; a[7] = N;
      a[8] = accumulate || k0 > 0 ? 1 : 0;
      pool.run(op.gemm_compute, M, 4, parallel);
    }
  }

  function elementwise(kernel: number, n: number): void {
    pool.run(kernel, n, 4, n >= minElements);
  }

  // inverse frequencies into engine memory, and the cos/sin table when they changed (a table is keyed by identity)
  function prepareRope(hs: number, freqs: RopeFreqs): number {
    const half = hs / 2;
    if (typeof freqs !== 'number' && freqs.length !== half) {
      throw new RangeError(`rope frequency table holds ${freqs.length} values, head size ${hs} needs ${half}`);
    }
    if (half > ROPE_MAX_INVERSE) throw new RangeError(`rope supports head sizes up to ${2 * ROPE_MAX_INVERSE}, got ${hs}`);
    if (ropeKey.hs !== hs || ropeKey.freqs !== freqs) {
      const inverse = new Float64Array(arena.memory.buffer, ropeInverse, half);
      for (let i = 0; i < half; i++) inverse[i] = typeof freqs === 'number' ? Math.pow(freqs, (-2 * i) / hs) : freqs[i]!;
      if (hs <= ROPE_MAX_HS) {
        a[0] = ropeTable; a[1] = hs; a[2] = ropeInverse;
        pool.run(op.rope_table, ROPE_ROWS, 1, true);
      }
      ropeKey = { hs, freqs };
    }
    return hs <= ROPE_MAX_HS ? ROPE_ROWS : 0;
  }

  function rotate(x: Float32Array, positions: Int32Array, n: number, heads: number, hs: number, freqs: RopeFreqs, sign: number): void {
    need(x, n * heads * hs, 'x');
    need(positions, n, 'positions');
    if (hs % 2 !== 0) throw new RangeError(`rope needs an even head size, got ${hs}`);
    const rows = prepareRope(hs, freqs);
    a[0] = x.byteOffset; a[1] = positions.byteOffset; a[2] = heads; a[3] = hs; a[4] = ropeTable; a[5] = rows;
    a[6] = ropeInverse; a[7] = sign;
    pool.run(op.rope_apply, n, 1, n * heads * hs >= minElements);
  }

  return {
    backend: kernels.variant,
    threads,
    alloc: arena.alloc,
    allocInt32: arena.allocInt32,
    mark: arena.mark,
    release: arena.release,
    dispose: pool.dispose,

    linear(out, x, w, rows, inDim, outDim) {
      need(out, rows * outDim, 'out'); need(x, rows * inDim, 'x'); need(w, outDim * inDim, 'w');
      if (rows < FEW_ROWS) {
        a[0] = out.byteOffset; a[1] = x.byteOffset; a[2] = w.byteOffset; a[3] = rows; a[4] = inDim; a[5] = outDim;
        pool.run(op.linear_rows, outDim, 4, rows * inDim * outDim >= minFlops);
        return;
      }
      gemm(out.byteOffset, outDim, x.byteOffset, inDim, 1, w.byteOffset, 1, inDim, rows, outDim, inDim, false);
    },
    linearBackward(dx, dw, dout, x, w, rows, inDim, outDim) {
      need(dout, rows * outDim, 'dout');
      if (dx) {
        need(dx, rows * inDim, 'dx'); need(w, outDim * inDim, 'w');
        gemm(dx.byteOffset, inDim, dout.byteOffset, outDim, 1, w.byteOffset, inDim, 1, rows, inDim, outDim, true);
      }
      if (!dw) return;
      need(dw, outDim * inDim, 'dw'); need(x, rows * inDim, 'x');
      gemm(dw.byteOffset, inDim, dout.byteOffset, 1, outDim, x.byteOffset, inDim, 1, outDim, inDim, rows, true);
    },
    embedding(out, table, ids, n, dim) {
      need(out, n * dim, 'out'); need(ids, n, 'ids');
      checkIds(ids, n, Math.floor(table.length / dim));
      a[0] = out.byteOffset; a[1] = table.byteOffset; a[2] = ids.byteOffset; a[3] = dim;
      pool.run(op.embedding_fwd, n, 1, n * dim >= minElements);
    },
    embeddingBackward(dtable, dout, ids, n, dim) {
      need(dout, n * dim, 'dout'); need(ids, n, 'ids');
      checkIds(ids, n, Math.floor(dtable.length / dim));
      a[0] = dtable.byteOffset; a[1] = dout.byteOffset; a[2] = ids.byteOffset; a[3] = n; a[4] = dim;
      pool.run(op.embedding_bwd, dim, COLUMN_ALIGN, n * dim >= minElements);
    },
    rmsnorm(out, rstd, x, weight, rows, dim, eps) {
      need(out, rows * dim, 'out'); need(rstd, rows, 'rstd'); need(x, rows * dim, 'x'); need(weight, dim, 'weight');
      a[0] = out.byteOffset; a[1] = rstd.byteOffset; a[2] = x.byteOffset; a[3] = weight.byteOffset; a[4] = dim; a[5] = eps;
      pool.run(op.rmsnorm_fwd, rows, 1, rows * dim >= minElements);
    },
    rmsnormBackward(dx, dweight, dout, x, weight, rstd, rows, dim) {
      need(dx, rows * dim, 'dx'); need(dweight, dim, 'dweight'); need(dout, rows * dim, 'dout'); need(x, rows * dim, 'x');
      need(weight, dim, 'weight'); need(rstd, rows, 'rstd');
      const parallel = rows * dim >= minElements;
      a[0] = dx.byteOffset; a[1] = dout.byteOffset; a[2] = x.byteOffset; a[3] = weight.byteOffset; a[4] = rstd.byteOffset; a[5] = dim;
      pool.run(op.rmsnorm_bwd_dx, rows, 1, parallel);
      a[0] = dweight.byteOffset; a[1] = dout.byteOffset; a[2] = x.byteOffset; a[3] = rstd.byteOffset; a[4] = rows; a[5] = dim;
      pool.run(op.rmsnorm_bwd_dw, dim, COLUMN_ALIGN, parallel);
    },
    rope(x, positions, n, heads, hs, freqs) {
      rotate(x, positions, n, heads, hs, freqs, 1);
    },
    ropeBackward(dx, positions, n, heads, hs, freqs) {
      rotate(dx, positions, n, heads, hs, freqs, -1);
    },
    biasAdd(x, bias, rows, dim) {
      need(x, rows * dim, 'x'); need(bias, dim, 'bias');
      a[0] = x.byteOffset; a[1] = bias.byteOffset; a[2] = dim;
      pool.run(op.bias_add, rows, 1, rows * dim >= minElements);
    },
    biasBackward(dbias, dout, rows, dim) {
      need(dbias, dim, 'dbias'); need(dout, rows * dim, 'dout');
      a[0] = dbias.byteOffset; a[1] = dout.byteOffset; a[2] = rows; a[3] = dim;
      pool.run(op.bias_bwd, dim, COLUMN_ALIGN, rows * dim >= minElements);
    },
    attention(out, lse, q, k, v, B, T, H, KVH, hs) {
      checkHeads(H, KVH, attentionScratch(T, hs, false));
      need(out, B * T * H * hs, 'out'); need(lse, B * H * T, 'lse'); need(q, B * T * H * hs, 'q');
      need(k, B * T * KVH * hs, 'k'); need(v, B * T * KVH * hs, 'v');
      a[0] = out.byteOffset; a[1] = lse.byteOffset; a[2] = q.byteOffset; a[3] = k.byteOffset; a[4] = v.byteOffset;
      a[5] = T; a[6] = H; a[7] = KVH; a[8] = hs; a[9] = 1 / Math.sqrt(hs);
      pool.run(op.attention_fwd, B * H, 1, B * H * T * T * hs >= minFlops);
    },
    attentionBackward(dq, dk, dv, dout, out, lse, q, k, v, B, T, H, KVH, hs) {
      checkHeads(H, KVH, attentionScratch(T, hs, true));
      const qn = B * T * H * hs;
      const kn = B * T * KVH * hs;
      need(dq, qn, 'dq'); need(dk, kn, 'dk'); need(dv, kn, 'dv'); need(dout, qn, 'dout'); need(out, qn, 'out');
      need(lse, B * H * T, 'lse'); need(q, qn, 'q'); need(k, kn, 'k'); need(v, kn, 'v');
      a[0] = dq.byteOffset; a[1] = dk.byteOffset; a[2] = dv.byteOffset; a[3] = dout.byteOffset; a[4] = out.byteOffset;
      a[5] = lse.byteOffset; a[6] = q.byteOffset; a[7] = k.byteOffset; a[8] = v.byteOffset;
      a[9] = T; a[10] = H; a[11] = KVH; a[12] = hs; a[13] = 1 / Math.sqrt(hs);
      pool.run(op.attention_bwd, B * KVH, 1, B * H * T * T * hs >= minFlops);
    },
    attentionDecode(out, q, kCache, vCache, lengths, B, maxT, H, KVH, hs, slots = null, prefix = null) {
      checkHeads(H, KVH, 4 * maxT);
      // the prefix promise is checked but not used: each row reads its own slot, which holds the same values
      checkDecodeArgs(need, out, q, kCache, vCache, lengths, B, maxT, H, KVH, hs, slots, prefix);
      a[0] = out.byteOffset; a[1] = q.byteOffset; a[2] = kCache.byteOffset; a[3] = vCache.byteOffset; a[4] = lengths.byteOffset;
      a[5] = maxT; a[6] = H; a[7] = KVH; a[8] = hs; a[9] = 1 / Math.sqrt(hs); a[10] = slots ? slots.byteOffset : 0;
      pool.run(op.attention_decode, B * H, 1, B * H * maxT * hs >= minFlops);
    },
    swiglu(out, gate, up, n) {
      need(out, n, 'out'); need(gate, n, 'gate'); need(up, n, 'up');
      a[0] = out.byteOffset; a[1] = gate.byteOffset; a[2] = up.byteOffset;
      elementwise(op.swiglu_fwd, n);
    },
    swigluBackward(dgate, dup, dout, gate, up, n) {
      need(dgate, n, 'dgate'); need(dup, n, 'dup'); need(dout, n, 'dout'); need(gate, n, 'gate'); need(up, n, 'up');
      a[0] = dgate.byteOffset; a[1] = dup.byteOffset; a[2] = dout.byteOffset; a[3] = gate.byteOffset; a[4] = up.byteOffset;
      elementwise(op.swiglu_bwd, n);
    },
    add(out, x, y, n) {
      need(out, n, 'out'); need(x, n, 'a'); need(y, n, 'b');
      a[0] = out.byteOffset; a[1] = x.byteOffset; a[2] = y.byteOffset;
      elementwise(op.add_f32, n);
    },
    logSoftmaxTargets(logprobs, lse, logits, targets, rows, V) {
      need(logprobs, rows, 'logprobs'); need(lse, rows, 'lse'); need(logits, rows * V, 'logits'); need(targets, rows, 'targets');
      checkTargets(targets, rows, V);
      a[0] = logprobs.byteOffset; a[1] = lse.byteOffset; a[2] = logits.byteOffset; a[3] = targets.byteOffset; a[4] = V;
      pool.run(op.log_softmax_fwd, rows, 1, rows * V >= minElements);
    },
    logSoftmaxTargetsBackward(dlogits, logits, lse, targets, weights, rows, V) {
      need(dlogits, rows * V, 'dlogits'); need(logits, rows * V, 'logits'); need(lse, rows, 'lse');
      need(targets, rows, 'targets'); need(weights, rows, 'weights');
      checkTargets(targets, rows, V);
      a[0] = dlogits.byteOffset; a[1] = logits.byteOffset; a[2] = lse.byteOffset; a[3] = targets.byteOffset; a[4] = weights.byteOffset; a[5] = V;
      pool.run(op.log_softmax_bwd, rows, 1, rows * V >= minElements);
    },
    adamw(params, grads, m, v, n, o) {
      need(params, n, 'params'); need(grads, n, 'grads'); need(m, n, 'm'); need(v, n, 'v');
      if (!(o.step >= 1)) throw new RangeError(`adamw step starts at 1, got ${o.step}`);
      a[0] = params.byteOffset; a[1] = grads.byteOffset; a[2] = m.byteOffset; a[3] = v.byteOffset;
      a[4] = o.beta1; a[5] = o.beta2; a[6] = o.eps; a[7] = 1 - o.lr * o.weightDecay;
      a[8] = o.lr / (1 - Math.pow(o.beta1, o.step)); a[9] = 1 / Math.sqrt(1 - Math.pow(o.beta2, o.step));
      elementwise(op.adamw_step, n);
    },
    sumSquares(x, n) {
      need(x, n, 'x');
      a[0] = x.byteOffset;
      pool.run(op.sum_squares, n, 4, false); // one thread: the float64 sum then does not depend on the split
      return a[RESULT_SLOT]!;
    },
    scale(x, s, n) {
      need(x, n, 'x');
      a[0] = x.byteOffset; a[1] = s;
      elementwise(op.scale_f32, n);
    },
  };
}


function checkHeads(H: number, KVH: number, scratchBytes: number): void {
  if (!(KVH >= 1 && H % KVH === 0)) throw new RangeError(`heads ${H} must be a multiple of kv heads ${KVH}`);
  if (scratchBytes > SCRATCH_BYTES) throw new RangeError(`attention needs ${scratchBytes} bytes of scratch, more than ${SCRATCH_BYTES}: sequence too long`);
}

// mirrors the scratch layout of wasm/attention-blocks.ts (QB = 32 query rows, GEMM scratch 128 + 4·256·4 bytes)
const panelBytes = (n: number, k: number): number => Math.ceil(n / 8) * k * 32;
function attentionScratch(T: number, hs: number, backward: boolean): number {
  const gemm = 128 + 4096;
  if (!backward) return gemm + panelBytes(T, hs) + panelBytes(hs, T) + 32 * T * 4 + 32 * 4;
  return gemm + 2 * panelBytes(T, hs) + panelBytes(hs, T) + 2 * panelBytes(hs, 32) + 2 * 32 * T * 4;
}

function checkTargets(targets: Int32Array, rows: number, V: number): void {
  for (let r = 0; r < rows; r++) {
    if (targets[r]! >= V) throw new RangeError(`targets[${r}] = ${targets[r]} is outside the vocabulary of ${V}`);
  }
}
