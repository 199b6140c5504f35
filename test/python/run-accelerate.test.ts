// `eto run --preset smoke --trainer accelerate --accelerate-config configs/accelerate/cpu-ddp-2.yaml` end to end
// (#23 Done-when 2): SFT and DPO trained by python/ in two gloo processes, exploration and evaluation in eto, the
// checkpoints read back after each stage; the train logs are eto's and train-run.json says world_size 2.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SummarySchema, TrainLogEntrySchema } from '../../src/data/schemas.ts';
import { loadCheckpoint } from '../../src/model/checkpoint.ts';
import { runEtoCli } from '../helpers/cli.ts';
import { announceSkip, findPython } from '../helpers/python-env.ts';

const lookup = findPython(['torch', 'transformers', 'accelerate']);
const skip = announceSkip('eto run --trainer accelerate', lookup);

describe.skipIf(skip)('eto run --trainer accelerate (two CPU processes)', () => {
  it('the smoke preset completes with world_size 2 in every train stage and a valid summary', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'eto-run-accelerate-')), 'run');
    const python = lookup.found ? lookup.env.python : '';
    const result = await runEtoCli([
      'run',
      '--preset',
      'smoke',
      '--trainer',
      'accelerate',
      '--accelerate-config',
      'configs/accelerate/cpu-ddp-2.yaml',
      '--python',
      python,
      '--out',
      out,
    ]);
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    for (const stage of ['sft', 'iter-1']) {
      expect(JSON.parse(readFileSync(join(out, stage, 'train-run.json'), 'utf8'))).toMatchObject({
        world_size: 2,
        backend: 'gloo',
      });
      const entries = readFileSync(join(out, stage, 'train-log.jsonl'), 'utf8')
        .trim()
        .split('\n');
      expect(entries.length).toBeGreaterThan(0);
      entries.forEach((line) => TrainLogEntrySchema.parse(JSON.parse(line)));
      expect(loadCheckpoint(join(out, stage, 'model')).params.size).toBeGreaterThan(0);
    }
    SummarySchema.parse(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')));
  });

  it('a non-finite step in the script stops the run with a TrainingError naming stage and step, no checkpoint', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'eto-run-accelerate-nan-')), 'run');
    const python = lookup.found ? lookup.env.python : '';
    const result = await runEtoCli(['run', '--preset', 'smoke', '--trainer', 'accelerate', '--accelerate-config',
      'configs/accelerate/cpu-1.yaml', '--python', python, '--sft-lr', '1e30', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr + result.stdout).toMatch(/sft \(iteration 0\) step \d+: (gradient norm|loss) is not finite/);
    expect(existsSync(join(out, 'sft', 'model'))).toBe(false);
  });
});

describe('eto run --trainer flags', () => {
  it('refuses --trainer accelerate without --accelerate-config, naming the flag', async () => {
    const result = await runEtoCli([
      'run',
      '--preset',
      'smoke',
      '--trainer',
      'accelerate',
      '--out',
      join(tmpdir(), 'never'),
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--accelerate-config');
  });
});
