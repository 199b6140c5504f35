// The standalone stage commands are the pipeline's stages: `eto expert → sft → explore → pairs → dpo →
// eval`, run one by one with the smoke preset's config, write byte-identical files to `eto run --preset
// smoke` with the same seed. Both run from their own working folder with the same relative paths, because
// trajectories name the policy's checkpoint dir.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEtoCli, type CliResult } from './helpers/cli.ts';

const seed = '3';
const run = 'r';
const root = mkdtempSync(join(tmpdir(), 'eto-stages-'));
const pipelineCwd = join(root, 'pipeline');
const stagesCwd = join(root, 'stages');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) =>
    statSync(join(dir, name)).isDirectory() ? files(join(dir, name)).map((f) => join(name, f)) : [name],
  );
}

async function ok(args: string[], cwd: string): Promise<CliResult> {
  const result = await runEtoCli(args, cwd);
  expect(result.stderr, args.join(' ')).not.toContain('internal error');
  expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result;
}

describe('standalone stage commands', () => {
  it('reproduce the pipeline run byte for byte', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(pipelineCwd);
    mkdirSync(stagesCwd);
    await ok(['run', '--preset', 'smoke', '--seed', seed, '--out', run], pipelineCwd);

    // the expert and the pair rule take no run seed (the expert's wording has its own, data.expertSeed)
    const flags = ['--preset', 'smoke', '--seed', seed];
    await ok(['expert', '--preset', 'smoke', '--out', `${run}/data/expert.jsonl`], stagesCwd);
    await ok(['sft', ...flags, '--data', `${run}/data/expert.jsonl`, '--out', `${run}/sft`], stagesCwd);
    await ok(
      ['explore', ...flags, '--model', `${run}/sft/model`, '--iteration', '1', '--out', `${run}/iter-1/explore.jsonl`],
      stagesCwd,
    );
    await ok(
      [
        'pairs',
        '--preset',
        'smoke',
        '--expert',
        `${run}/data/expert.jsonl`,
        '--explored',
        `${run}/iter-1/explore.jsonl`,
        '--out',
        `${run}/iter-1/pairs.jsonl`,
      ],
      stagesCwd,
    );
    await ok(
      [
        'dpo',
        ...flags,
        '--pairs',
        `${run}/iter-1/pairs.jsonl`,
        '--model',
        `${run}/sft/model`,
        '--iteration',
        '1',
        '--out',
        `${run}/iter-1`,
      ],
      stagesCwd,
    );
    for (const [stage, model, iteration] of [
      ['sft', 'sft/model', '0'],
      ['eto-1', 'iter-1/model', '1'],
    ] as const) {
      for (const split of ['dev', 'seen', 'unseen']) {
        await ok(
          [
            'eval',
            ...flags,
            '--model',
            `${run}/${model}`,
            '--stage',
            stage,
            '--iteration',
            iteration,
            '--split',
            split,
            '--out',
            `${run}/eval/${stage}-${split}.jsonl`,
          ],
          stagesCwd,
        );
      }
    }

    const pipeline = join(pipelineCwd, run);
    const stages = join(stagesCwd, run);
    const compared = files(stages).filter((f) => f !== join('sft', 'tokenizer.json'));
    expect(compared.sort()).toEqual(
      files(pipeline)
        .filter((f) => !/^(config\.json|summary\.|report)/.test(f) && f !== join('data', 'tokenizer.json'))
        .sort(),
    );
    for (const file of compared) {
      expect(readFileSync(join(stages, file)).equals(readFileSync(join(pipeline, file))), file).toBe(true);
    }
    // the standalone SFT learned the same tokenizer (the pipeline keeps it under data/)
    expect(readFileSync(join(stages, 'sft', 'tokenizer.json'), 'utf8')).toBe(
      readFileSync(join(pipeline, 'data', 'tokenizer.json'), 'utf8'),
    );
  }, 180_000);
});
