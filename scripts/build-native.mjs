// Builds the optional native kernels (native/ → native/build/Release/eto_native.node) with node-gyp, run by
// `npm ci` through `prepare`. Skipped cleanly, with the reason, where node-gyp, a C++ compiler or Node's
// headers are missing, or with ETO_NATIVE=0: the engine then runs its WebAssembly kernels (the default fallback).
// Built with -march=native: the addon is for the machine that builds it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const prefix = join(dirname(process.execPath), '..');

function skip(reason) {
  console.warn(`build-native: skipped (${reason}); the engine uses its WebAssembly kernels`);
  process.exit(0);
}

if (process.env.ETO_NATIVE === '0') skip('ETO_NATIVE=0');
const nodeGyp = [process.env.npm_config_node_gyp, join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp',
  'bin', 'node-gyp.js')].find((file) => file && existsSync(file));
if (!nodeGyp) skip('node-gyp not found');
const compiler = spawnSync(process.env.CXX ?? 'c++', ['--version'], { encoding: 'utf8' });
if (compiler.status !== 0) skip(`no C++ compiler (${process.env.CXX ?? 'c++'})`);
// Node's headers beside the binary (distro and official builds ship them) spare node-gyp a download
const args = [nodeGyp, 'rebuild'];
if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
const build = spawnSync(process.execPath, args, { cwd: nativeDir, encoding: 'utf8' });
if (build.status !== 0) {
  const tail = `${build.stdout}\n${build.stderr}`.trim().split('\n').slice(-8).join('\n');
  console.warn(tail);
  skip(`node-gyp exited with ${build.status}`);
}
console.log(`build-native: wrote ${join(nativeDir, 'build', 'Release', 'eto_native.node')}`);
