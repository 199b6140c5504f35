// Finds the project's Python environment for the tests that check eto against transformers, gguf,
// llama.cpp, peft, accelerate or TRL. `ETO_PYTHON` names an interpreter; otherwise `<repo>/.venv` (made by
// `npm run setup:python`). When neither works the caller skips with `reason`, printed in one line.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface PythonEnv {
  python: string;
}

export type PythonLookup = { found: true; env: PythonEnv } | { found: false; reason: string };

/** The interpreter if it imports every module in `modules`, else why not. */
export function findPython(modules: readonly string[]): PythonLookup {
  const python = process.env.ETO_PYTHON ?? `${repoRoot}.venv/bin/python`;
  const enable = 'run `npm run setup:python` (or set ETO_PYTHON) to enable them';
  if (!existsSync(python)) return { found: false, reason: `no Python environment at ${python}; ${enable}` };
  try {
    execFileSync(python, ['-c', modules.map((m) => `import ${m}`).join('; ') || 'pass'], { stdio: 'pipe' });
  } catch (error) {
    const stderr =
      String((error as { stderr?: Buffer }).stderr ?? '')
        .trim()
        .split('\n')
        .at(-1) ?? '';
    return { found: false, reason: `${python} cannot import ${modules.join(', ')} (${stderr}); ${enable}` };
  }
  return { found: true, env: { python } };
}

/** Prints the one-line skip reason (vitest shows skipped tests but not why). */
export function announceSkip(suite: string, lookup: PythonLookup): boolean {
  if (lookup.found) return false;
  console.warn(`[skipped] ${suite}: ${lookup.reason}`);
  return true;
}
