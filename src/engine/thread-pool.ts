// Main thread + (threads − 1) workers on the engine's shared memory. run() splits a kernel's units [0, total)
// into contiguous aligned slices; the main thread computes the first slice and waits on an Atomics counter.
// No allocation per run: arguments go through a preallocated Float64Array.
import { Worker } from 'node:worker_threads';

const layout = { generation: 0, pending: 1, op: 2, failed: 3, ranges: 8, argsByteOffset: 512, argCount: 14, spins: 20000 };

export type Kernel = (start: number, end: number, scratch: number, ...args: number[]) => unknown;

export interface ThreadPool {
  readonly threads: number;
  /** Argument slots of the next run (pointers in bytes, sizes, scalars). */
  readonly args: Float64Array;
  /** Runs kernel `op` over units [0, total) in slices aligned to `align`; on one thread unless `parallel`. */
  run(op: number, total: number, align: number, parallel: boolean): void;
  dispose(): void;
}

export async function createThreadPool(o: {
  threads: number; module: WebAssembly.Module; memory: WebAssembly.Memory; relaxed: boolean;
  names: readonly string[]; kernels: readonly Kernel[]; scratch: readonly number[];
}): Promise<ThreadPool> {
  const control = new SharedArrayBuffer(layout.argsByteOffset + 8 * layout.argCount);
  const ctl = new Int32Array(control);
  const a = new Float64Array(control, layout.argsByteOffset, layout.argCount);
  const workers: Worker[] = [];
  const errors: string[] = [];
  const mainScratch = o.scratch[0]!;
  for (let index = 1; index < o.threads; index++) {
    const worker = new Worker(new URL('./worker.mjs', import.meta.url), {
      workerData: { module: o.module, memory: o.memory, control, index, scratch: o.scratch[index], names: o.names, relaxed: o.relaxed, layout },
    });
    workers.push(worker);
  }
  await Promise.all(workers.map((worker) => new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  })));
  for (const worker of workers) {
    worker.on('message', (message) => errors.push(String(message)));
    worker.unref(); // an engine left undisposed must not keep the process alive
  }

  function runOn(op: number, start: number, end: number, scratch: number): void {
    if (start < end) o.kernels[op]!(start, end, scratch, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, a[11]!, a[12]!, a[13]!);
  }

  return {
    threads: o.threads,
    args: a,
    run(op, total, align, parallel) {
      if (!parallel || o.threads === 1 || total <= align) {
        runOn(op, 0, total, mainScratch);
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
        runOn(op, 0, Math.min(total, slice), mainScratch);
      } finally {
        let spins = 0;
        for (let left = Atomics.load(ctl, layout.pending); left !== 0; left = Atomics.load(ctl, layout.pending)) {
          if (++spins > layout.spins) Atomics.wait(ctl, layout.pending, left, 1000);
        }
      }
      if (Atomics.load(ctl, layout.failed) !== 0) {
        Atomics.store(ctl, layout.failed, 0);
        throw new Error(`a kernel thread failed: ${errors.join('; ') || 'see worker error'}`);
      }
    },
    dispose() {
      ctl[layout.op] = -1;
      Atomics.add(ctl, layout.generation, 1);
      Atomics.notify(ctl, layout.generation);
      for (const worker of workers) void worker.terminate();
    },
  };
}
