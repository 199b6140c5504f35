// End to end: the smoke preset through the real CLI. One uninterrupted run is validated artifact by
// artifact against the schemas; a second run with the same seed is SIGKILLed during SFT training and
// during exploration, resumed with --resume, and must finish with the same summary shape and counts,
// without recomputing a finished episode or leaving a corrupt file.
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { readJson, readJsonl } from '../src/data/jsonl.ts';
import { PairSchema, SummarySchema, TrainLogEntrySchema, TrajectorySchema, type Summary } from '../src/data/schemas.ts';
import { RunConfigSchema } from '../src/eto/config.ts';
import { runPresets } from '../src/eto/presets.ts';
import { RefLogProbsSchema } from '../src/train/reference-logprobs.ts';
import { runEtoCli, startEto } from './helpers/cli.ts';

const smoke = runPresets.smoke;
const seed = 5;
const root = mkdtempSync(join(tmpdir(), 'eto-e2e-'));

function lines(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').length : 0;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? allFiles(join(dir, name)) : [join(dir, name)]));
}

function validate<S extends z.ZodType>(file: string, schema: S): z.infer<S>[] {
  return readJsonl(file, schema);
}

function shape(summary: Summary): unknown {
  return {
    keys: Object.keys(summary).sort(),
    best: summary.best,
    results: summary.results.map((r) => [r.stage, r.split, r.episodes]).sort(),
    comparisons: summary.comparisons.map((c) => [c.stage, c.baseline, c.split, c.episodes]).sort(),
  };
}

