// Main thread + (threads − 1) workers on the engine's shared memory. run() splits a kernel's units [0, total)
// into contiguous aligned slices; the main thread computes the first slice and waits on an Atomics counter.
// Arguments travel in the wasm args block (see wasm/dispatch.ts), so a run allocates nothing.
import { Worker } from 'node:worker_threads';

const layout = { generation: 0, pending: 1, op: 2, failed: 3, ranges: 8, spins: 20000 };

/** Byte offset and slot count of the kernels' argument block in wasm memory (wasm/dispatch.ts ARGS). */
export const ARGS_BYTE_OFFSET = 0xf000;
export const ARG_SLOTS = 16;
export const RESULT_SLOT = 15;

export type Dispatch = (op: number, start: number, end: number, scratch: number) => void;

export interface ThreadPool {
  readonly threads: number;
  /** Argument slots of the next run (pointers in bytes, sizes, scalars); RESULT_SLOT holds a returned value. */
  readonly args: Float64Array;
  /** Runs kernel `op` over units [0, total) in slices aligned to `align`; on one thread unless `parallel`. */
  run(op: number, total: number, align: number, parallel: boolean): void;
  dispose(): void;
}

export async function createThreadPool(o: {
  threads: number; module: WebAssembly.Module; memory: WebAssembly.Memory; dispatch: Dispatch; scratch: readonly number[];
  /** the workers set V8's relaxed-SIMD flag, as the main thread had to */
  relaxed: boolean;
}): Promise<ThreadPool> {
  const control = new SharedArrayBuffer(64 * 4);
  const ctl = new Int32Array(control);
  const args = new Float64Array(o.memory.buffer, ARGS_BYTE_OFFSET, ARG_SLOTS);
  const workers: Worker[] = [];
  const mainScratch = o.scratch[0]!;
  let disposed = false;
  for (let index = 1; index < o.threads; index++) {
    workers.push(new Worker(new URL('./worker.mjs', import.meta.url), {
      workerData: { module: o.module, memory: o.memory, control, index, scratch: o.scratch[index], relaxed: o.relaxed, layout },
    }));
  }
  await Promise.all(workers.map((worker) => new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  })));
  const errors: string[] = [];
  for (const worker of workers) {
    worker.on('message', (message) => errors.push(String(message)));
    worker.unref(); // an engine left undisposed must not keep the process alive
  }

  return {
    threads: o.threads,
    args,
    run(op, total, align, parallel) {
      if (disposed) throw new Error('the engine was disposed');
      if (!parallel || o.threads === 1 || total <= align) {
        if (total > 0) o.dispatch(op, 0, total, mainScratch);
        return;
      }
      const slice = Math.ceil(total / o.threads / align) * align;
      for (let w = 1; w < o.threads; w++) {
        ctl[layout.ranges + 2 * w] = Math.min(total, w * slice);
        ctl[layout.ranges + 2 * w + 1] = Math.min(total, (w + 1) * slice);
      }
      ctl[layout.op] = op;
      Atomics.store(ctl, layout.pending, o.threads - 1);
      Atomics.add(ctl, layout.generation, 1);
      Atomics.notify(ctl, layout.generation);
      try {
        o.dispatch(op, 0, Math.min(total, slice), mainScratch);
      } finally {
        let spins = 0;
        for (let left = Atomics.load(ctl, layout.pending); left !== 0; left = Atomics.load(ctl, layout.pending)) {
          if (++spins > layout.spins) Atomics.wait(ctl, layout.pending, left, 1000);
        }
      }
      if (Atomics.load(ctl, layout.failed) !== 0) {
        Atomics.store(ctl, layout.failed, 0);
        throw new Error(`a kernel thread failed: ${errors.join('; ') || 'see the worker error above'}`);
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      ctl[layout.op] = -1;
      Atomics.add(ctl, layout.generation, 1);
      Atomics.notify(ctl, layout.generation);
      for (const worker of workers) void worker.terminate();
    },
  };
}
