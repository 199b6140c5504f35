// Builds the engine's WebAssembly kernels from AssemblyScript (run by `npm ci` through `prepare`):
// src/engine/wasm/index.ts → build/engine/kernels-relaxed-simd.wasm (FMA) and build/engine/kernels-simd.wasm.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const asc = join(root, 'node_modules', '.bin', 'asc');
const entry = join(root, 'src', 'engine', 'wasm', 'index.ts');
const outDir = join(root, 'build', 'engine');

if (!existsSync(asc)) {
  // a production install without devDependencies: the engine falls back to its reference kernels
  console.warn('build-wasm: assemblyscript is not installed; skipping the WebAssembly kernels');
  process.exit(0);
}
mkdirSync(outDir, { recursive: true });

const common = [
  entry, '-O3', '--noAssert', '--runtime', 'stub', '--importMemory', '--sharedMemory',
  '--initialMemory', '1', '--maximumMemory', '65536', '--enable', 'threads', '--enable', 'simd',
];
const variants = [
  { name: 'relaxed-simd', extra: ['--enable', 'relaxed-simd'] },
  { name: 'simd', extra: [] },
];
for (const variant of variants) {
  const outFile = join(outDir, `kernels-${variant.name}.wasm`);
  execFileSync(asc, [...common, ...variant.extra, '--outFile', outFile], { stdio: 'inherit' });
  console.log(`build-wasm: wrote ${outFile}`);
}
