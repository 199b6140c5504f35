// A training stage that refuses (bad data, NaN/inf: TrainingError) leaves nothing behind: every path in
// `created` that did not exist when the stage started is removed, so a rerun after the input is fixed
// starts clean and no half-written folder looks like a result. Other errors (a kill, a crash) keep the
// resumable state, as resume needs it.
import { existsSync, rmSync } from 'node:fs';
import { TrainingError } from '../../errors.ts';

export async function undoOnRefusal<T>(created: readonly string[], stage: () => Promise<T>): Promise<T> {
  const fresh = created.filter((path) => !existsSync(path));
  try {
    return await stage();
  } catch (error) {
    if (error instanceof TrainingError) for (const path of fresh) rmSync(path, { recursive: true, force: true });
    throw error;
  }
}
