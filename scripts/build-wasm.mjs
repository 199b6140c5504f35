// Builds the engine's WebAssembly kernels from AssemblyScript (run by `npm ci` through `prepare`).
// Filled in by the engine; until then there is nothing to build.
console.log('build-wasm: nothing to build yet');
