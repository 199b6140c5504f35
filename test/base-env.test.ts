// A base checkpoint records the env it was trained for: the default preset starts from the base of --env, and
// a base of another env is refused (exit 2, one line naming --model-base) before anything is written.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrainedFor } from '../src/model/trained-for.ts';
import { runEtoCli } from './helpers/cli.ts';

const errors = (text: string): string[] => text.trim().split('\n').filter((line) => line.startsWith('eto: '));

describe('base checkpoints and their env', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eto-base-env-'));

  it('the committed ALFWorld base records alfworld', () => {
    expect(readTrainedFor('checkpoints/alfworld-small-sft')).toBe('alfworld');
  });

  it('refuses the ALFWorld base for a WebShop run, naming --model-base and both envs', async () => {
    const out = join(dir, 'webshop-from-alfworld');
    const args = ['run', '--env', 'webshop', '--model-base', 'checkpoints/alfworld-small-sft', '--out', out];
    const result = await runEtoCli(args);
    expect(result.code).toBe(2);
    const lines = errors(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('--model-base');
    expect(lines[0]).toContain('trained for alfworld, not webshop');
    expect(existsSync(out)).toBe(false);
  });

  it('the default preset with --env sciworld looks for the sciworld base, not the ALFWorld one', async () => {
    const out = join(dir, 'sciworld-default');
    const result = await runEtoCli(['run', '--env', 'sciworld', '--out', out]);
    expect(result.code).toBe(2);
    const lines = errors(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('checkpoints/sciworld-small-sft');
    expect(existsSync(out)).toBe(false);
  });
});
