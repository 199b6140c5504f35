// Runs ../shared/bench/torch_llama_bench.py (Debian's PyTorch) for one thread count and returns its JSON line,
// or null when /usr/bin/python3 cannot import torch. Shared by the train-step and generate benches.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const script = resolve(repoRoot, '../shared/bench/torch_llama_bench.py');
const python = '/usr/bin/python3';

export function torchAvailable(): boolean {
  if (!existsSync(python) || !existsSync(script)) return false;
  return spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

/** The yardstick's result for `threads` with the given flags (e.g. ['--ctx', '512', '--generate']). */
export function runTorch(threads: number, flags: string[]): Record<string, unknown> | null {
  try {
    const stdout = execFileSync(python, [script, '--threads', String(threads), ...flags], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24,
    });
    const lines = stdout.trim().split('\n').filter((line) => line.startsWith('{'));
    const result = JSON.parse(lines[lines.length - 1] ?? 'null') as Record<string, unknown> | null;
    return result && !('error' in result) ? result : null;
  } catch {
    return null;
  }
}

