import { describe, expect, it } from 'vitest';
import { hashString, Rng } from './rng.ts';

describe('Rng', () => {
  it('reproduces a sequence from a seed and differs across seeds', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const seqA = Array.from({ length: 20 }, () => a.nextUint32());
    const seqB = Array.from({ length: 20 }, () => b.nextUint32());
    const seqC = Array.from({ length: 20 }, () => c.nextUint32());
    expect(seqA).toEqual(seqB);
    expect(seqA).not.toEqual(seqC);
  });

  it('draws integers uniformly in range', () => {
    const rng = new Rng(1);
    const counts = new Array<number>(5).fill(0);
    for (let i = 0; i < 50_000; i++) counts[rng.int(5)]! += 1;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it('shuffles into a permutation', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = new Rng(3).shuffle(items);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((x, y) => x - y)).toEqual(items);
  });

  it('normal draws have mean 0 and variance 1', () => {
    const rng = new Rng(11);
    const xs = Array.from({ length: 40_000 }, () => rng.normal());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
  });

  it('hashes strings stably (FNV-1a of "a" is 0xe40c292c)', () => {
    expect(hashString('a')).toBe(0xe40c292c);
  });
});
