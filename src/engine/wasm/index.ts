// Entry point of the WebAssembly kernels: the engine calls only run(op, start, end, scratch) (see dispatch.ts).
// Each kernel handles units [start, end) of its work so the thread pool can split it; scratch is per thread.
export { run } from './dispatch';
