import { describe, expect, it } from 'vitest';
import { FAMILIES } from './families.ts';
import { SPLIT_NAMES, splitInfos, splitSize, taskAt } from './splits.ts';

/** The dev-block offsets seen picks: `count` evenly spaced in a block of `block`. */
const seenPicks = (block: number, count: number): number[] =>
  Array.from({ length: count }, (_, i) => Math.floor((i * block) / count));

describe('sciworld splits', () => {
  it('keeps each split inside its quarter block; dev is held out from train, seen and unseen', () => {
    const sets = new Map<string, Set<string>>();
    for (const split of SPLIT_NAMES) {
      const keys = new Set<string>();
      for (let i = 0; i < splitSize(FAMILIES, split); i++) {
        const { family, variation } = taskAt(FAMILIES, split, i);
        const block = Math.floor(family.variations / 4);
        if (split === 'train') expect(variation).toBeLessThan(2 * block);
        else if (split === 'unseen') expect(variation).toBeGreaterThanOrEqual(3 * block);
        else if (split === 'seen') expect(variation >= 2 * block && variation < 3 * block).toBe(true);
        else expect(variation).toBeLessThan(3 * block); // dev: the dev block first, topped up from the train block
        expect(variation).toBeLessThan(family.variations);
        keys.add(`${family.name}/${variation}`);
      }
      expect(keys.size).toBe(splitSize(FAMILIES, split)); // no duplicates inside a split
      sets.set(split, keys);
    }
    const train = sets.get('train') as Set<string>;
    for (const key of sets.get('seen') as Set<string>) expect(train.has(key)).toBe(false);
    const dev = [...(sets.get('dev') as Set<string>)];
    for (const other of ['train', 'seen', 'unseen']) {
      expect(dev.filter((key) => (sets.get(other) as Set<string>).has(key)), other).toEqual([]);
    }
    // boil (30 variations, block 7, seen picks 6 of its dev block): the one dev-block variation seen leaves out
    const boil = FAMILIES.filter((f) => f.name === 'boil');
    expect(Array.from({ length: splitSize(boil, 'dev') }, (_, i) => taskAt(boil, 'dev', i).variation).slice(0, 1))
      .toEqual([14 + [0, 1, 2, 3, 4, 5, 6].find((v) => !seenPicks(7, 6).includes(v))!]);
  });

  it('takes ETO\'s per-family counts (boil: 14 / 6 / 9; use the block when smaller)', () => {
    const boil = FAMILIES.filter((f) => f.name === 'boil');
    expect(splitSize(boil, 'train')).toBe(14);
    expect(splitSize(boil, 'seen')).toBe(6);
    expect(splitSize(boil, 'unseen')).toBe(9);
    const lifespan = FAMILIES.filter((f) => f.name === 'lifespan-longest-lived');
    expect(splitSize(lifespan, 'train')).toBe(62); // ETO's 83 exceeds the 62-variation train block
    const infos = splitInfos(FAMILIES);
    expect(infos.map((s) => `${s.name}:${s.role}:${s.generalisation ?? ''}`)).toEqual(['train:train:', 'dev:dev:', 'seen:test:seen', 'unseen:test:unseen']);
  });

  it('matches ETO\'s seen and unseen sizes over the 24 task types (194 / 211)', () => {
    expect(FAMILIES).toHaveLength(24);
    expect(splitSize(FAMILIES, 'seen')).toBe(194);
    expect(splitSize(FAMILIES, 'unseen')).toBe(211);
  });

  it('indexes every variation of every family through the unlisted "all" split', () => {
    const total = FAMILIES.reduce((sum, f) => sum + f.variations, 0);
    expect(taskAt(FAMILIES, 'all', 0)).toMatchObject({ variation: 0, family: { name: 'boil' } });
    expect(taskAt(FAMILIES, 'all', 30)).toMatchObject({ variation: 0, family: { name: 'melt' } });
    const last = FAMILIES.at(-1);
    expect(taskAt(FAMILIES, 'all', total - 1)).toMatchObject({ variation: (last?.variations ?? 0) - 1 });
    expect(() => taskAt(FAMILIES, 'all', total)).toThrow(/out of range/);
  });

  it('rejects unknown splits and out-of-range indices', () => {
    expect(() => taskAt(FAMILIES, 'valid', 0)).toThrow(/unknown split/);
    expect(() => taskAt(FAMILIES, 'seen', splitSize(FAMILIES, 'seen'))).toThrow(/out of range/);
  });
});
