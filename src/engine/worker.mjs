// A kernel thread: instantiates the kernels on the engine's shared memory, then runs its slice of each
// dispatched kernel. Plain JavaScript so it loads the same under vitest, tsx and node. Protocol: thread-pool.ts.
import { setFlagsFromString } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';

const { module, memory, control, index, scratch, names, relaxed, layout } = workerData;
if (relaxed) setFlagsFromString('--experimental-wasm-relaxed-simd');
const instance = new WebAssembly.Instance(module, { env: { memory } });
const kernels = names.map((name) => instance.exports[name]);
const ctl = new Int32Array(control);
const a = new Float64Array(control, layout.argsByteOffset, layout.argCount);
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
    if (start < end) kernels[op](start, end, scratch, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13]);
  } catch (error) {
    Atomics.store(ctl, layout.failed, 1);
    parentPort.postMessage(String(error));
  }
  if (Atomics.sub(ctl, layout.pending, 1) === 1) Atomics.notify(ctl, layout.pending);
}
