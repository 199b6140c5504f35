// The hash of the tasks a run used in each split (the first N of the split, N = the largest count used),
// from the env's own fixed task list, so two machines can prove they ran the same tasks (`eto env tasks`).
import type { TaskCount } from '../data/schemas.ts';
import { splitTaskList, taskListHash } from '../env/task-list.ts';
import type { EnvModule } from '../env/types.ts';

export function splitHashes(module: EnvModule, counts: readonly TaskCount[]): { split: string; tasks: number; hash: string }[] {
  const largest = new Map<string, number>();
  for (const count of counts) largest.set(count.split, Math.max(largest.get(count.split) ?? 0, count.used));
  const known = new Set(module.splits().map((s) => s.name));
  return [...largest]
    .filter(([split, tasks]) => known.has(split) && tasks > 0)
    .map(([split, tasks]) => {
      const entries = splitTaskList(module, split, tasks);
      return { split, tasks: entries.length, hash: taskListHash(entries) };
    });
}
