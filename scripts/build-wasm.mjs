// Builds the engine's WebAssembly kernels from AssemblyScript (run by `npm ci` through `prepare`):
// src/engine/wasm/index.ts → build/engine/kernels-relaxed-simd.wasm (FMA) and build/engine/kernels-simd.wasm.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const asc = join(root, 'node_modules', '.bin', 'asc');
const entry = join(root, 'src', 'engine', 'wasm', 'index.ts');
const outDir = join(root, 'build', 'engine');
const ARGS_BLOCK = 0xf000;

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
  // written beside and renamed into place, so a process loading the kernels never sees half a file
  const tempFile = `${outFile}.${process.pid}.tmp`;
  execFileSync(asc, [...common, ...variant.extra, '--outFile', tempFile], { stdio: 'inherit' });
  const dataEnd = staticDataEnd(readFileSync(tempFile));
  // the engine keeps [0, 64 KiB) for this data and puts the kernels' argument block at 0xf000 (wasm/dispatch.ts)
  if (dataEnd > ARGS_BLOCK) throw new Error(`build-wasm: static data reaches ${dataEnd}, past the argument block at ${ARGS_BLOCK}`);
  renameSync(tempFile, outFile);
  console.log(`build-wasm: wrote ${outFile} (static data ends at ${dataEnd})`);
}

/** End of the highest active data segment (offsets are i32.const), read from the module's data section. */
function staticDataEnd(bytes) {
  let at = 8;
  const leb = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (byte < 0x80) return value;
    }
  };
  let end = 0;
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    const next = at + size;
    if (id === 11) {
      for (let count = leb(); count > 0; count--) {
        const flags = leb();
        if (flags === 1) { at += leb(); continue; } // passive: placed by code, not at an offset
        if (flags === 2) leb(); // memory index
        if (bytes[at++] !== 0x41) throw new Error('build-wasm: unexpected data segment offset expression');
        const offset = leb(); // a signed LEB, read unsigned: data offsets are never negative
        at++; // end
        const length = leb();
        end = Math.max(end, offset + length);
        at += length;
      }
    }
    at = next;
  }
  return end;
}
