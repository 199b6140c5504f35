// A kernel thread: instantiates the kernels on the engine's shared memory, then runs its slice of each
// dispatched kernel. Plain JavaScript so it loads the same under vitest, tsx and node. Protocol: thread-pool.ts.
import { setFlagsFromString } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';

const { module, memory, control, index, scratch, relaxed, layout } = workerData;
if (relaxed) setFlagsFromString('--experimental-wasm-relaxed-simd');
const { run } = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctl = new Int32Array(control);
parentPort.postMessage('ready');

let seen = 0;
for (;;) {
  let spins = 0;
  while (Atomics.load(ctl, layout.generation) === seen) {
    // spin briefly (the next kernel usually follows within microseconds), then sleep
    if (++spins > layout.spins) Atomics.wait(ctl, layout.generation, seen);
  }
  seen = Atomics.load(ctl, layout.generation);
  const op = ctl[layout.op];
  if (op < 0) break;
  const start = ctl[layout.ranges + 2 * index];
  const end = ctl[layout.ranges + 2 * index + 1];
  try {
    if (start < end) run(op, start, end, scratch);
  } catch (error) {
    Atomics.store(ctl, layout.failed, 1);
    parentPort.postMessage(String(error));
  }
  if (Atomics.sub(ctl, layout.pending, 1) === 1) Atomics.notify(ctl, layout.pending);
}