describe('eto run --preset smoke', () => {
  const straight = join(root, 'straight');

  it('runs end to end and every artifact matches its schema', async () => {
    const started = Date.now();
    const result = await runEtoCli(['run', '--preset', 'smoke', '--seed', String(seed), '--out', straight]);
    expect(result.stderr).not.toContain('internal error');
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(90_000);
    expect(readJson(join(straight, 'config.json'), RunConfigSchema).seed).toBe(seed);
    const experts = validate(join(straight, 'data', 'expert.jsonl'), TrajectorySchema);
    expect(experts).toHaveLength(smoke.data.expertTasks);
    expect(experts.every((t) => t.source === 'expert' && t.success)).toBe(true);
    const sftLog = validate(join(straight, 'sft', 'train-log.jsonl'), TrainLogEntrySchema);
    expect(sftLog.map((e) => e.step)).toEqual(sftLog.map((_, i) => i + 1));
    expect(sftLog.at(-1)?.step).toBe(sftLog[0]?.totalSteps);
    expect(existsSync(join(straight, 'sft', 'model', 'config.json'))).toBe(true);
    const explored = validate(join(straight, 'iter-1', 'explore.jsonl'), TrajectorySchema);
    expect(explored).toHaveLength(smoke.data.exploreTasks);
    const pairs = validate(join(straight, 'iter-1', 'pairs.jsonl'), PairSchema);
    expect(pairs.length).toBe(explored.filter((t) => !t.success).length);
    if (pairs.length > 0) {
      expect(validate(join(straight, 'iter-1', 'ref-logprobs.jsonl'), RefLogProbsSchema)).toHaveLength(pairs.length);
      const dpoLog = validate(join(straight, 'iter-1', 'train-log.jsonl'), TrainLogEntrySchema);
      expect(dpoLog.every((e) => e.stage === 'dpo' && e.margin !== undefined && e.accuracy !== undefined)).toBe(true);
    }
    expect(existsSync(join(straight, 'iter-1', 'model', 'model.safetensors'))).toBe(true);
    for (const stage of ['sft', 'eto-1']) {
      for (const split of ['dev', 'seen', 'unseen']) {
        const episodes = validate(join(straight, 'eval', `${stage}-${split}.jsonl`), TrajectorySchema);
        expect(episodes).toHaveLength(split === 'dev' ? smoke.data.devTasks : smoke.data.testTasks);
      }
    }
    const summary = readJson(join(straight, 'summary.json'), SummarySchema);
    expect(summary.results).toHaveLength(6);
    expect(summary.best).toBe('eto-1');
    // what ran where: eto's version, the command line, Node and the engine, the backends
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(summary.provenance).toMatchObject({ etoVersion: version, node: process.version, policy: 'local', trainer: 'local' });
    expect(summary.provenance?.command).toEqual(['run', '--preset', 'smoke', '--seed', String(seed), '--out', straight]);
    // every task count the run used, requested vs used
    expect(summary.counts?.find((c) => c.stage === 'explore-1')).toMatchObject({ requested: smoke.data.exploreTasks });
    expect(summary.comparisons.map((c) => c.split).sort()).toEqual(['dev', 'seen', 'unseen']);
    // every split it used has the hash `eto env tasks` prints for the same tasks
    expect(summary.taskHashes.map((h) => h.split).sort()).toEqual([...new Set(summary.counts.map((c) => c.split))].sort());
    for (const { split, tasks, hash } of summary.taskHashes) {
      const listed = await runEtoCli(['env', 'tasks', smoke.env, '--split', split, '--count', String(tasks), '--json']);
      expect(JSON.parse(listed.stdout)).toMatchObject({ split, tasks, hash });
    }
    expect(readFileSync(join(straight, 'summary.md'), 'utf8')).toContain('| eto-1 (best on dev)');
    expect(result.stdout).toContain('| sft ');
    // nothing temporary is left behind
    expect(allFiles(straight).filter((f) => f.includes('.tmp-') || f.includes('train-state'))).toEqual([]);
  }, 120_000);

  it('resumes after SIGKILL during training and during exploration without recomputing episodes', async () => {
    const killed = join(root, 'killed');
    const args = ['run', '--preset', 'smoke', '--seed', String(seed), '--out', killed];
    // 1. kill during SFT, once a resumable snapshot exists and training has gone on past it
    const first = startEto(args);
    // the log grows inside train-state/ while training runs and moves beside the checkpoint when it ends
    const sftLog = join(killed, 'sft', 'train-state', 'train-log.jsonl');
    expect(await waitFor(() => lines(sftLog) >= smoke.sft.checkpointEvery + 1, 60_000)).toBe(true);
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    expect(existsSync(join(killed, 'sft', 'model', 'config.json'))).toBe(false);
    // 2. resume, kill during exploration once some episodes are stored
    const second = startEto([...args, '--resume']);
    const explore = join(killed, 'iter-1', 'explore.jsonl');
    expect(await waitFor(() => lines(explore) >= 1, 90_000)).toBe(true);
    second.child.kill('SIGKILL');
    await second.done;
    const before = readFileSync(explore, 'utf8').split('\n').filter((l) => l.trim() !== '' && l.endsWith('}'));
    // 3. resume to the end
    const third = await runEtoCli([...args, '--resume']);
    expect(third.stderr).not.toContain('internal error');
    expect(third.code).toBe(0);
    const after = readFileSync(explore, 'utf8').split('\n').filter((l) => l.trim() !== '');
    // finished episodes kept verbatim, none played twice
    expect(after.slice(0, before.length)).toEqual(before);
    const ids = validate(explore, TrajectorySchema).map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(smoke.data.exploreTasks);
    // SFT log: one line per step, no step logged twice
    expect(existsSync(sftLog)).toBe(false);
    const log = validate(join(killed, 'sft', 'train-log.jsonl'), TrainLogEntrySchema).map((e) => e.step);
    expect(log).toEqual(log.map((_, i) => i + 1));
    const resumed = readJson(join(killed, 'summary.json'), SummarySchema);
    const reference = readJson(join(straight, 'summary.json'), SummarySchema);
    expect(shape(resumed)).toEqual(shape(reference));
  }, 240_000);
});
