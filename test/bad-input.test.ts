// Bad input to the CLI: one-line error naming the file:line or the flag, exit code 2, no partial output.
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEtoCli } from './helpers/cli.ts';

const oneLine = (text: string): string[] => text.trim().split('\n').filter((line) => line.startsWith('eto: '));

describe('bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eto-bad-'));

  it('a malformed JSONL line names file and line', async () => {
    const expert = join(dir, 'expert.jsonl');
    writeFileSync(expert, '{"id": "a"}\n');
    const explored = join(dir, 'explored.jsonl');
    writeFileSync(explored, '');
    const out = join(dir, 'pairs.jsonl');
    const result = await runEtoCli(['pairs', '--expert', expert, '--explored', explored, '--out', out]);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain(`${expert}:1: env:`);
    expect(existsSync(out)).toBe(false);
  }, 30_000);

  it('an unknown env names --env', async () => {
    const out = join(dir, 'run-unknown-env');
    const result = await runEtoCli(['run', '--preset', 'smoke', '--env', 'nosuchenv', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^eto: --env: unknown env "nosuchenv"/m);
    expect(existsSync(out)).toBe(false);
  }, 30_000);

  it('a missing model directory names the flag', async () => {
    const out = join(dir, 'dpo-out');
    const pairs = join(dir, 'p.jsonl');
    writeFileSync(pairs, '');
    const result = await runEtoCli(['dpo', '--pairs', pairs, '--model', join(dir, 'no-model'), '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^eto: --model: model directory .*no-model does not exist/m);
    expect(existsSync(out)).toBe(false);
    const run = await runEtoCli(['run', '--preset', 'default', '--model-base', join(dir, 'no-base'), '--out', join(dir, 'run-no-base')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^eto: --model-base: model directory .*no-base does not exist/m);
    expect(existsSync(join(dir, 'run-no-base'))).toBe(false);
  }, 30_000);

  it('a negative β names --dpo-beta', async () => {
    const out = join(dir, 'run-negative-beta');
    const result = await runEtoCli(['run', '--preset', 'smoke', '--dpo-beta', '-0.1', '--out', out]);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toEqual([expect.stringMatching(/^eto: --dpo-beta: /)]);
    expect(existsSync(out)).toBe(false);
    const word = await runEtoCli(['run', '--preset', 'smoke', '--dpo-beta', 'big', '--out', out]);
    expect(word.stderr).toMatch(/^eto: --dpo-beta: expected a number, got "big"/m);
    expect(readdirSync(dir)).not.toContain('run-negative-beta');
  }, 30_000);
});
