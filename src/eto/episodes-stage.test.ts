import { describe, expect, it } from 'vitest';
import { getEnv } from '../env/registry.ts';
import { splitTasks } from './episodes-stage.ts';

describe('splitTasks', () => {
  it('takes the first N tasks, and the whole split when N exceeds it', async () => {
    const alfworld = await getEnv('alfworld');
    const unseen = alfworld.splits().find((s) => s.name === 'unseen');
    expect(unseen?.size).toBe(134);
    const all = splitTasks(alfworld, 'eval-sft', 'unseen', 140, 1);
    expect(all.map((t) => t.task)).toEqual(Array.from({ length: 134 }, (_, i) => i));
    expect(new Set(all.map((t) => t.id)).size).toBe(134);
    expect(splitTasks(alfworld, 'eval-sft', 'seen', 5, 1).map((t) => t.id)).toEqual(
      [0, 1, 2, 3, 4].map((i) => `eval-sft-seen-${i}`),
    );
  });
});
