// Training refuses bad data and bad numbers through the real CLI: an empty SFT set, a DPO set with no
// pairs, and a learning rate that makes the update blow up (the first non-finite gradient norm comes at
// step 2) each stop with exit 2 and one line naming the stage and step, and leave no output behind; the
// same command succeeds once the input is fixed.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runEtoCli } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'eto-refusals-'));
const smoke = ['--preset', 'smoke'];
const errorLines = (stderr: string): string[] => stderr.split('\n').filter((line) => line.startsWith('eto: '));

describe('training refusals', () => {
  const expert = join(dir, 'expert.jsonl');
  const empty = join(dir, 'empty.jsonl');

  beforeAll(async () => {
    writeFileSync(empty, '');
    expect((await runEtoCli(['expert', ...smoke, '--out', expert])).code).toBe(0);
  }, 60_000);

  it('an empty SFT set: exit 2 naming the stage, step and file; nothing written; the fixed input trains', async () => {
    const out = join(dir, 'sft-empty');
    const refused = await runEtoCli(['sft', ...smoke, '--data', empty, '--out', out]);
    expect(refused.code).toBe(2);
    expect(errorLines(refused.stderr)).toEqual([`eto: sft step 0: ${empty}: no trajectories to train on`]);
    expect(existsSync(out)).toBe(false);
    const fixed = await runEtoCli(['sft', ...smoke, '--data', expert, '--out', out]);
    expect(fixed.code).toBe(0);
    expect(existsSync(join(out, 'model', 'model.safetensors'))).toBe(true);
  }, 60_000);

  it('a non-finite gradient at step 2: exit 2 naming SFT and the step, no checkpoint or partial log', async () => {
    const out = join(dir, 'sft-nan');
    const refused = await runEtoCli(['sft', ...smoke, '--sft-lr', '1e30', '--data', expert, '--out', out]);
    expect(refused.code).toBe(2);
    expect(errorLines(refused.stderr)).toEqual([
      expect.stringMatching(/^eto: sft \(iteration 0\) step 2: gradient norm is not finite/),
    ]);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('a DPO set with no pairs: exit 2 naming DPO, the step and the file; nothing written', async () => {
    const model = join(dir, 'sft-empty', 'model');
    const out = join(dir, 'dpo-empty');
    const refused = await runEtoCli(['dpo', ...smoke, '--pairs', empty, '--model', model, '--out', out]);
    expect(refused.code).toBe(2);
    expect(errorLines(refused.stderr)).toEqual([`eto: dpo (iteration 1) step 0: ${empty}: no pairs to train on`]);
    expect(existsSync(out)).toBe(false);
    // a blown-up DPO update stops the same way
    const explored = join(dir, 'explored.jsonl');
    const pairs = join(dir, 'pairs.jsonl');
    expect((await runEtoCli(['explore', ...smoke, '--model', model, '--out', explored])).code).toBe(0);
    expect((await runEtoCli(['pairs', '--expert', expert, '--explored', explored, '--out', pairs])).code).toBe(0);
    const nan = await runEtoCli([
      'dpo',
      ...smoke,
      '--dpo-lr',
      '1e30',
      '--pairs',
      pairs,
      '--model',
      model,
      '--out',
      out,
    ]);
    expect(nan.code).toBe(2);
    expect(errorLines(nan.stderr)).toEqual([
      expect.stringMatching(/^eto: dpo \(iteration 1\) step \d+: (loss|gradient norm) is not finite/),
    ]);
    expect(existsSync(out)).toBe(false);
  }, 90_000);
});
