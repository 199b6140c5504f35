// Processes that use a threaded engine exit on their own, disposed or not, under `node --import tsx` and
// under tsx's ESM API as bin/eto.js uses it; the worker threads compute in both.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadKernels } from './wasm-loader.ts';

const fixture = fileURLToPath(new URL('./testdata/engine-exit.ts', import.meta.url));
const cliFixture = fileURLToPath(new URL('./testdata/engine-exit-cli.mjs', import.meta.url));

function runNode(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

describe.skipIf('unavailable' in loadKernels('simd'))('engine in a process', () => {
  for (const [label, args] of [
    ['node --import tsx, disposed', ['--import', 'tsx', fixture, 'dispose']],
    ['node --import tsx, not disposed', ['--import', 'tsx', fixture, 'keep']],
    ['tsx ESM API (bin/eto.js), not disposed', [cliFixture, 'keep']],
  ] as const) {
    it(`exits by itself: ${label}`, async () => {
      const result = await runNode([...args]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ threads: 2, value: 1 });
    });
  }
});
