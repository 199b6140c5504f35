// A kernel thread: instantiates the kernels on the engine's shared memory, then runs its slice of each
// dispatched kernel. Plain JavaScript so it loads the same under vitest, tsx and node. Protocol: thread-pool.ts.
import { setFlagsFromString } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { runClaimed } from './claim.mjs';

const { module, memory, control, index, scratch, relaxed, layout, shift } = workerData;
if (relaxed) setFlagsFromString('--experimental-wasm-relaxed-simd');
const { run } = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctl = new Int32Array(control);
const state = layout.states + layout.stride * index; // this worker's state word (thread-pool.ts)
parentPort.postMessage('ready');

let seen = 0;
for (;;) {
  let spins = 0;
  while (Atomics.load(ctl, layout.generation) === seen) {
    // spin briefly (the next kernel usually follows within microseconds), then sleep
    if (++spins > layout.spins) Atomics.wait(ctl, layout.generation, seen);
  }
  seen = Atomics.load(ctl, layout.generation);
  if (ctl[layout.op] < 0) break;
  if (!enter(seen)) continue; // the main thread finished run `seen` without us
  try {
    // reads the run's arguments only now, after entering: the main thread cannot start another run before we finish
    runClaimed(ctl, layout, shift, run, scratch);
  } catch (error) {
    Atomics.store(ctl, layout.failed, 1);
    parentPort.postMessage(String(error));
  }
  Atomics.store(ctl, state, 2 * seen + 1);
  Atomics.notify(ctl, state);
}

// Takes part in run g (state 2g) only if the state still says how the previous run ended for us, finished
// (2p + 1) or closed (−2p): anything else means the main thread has closed us out of g, perhaps of later
// runs too, and a stale entry would compute a later run's chunks with this run's arguments. The one
// compare-exchange settles the race with the main thread's join() either way.
function enter(g) {
  const p = g === 1 ? layout.lastGeneration : g - 1;
  const current = Atomics.load(ctl, state);
  return (current === 2 * p + 1 || current === -2 * p) && Atomics.compareExchange(ctl, state, current, 2 * g) === current;
}
