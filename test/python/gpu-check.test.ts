// bench/gpu-check.sh (#17 Done-when 5) tried on CPU here: every check it prints must be ok — log-prob parity
// with eto's reference log-probs (float32 and bfloat16, per token ≤ 1e-3), a DPO run under accelerate whose
// loss falls, and the reloaded model's pair accuracy and dev NLL. On a GPU machine the same script runs on cuda.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.ts';
import { announceSkip, findPython } from '../helpers/python-env.ts';

const lookup = findPython(['torch', 'transformers', 'accelerate']);
const skip = announceSkip('bench/gpu-check.sh on CPU', lookup);

describe.skipIf(skip)('bench/gpu-check.sh --cpu', () => {
  it('prints an ok JSON line for every check', () => {
    const python = lookup.found ? lookup.env.python : '';
    const out = mkdtempSync(join(tmpdir(), 'eto-gpu-check-'));
    const run = spawnSync('bash', ['bench/gpu-check.sh', '--cpu'], {
      cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ETO_PYTHON: python, OUT: out }, timeout: 240_000,
    });
    const lines = run.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(run.status, run.stderr).toBe(0);
    expect(lines.map((l) => l.check)).toEqual(['environment', 'logprob-parity', 'logprob-parity', 'dpo-train', 'dpo-loss-falls', 'reloaded-model']);
    for (const line of lines) expect(line, JSON.stringify(line)).toMatchObject({ ok: true });
    const reloaded = lines.at(-1) as { trainedMeanMarginGain: number; startMeanMarginGain: number };
    expect(Math.abs(reloaded.startMeanMarginGain)).toBeLessThan(0.01); // the start model is the reference
    expect(reloaded.trainedMeanMarginGain).toBeGreaterThan(0.5);
  }, 300_000);
});
