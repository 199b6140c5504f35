// `eto env tasks`: every split's task list is fixed and hashable. The hash must be the same from two separate
// processes, equal an independent sha256 of the printed lines, and change when a task's content changes.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { alfworld } from '../src/env/alfworld/index.ts';
import { splitTaskList, taskListHash } from '../src/env/task-list.ts';
import type { EnvModule } from '../src/env/types.ts';
import { runEtoCli } from './helpers/cli.ts';

function parse(stdout: string): { lines: string[]; hash: string; tasks: number } {
  const all = stdout.split('\n').filter((l) => l !== '');
  const footer = /^# \S+ \S+: (\d+) tasks, sha256 ([0-9a-f]{64})$/.exec(all.at(-1) ?? '');
  if (!footer) throw new Error(`no hash line in ${stdout.slice(-200)}`);
  return { lines: all.slice(0, -1), tasks: Number(footer[1]), hash: footer[2] as string };
}

describe('eto env tasks', () => {
  it('prints the same hash from two processes, equal to sha256 of the printed lines', async () => {
    const [a, b] = await Promise.all(['1', '2'].map(() => runEtoCli(['env', 'tasks', 'sciworld', '--split', 'seen'])));
    expect([a?.code, b?.code]).toEqual([0, 0]);
    const first = parse(a?.stdout ?? '');
    expect(parse(b?.stdout ?? '')).toEqual(first);
    expect(first.tasks).toBe(194);
    expect(first.lines).toHaveLength(194);
    expect(new Set(first.lines).size).toBe(194); // every task distinct
    const independent = createHash('sha256').update(first.lines.join('\n')).digest('hex');
    expect(first.hash).toBe(independent);
  }, 60_000);

  it('--count takes a prefix of the split, --json carries the same hash', async () => {
    const full = await runEtoCli(['env', 'tasks', 'alfworld', '--split', 'unseen', '--json']);
    const head = await runEtoCli(['env', 'tasks', 'alfworld', '--split', 'unseen', '--count', '5', '--json']);
    const all = JSON.parse(full.stdout) as { tasks: number; hash: string; entries: { id: string; digest: string }[] };
    const five = JSON.parse(head.stdout) as typeof all;
    expect(five.entries).toEqual(all.entries.slice(0, 5));
    expect(five.hash).toBe(taskListHash(five.entries.map((e, index) => ({ ...e, index }))));
    expect(five.hash).not.toBe(all.hash);
    expect(all.tasks).toBe(134);
  }, 60_000);

  it('changes when one task\'s content changes under the same id', () => {
    const altered: EnvModule = {
      ...alfworld,
      create: () => {
        const env = alfworld.create();
        return {
          name: env.name,
          step: (action) => env.step(action),
          reset: (options) => {
            const reset = env.reset(options);
            return options.task === 2 ? { ...reset, observation: `${reset.observation} (edited)` } : reset;
          },
        };
      },
    };
    const original = splitTaskList(alfworld, 'dev', 4);
    const edited = splitTaskList(altered, 'dev', 4);
    expect(edited.map((e) => e.id)).toEqual(original.map((e) => e.id));
    expect(taskListHash(edited)).not.toBe(taskListHash(original));
  });

  it('rejects an unknown split and a bad count with exit 2', async () => {
    const split = await runEtoCli(['env', 'tasks', 'alfworld', '--split', 'nope']);
    expect([split.code, split.stderr]).toEqual([2, expect.stringContaining('--split')]);
    const count = await runEtoCli(['env', 'tasks', 'alfworld', '--count', '0']);
    expect([count.code, count.stderr]).toEqual([2, expect.stringContaining('--count')]);
  }, 60_000);
});
