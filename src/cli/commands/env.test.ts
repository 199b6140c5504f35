import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TrajectorySchema } from '../../data/schemas.ts';
import { runMainCaptured } from '../run-main-captured.ts';

const dir = mkdtempSync(join(tmpdir(), 'eto-env-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const eto = runMainCaptured;

describe('eto env', () => {
  it('list shows every registered env with its splits', async () => {
    const { code, out } = await eto('env', 'list');
    expect(code).toBe(0);
    expect(out).toMatch(/^alfworld\ttrain=3321 dev=140 seen=140 unseen=134\t/m);
  });

  it('play --actions prints one JSON line per step', async () => {
    const file = join(dir, 'actions.txt');
    writeFileSync(file, 'look\n\nfoo\ninventory\n');
    const { code, out } = await eto('env', 'play', 'alfworld', '--split', 'seen', '--task', '3', '--actions', file);
    expect(code).toBe(0);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { observation: string; reward: number; done: boolean; validActions: string[] });
    expect(lines).toHaveLength(4);
    expect(lines[0]?.observation).toMatch(/^-= Welcome to TextWorld, ALFRED! =-/);
    expect(lines[1]?.observation).toMatch(/^You are in the middle of a room/);
    expect(lines[2]).toMatchObject({ observation: 'Nothing happens.', reward: 0, done: false });
    expect(lines[3]?.observation).toBe('You are not carrying anything.');
    expect(lines[3]?.validActions).toContain('inventory');
  });

  it('expert writes valid, successful Trajectory lines', async () => {
    const file = join(dir, 'expert.jsonl');
    const { code, out } = await eto('env', 'expert', 'alfworld', '--split', 'unseen', '--limit', '6', '--out', file);
    expect(code).toBe(0);
    expect(out).toContain('success 6/6');
    const records = readFileSync(file, 'utf8').trim().split('\n').map((l) => TrajectorySchema.parse(JSON.parse(l)));
    expect(records.map((r) => [r.split, r.task, r.success, r.source])).toEqual(Array.from({ length: 6 }, (_, i) => ['unseen', String(i), true, 'expert']));
  });

  it('stats counts tasks per split and type', async () => {
    const { code, out } = await eto('env', 'stats', 'alfworld', '--limit', '30');
    expect(code).toBe(0);
    const rows = out.trim().split('\n');
    expect(rows.map((r) => r.split('\t').slice(0, 3).join(' '))).toEqual(['train train 3321', 'dev dev/seen 140', 'seen test/seen 140', 'unseen test/unseen 134']);
    for (const row of rows) {
      const counts = [...row.matchAll(/=(\d+)/g)].map((m) => Number(m[1]));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(30);
    }
  });

  it('names the bad input and exits 2', async () => {
    expect(await eto('env', 'play', 'nosuchenv')).toMatchObject({ code: 2, err: expect.stringContaining('unknown env "nosuchenv"') });
    expect(await eto('env', 'play', 'alfworld', '--split', 'test')).toMatchObject({ code: 2, err: expect.stringContaining('--split: unknown split "test"') });
    expect(await eto('env', 'play', 'alfworld', '--split', 'seen', '--task', '140')).toMatchObject({ code: 2, err: expect.stringContaining('--task') });
    expect(await eto('env', 'play', 'alfworld', '--actions', join(dir, 'missing.txt'))).toMatchObject({ code: 2, err: expect.stringContaining('--actions') });
    expect(await eto('env', 'serve', 'alfworld', '--port', '70000')).toMatchObject({ code: 2, err: expect.stringContaining('--port') });
    expect(await eto('env', 'serve', 'alfworld', '--protocol', 'gym')).toMatchObject({ code: 2, err: expect.stringContaining('--protocol') });
  });
});
