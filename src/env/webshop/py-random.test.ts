import { describe, expect, it } from 'vitest';
import { PyRandom } from './py-random.ts';

// Expected values printed by CPython 3.11 (`random.seed(s)` then the call shown).
describe('PyRandom (CPython random, bit-exact)', () => {
  it('getrandbits(32) after seed(233), seed(2**40 + 5) and seed(0)', () => {
    const a = new PyRandom(233);
    expect([a.getrandbits(32), a.getrandbits(32), a.getrandbits(32)]).toEqual([2931216007, 3446561803, 2698614761]);
    const b = new PyRandom(2 ** 40 + 5);
    expect([b.getrandbits(32), b.getrandbits(32)]).toEqual([2166296868, 2220160828]);
    const c = new PyRandom(0);
    expect([c.getrandbits(32), c.getrandbits(32)]).toEqual([3626764237, 1654615998]);
  });

  it('random()', () => {
    expect(new PyRandom(233).random()).toBe(0.6824769139473528);
  });

  it('shuffle after seed(233), small and at WebShop size (12,087 goals)', () => {
    expect(new PyRandom(233).shuffle(Array.from({ length: 20 }, (_, i) => i))).toEqual([17, 18, 9, 2, 8, 19, 11, 10, 12, 0, 3, 4, 14, 13, 1, 6, 15, 7, 16, 5]);
    const big = new PyRandom(233).shuffle(Array.from({ length: 12087 }, (_, i) => i));
    expect(big.slice(0, 5)).toEqual([8655, 10304, 6940, 2750, 3667]);
    expect(big.slice(-3)).toEqual([2856, 10294, 11181]);
  });
});
