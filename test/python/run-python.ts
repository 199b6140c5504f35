// Running python/ from the tests: a JSON request on stdin for eto_train.parity, and `accelerate launch` runs.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { repoRoot } from '../helpers/cli.ts';

const pythonDir = join(repoRoot, 'python');

export function runParity(python: string, request: unknown): any {
  const out = execFileSync(python, ['-m', 'eto_train.parity'], {
    input: JSON.stringify(request),
    cwd: pythonDir,
    env: { ...process.env, PYTHONPATH: pythonDir },
    maxBuffer: 1 << 26,
  });
  return JSON.parse(out.toString('utf8'));
}

/** `accelerate launch --config_file configs/accelerate/<config> python/<script> ...args`; returns the exit status. */
export function launch(python: string, config: string, script: 'sft.py' | 'dpo.py', args: string[]): number {
  const accelerate = join(dirname(python), 'accelerate');
  try {
    execFileSync(
      accelerate,
      [
        'launch',
        '--config_file',
        join(repoRoot, 'configs/accelerate', config),
        join(pythonDir, script),
        '--cpu',
        ...args,
      ],
      { cwd: repoRoot, stdio: 'pipe', env: { ...process.env, OMP_NUM_THREADS: '1' } },
    );
    return 0;
  } catch (error) {
    const failed = error as { status?: number; stderr?: Buffer };
    // accelerate's launcher exits 1 when its child dies; the child's own status is in its message
    if (failed.status === 137 || /exit status 137/.test(String(failed.stderr ?? ''))) return 137;
    throw new Error(
      `accelerate launch ${script} failed (${failed.status}): ${String(failed.stderr ?? '').slice(-2000)}`,
    );
  }
}
