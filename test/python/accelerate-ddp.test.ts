// python/dpo.py under real `accelerate launch` (#23 Done-when 1): two CPU processes (DDP over gloo) train the
// same weights as one process with the same global batch ≤ 1e-5 after 5 steps; a run killed right after a step
// past its step checkpoint resumes to the same final weights; a LoRA run writes a peft adapter and a merged
// checkpoint eto reads back. float64 training, so the comparisons see the algorithm, not float32 reduction order.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeJsonlAtomic } from '../../src/data/jsonl.ts';
import { TrainLogEntrySchema } from '../../src/data/schemas.ts';
import { loadCheckpoint } from '../../src/model/checkpoint.ts';
import { repoRoot, runEtoCli } from '../helpers/cli.ts';
import { announceSkip, findPython } from '../helpers/python-env.ts';
import { fixturePairs } from './fixtures.ts';
import { launch } from './run-python.ts';

const lookup = findPython(['torch', 'transformers', 'accelerate', 'peft']);
const skip = announceSkip('accelerate DDP/resume/LoRA', lookup);
const python = lookup.found ? lookup.env.python : '';
const model = join(repoRoot, 'checkpoints/alfworld-small-sft');

function maxDifference(a: string, b: string): number {
  const left = loadCheckpoint(a).params;
  const right = loadCheckpoint(b).params;
  let max = 0;
  for (const [name, values] of left) {
    const other = right.get(name)!;
    for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs((values[i] as number) - (other[i] as number)));
  }
  return max;
}

function logOf(file: string): { header: Record<string, unknown>; steps: number[] } {
  const [first, ...rest] = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  return { header: first.header, steps: rest.map((entry) => TrainLogEntrySchema.parse(entry).step) };
}

describe.skipIf(skip)('python/dpo.py under accelerate launch', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eto-accelerate-'));
  const data = join(dir, 'dpo');
  // 8 pairs, 4 per step, 2.5 epochs = 5 steps; state every 2 steps
  const common = [
    '--data',
    data,
    '--model',
    model,
    '--batch-rows',
    '4',
    '--epochs',
    '2.5',
    '--lr',
    '1e-3',
    '--dtype',
    'float64',
    '--seed',
    '3',
    '--nll-weight',
    '0.5',
    '--checkpoint-every',
    '2',
  ];
  const run = (name: string) => [
    '--out',
    join(dir, name, 'model'),
    '--log',
    join(dir, name, 'log.jsonl'),
    '--state-dir',
    join(dir, name, 'state'),
  ];

  beforeAll(async () => {
    writeJsonlAtomic(join(dir, 'pairs.jsonl'), fixturePairs(8));
    const exported = await runEtoCli([
      'export',
      'dpo-tokenized',
      '--input',
      join(dir, 'pairs.jsonl'),
      '--model',
      model,
      '--out',
      data,
    ]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(launch(python, 'cpu-1.yaml', 'dpo.py', [...common, ...run('one')])).toBe(0);
  });

  it('two processes (gloo) end 5 steps with the one-process weights ≤ 1e-5, world_size 2 in the log header', () => {
    expect(launch(python, 'cpu-ddp-2.yaml', 'dpo.py', [...common, ...run('two')])).toBe(0);
    const difference = maxDifference(join(dir, 'one/model'), join(dir, 'two/model'));
    console.log(`max |θ(2 processes) − θ(1 process)| after 5 steps = ${difference.toExponential(2)}`);
    expect(difference).toBeLessThanOrEqual(1e-5);
    expect(maxDifference(model, join(dir, 'two/model'))).toBeGreaterThan(1e-3); // it did train
    expect(logOf(join(dir, 'two/log.jsonl')).header).toMatchObject({ world_size: 2, backend: 'gloo' });
    expect(logOf(join(dir, 'one/log.jsonl')).header).toMatchObject({ world_size: 1 });
    expect(logOf(join(dir, 'two/log.jsonl')).steps).toEqual([1, 2, 3, 4, 5]);
  });

  it('a run killed after step 3 (state at step 2) resumes to the uninterrupted weights', () => {
    expect(launch(python, 'cpu-1.yaml', 'dpo.py', [...common, ...run('killed'), '--stop-after', '3'])).toBe(137);
    expect(logOf(join(dir, 'killed/log.jsonl')).steps).toEqual([1, 2, 3]);
    expect(launch(python, 'cpu-1.yaml', 'dpo.py', [...common, ...run('killed')])).toBe(0);
    expect(logOf(join(dir, 'killed/log.jsonl')).steps).toEqual([1, 2, 3, 4, 5]);
    expect(maxDifference(join(dir, 'one/model'), join(dir, 'killed/model'))).toBeLessThanOrEqual(1e-6);
  });

  it('LoRA writes a peft adapter and a merged checkpoint that eto loads', () => {
    expect(launch(python, 'cpu-1.yaml', 'dpo.py', [...common, ...run('lora'), '--lora-r', '4', '--epochs', '1'])).toBe(
      0,
    );
    const adapter = JSON.parse(readFileSync(join(dir, 'lora/adapter/adapter_config.json'), 'utf8'));
    expect(adapter).toMatchObject({ r: 4, peft_type: 'LORA' });
    expect(maxDifference(model, join(dir, 'lora/model'))).toBeGreaterThan(0);
  });
});
