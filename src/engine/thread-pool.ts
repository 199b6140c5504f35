// Main thread + (threads − 1) workers on the engine's shared memory. Every thread claims aligned chunks of a
// kernel's units [0, total) from a shared Atomics counter until none are left (guided sizes: claim.mjs), so a
// thread slowed by another process, or by a slower core, simply takes fewer. Every kernel's units are
// independent, so the result does not depend on who computed which.
// The join does not wait for a worker that has not woken yet: each worker has a state word, and a run ends
// once every worker has either finished it or been closed out of it by the main thread (see enter() in
// worker.mjs). Waiting for a descheduled worker to wake made two threads slower than one whenever a busy
// process shared a core. Arguments travel in the wasm args block (see wasm/dispatch.ts): a run allocates nothing.
import { Worker } from 'node:worker_threads';
import { runClaimed, shareShift } from './claim.mjs';

// Control slots. The claim counter and each worker's state sit on their own cache lines, away from the
// generation the idle workers spin on. Worker w's state: 2g working on run g, 2g + 1 finished it, −2g closed
// out of it; g cycles through [1, 2^30) so the three never collide, and a worker starts as if closed out of
// the last generation (the one before the first).
const LAST_GENERATION = (1 << 30) - 1;
const following = (g: number): number => (g === LAST_GENERATION ? 1 : g + 1);
const layout = {
  generation: 0, op: 2, failed: 3, total: 4, align: 5, least: 6, next: 16, states: 32, stride: 16, spins: 20000,
  lastGeneration: LAST_GENERATION,
};
/** The smallest chunk is about total / (threads · 32): a thread idles at most that long at the end. */
const TAIL_SHIFT = 5;

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
  const control = new SharedArrayBuffer((layout.states + layout.stride * o.threads) * 4);
  const ctl = new Int32Array(control);
  for (let w = 1; w < o.threads; w++) ctl[layout.states + layout.stride * w] = -2 * LAST_GENERATION;
  const args = new Float64Array(o.memory.buffer, ARGS_BYTE_OFFSET, ARG_SLOTS);
  const workers: Worker[] = [];
  const mainScratch = o.scratch[0]!;
  const shift = shareShift(o.threads);
  let disposed = false;
  let generation = 0;
  for (let index = 1; index < o.threads; index++) {
    workers.push(new Worker(new URL('./worker.mjs', import.meta.url), {
      workerData: { module: o.module, memory: o.memory, control, index, scratch: o.scratch[index], relaxed: o.relaxed, layout, shift },
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
      if ((align & (align - 1)) !== 0) throw new RangeError(`chunk alignment ${align} is not a power of two`);
      const least = Math.max(align, ((total >> (shift + TAIL_SHIFT - 1)) + align - 1) & -align);
      ctl[layout.op] = op;
      ctl[layout.total] = total;
      ctl[layout.align] = align;
      ctl[layout.least] = least;
      Atomics.store(ctl, layout.next, 0);
      generation = following(generation);
      Atomics.store(ctl, layout.generation, generation);
      Atomics.notify(ctl, layout.generation);
      try {
        runClaimed(ctl, layout, shift, o.dispatch, mainScratch);
      } finally {
        for (let w = 1; w < o.threads; w++) join(layout.states + layout.stride * w, generation);
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
      Atomics.store(ctl, layout.generation, following(generation));
      Atomics.notify(ctl, layout.generation);
      for (const worker of workers) void worker.terminate();
    },
  };

  // returns once the worker owning `slot` has finished run g, or is closed out of it before it began
  function join(slot: number, g: number): void {
    let spins = 0;
    for (;;) {
      const state = Atomics.load(ctl, slot);
      if (state === 2 * g + 1) return;
      if (state === 2 * g) {
        if (++spins > layout.spins) Atomics.wait(ctl, slot, state, 1000);
      } else if (Atomics.compareExchange(ctl, slot, state, -2 * g) === state) {
        return;
      }
    }
  }
}
