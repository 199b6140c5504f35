// ScienceWorld splits. Each family's variations are cut in order into quarter blocks of ⌊n/4⌋ as the
// original: train = blocks 0–1, dev = block 2, test = block 3 plus the remainder. Each split takes ETO's
// count per family, evenly spaced inside its block. Unlike ETO's released train file (which reuses 54
// dev-block variations), our train never leaves blocks 0–1, so train and seen are disjoint; where ETO's
// train count exceeds the train block (grow-plant, lifespan) we take the whole block instead.
// ETO reports "seen" on the dev block, so choosing the best iteration there would peek at test: our `dev` holds
// out the dev-block variations `seen` does not pick, topped up with train-block ones `train` does not pick, up
// to ETO's seen count per family. dev is disjoint from train, seen and unseen.
import { EnvError } from '../../errors.ts';
import type { SplitInfo } from '../types.ts';
import type { TaskFamily } from './family.ts';

export type SplitName = 'train' | 'dev' | 'seen' | 'unseen';
export const SPLIT_NAMES: SplitName[] = ['train', 'dev', 'seen', 'unseen'];

export interface TaskRef {
  family: TaskFamily;
  variation: number;
}

interface Range {
  start: number;
  length: number;
  count: number;
}

function rangeFor(family: TaskFamily, split: Exclude<SplitName, 'dev'>): Range {
  const n = family.variations;
  const block = Math.floor(n / 4);
  if (split === 'train') return { start: 0, length: 2 * block, count: Math.min(family.etoCounts.train, 2 * block) };
  if (split === 'seen') return { start: 2 * block, length: block, count: Math.min(family.etoCounts.seen, block) };
  const length = n - 3 * block;
  return { start: 3 * block, length, count: Math.min(family.etoCounts.unseen, length) };
}

/** The i-th of `count` evenly spaced picks from a block. */
function pick(range: Range, i: number): number {
  return range.start + Math.floor((i * range.length) / range.count);
}

function picks(range: Range): number[] {
  return Array.from({ length: range.count }, (_, i) => pick(range, i));
}

const devCache = new WeakMap<TaskFamily, number[]>();

/** A family's dev variations: dev-block ones seen leaves out, then train-block ones train leaves out. */
function devVariations(family: TaskFamily): number[] {
  const known = devCache.get(family);
  if (known) return known;
  const block = Math.floor(family.variations / 4);
  const unpicked = (range: Range): number[] => {
    const taken = new Set(picks(range));
    return Array.from({ length: range.length }, (_, i) => range.start + i).filter((v) => !taken.has(v));
  };
  const fromDevBlock = unpicked(rangeFor(family, 'seen'));
  const fromTrainBlock = unpicked(rangeFor(family, 'train'));
  const count = Math.min(family.etoCounts.seen, fromDevBlock.length + fromTrainBlock.length);
  const rest = Math.max(0, count - fromDevBlock.length);
  const topUp = Array.from({ length: rest }, (_, i) => fromTrainBlock[Math.floor((i * fromTrainBlock.length) / rest)]!);
  const variations = [...fromDevBlock.slice(0, count), ...topUp];
  devCache.set(family, variations);
  return variations;
}

function countOf(family: TaskFamily, split: SplitName): number {
  return split === 'dev' ? devVariations(family).length : rangeFor(family, split).count;
}

export function splitSize(families: TaskFamily[], split: SplitName): number {
  return families.reduce((sum, family) => sum + countOf(family, split), 0);
}

export function splitInfos(families: TaskFamily[]): SplitInfo[] {
  return [
    { name: 'train', size: splitSize(families, 'train'), role: 'train' },
    { name: 'dev', size: splitSize(families, 'dev'), role: 'dev' },
    { name: 'seen', size: splitSize(families, 'seen'), role: 'test', generalisation: 'seen' },
    { name: 'unseen', size: splitSize(families, 'unseen'), role: 'test', generalisation: 'unseen' },
  ];
}

export function isSplitName(name: string): name is SplitName {
  return (SPLIT_NAMES as string[]).includes(name);
}

/** `all` (not listed by splits()): every variation of every family in order, as AgentGym's data_idx. */
export const ALL_SPLIT = 'all';

export function allSize(families: TaskFamily[]): number {
  return families.reduce((sum, family) => sum + family.variations, 0);
}

/** Task `index` of a split: families in order, each contributing its count. */
export function taskAt(families: TaskFamily[], split: string, index: number): TaskRef {
  if (!Number.isInteger(index) || index < 0) throw new EnvError(`sciworld: task index must be a non-negative integer, got ${index}`);
  if (split === ALL_SPLIT) {
    let rest = index;
    for (const family of families) {
      if (rest < family.variations) return { family, variation: rest };
      rest -= family.variations;
    }
    throw new EnvError(`sciworld: task ${index} is out of range for split "all" (size ${allSize(families)})`);
  }
  if (!isSplitName(split)) throw new EnvError(`sciworld: unknown split "${split}"; expected one of ${SPLIT_NAMES.join(', ')}, or ${ALL_SPLIT}`);
  let rest = index;
  for (const family of families) {
    const count = countOf(family, split);
    if (rest < count) {
      return { family, variation: split === 'dev' ? devVariations(family)[rest]! : pick(rangeFor(family, split), rest) };
    }
    rest -= count;
  }
  throw new EnvError(`sciworld: task ${index} is out of range for split "${split}" (size ${splitSize(families, split)})`);
}
