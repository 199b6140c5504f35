// Train/dev/test as lists of goal indices. Default: consecutive blocks test, dev, train of the goal list
// (a small catalogue shrinks train first). With ETO's index files (train_indices.json, test_indices.json)
// in the data folder: ETO's test list, ETO's train list without the goals that are also test goals (21 in
// ETO's files), and dev from goals in neither list. Identical goals never land in two splits.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../../errors.ts';
import type { Goal } from './types.ts';

export type SplitName = 'train' | 'dev' | 'test';
export type SplitIndices = Record<SplitName, number[]>;

export interface SplitSizes {
  train: number;
  dev: number;
  test: number;
}

export const ETO_TRAIN_FILE = 'train_indices.json';
export const ETO_TEST_FILE = 'test_indices.json';

const goalKey = (goal: Goal): string => JSON.stringify([goal.asin, goal.instructionText, goal.attributes, goal.goalOptions]);

/** Fills each split in turn from `candidates`, skipping goals already used (by index or by identical content). */
function fill(goals: readonly Goal[], candidates: Iterable<number>, limit: number, used: Set<string>, taken: Set<number>): number[] {
  const out: number[] = [];
  for (const index of candidates) {
    if (out.length >= limit) break;
    const goal = goals[index];
    if (!goal || taken.has(index) || used.has(goalKey(goal))) continue;
    out.push(index);
    taken.add(index);
    used.add(goalKey(goal));
  }
  return out;
}

export function blockSplits(goals: readonly Goal[], sizes: SplitSizes): SplitIndices {
  const used = new Set<string>();
  const taken = new Set<number>();
  const all = goals.map((_, i) => i);
  const test = fill(goals, all, sizes.test, used, taken);
  const dev = fill(goals, all, sizes.dev, used, taken);
  const train = fill(goals, all, sizes.train, used, taken);
  return { train, dev, test };
}

function readIndices(path: string): number[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new DataError(path, undefined, `cannot read a JSON list of goal indices: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed) || parsed.some((x) => !Number.isInteger(x) || (x as number) < 0)) {
    throw new DataError(path, undefined, 'expected a JSON array of non-negative integer goal indices');
  }
  return parsed as number[];
}

/** ETO's lists when both files are in `dataDir`, else null. */
export function etoSplits(dataDir: string, goals: readonly Goal[], sizes: SplitSizes): SplitIndices | null {
  const trainPath = join(dataDir, ETO_TRAIN_FILE);
  const testPath = join(dataDir, ETO_TEST_FILE);
  if (!existsSync(trainPath) || !existsSync(testPath)) return null;
  const used = new Set<string>();
  const taken = new Set<number>();
  const testListed = readIndices(testPath);
  const trainListed = readIndices(trainPath);
  const test = fill(goals, testListed, sizes.test, used, taken);
  const train = fill(goals, trainListed, sizes.train, used, taken);
  const etoListed = new Set([...testListed, ...trainListed]);
  const dev = fill(goals, goals.map((_, i) => i).filter((i) => !etoListed.has(i)), sizes.dev, used, taken);
  return { train, dev, test };
}
