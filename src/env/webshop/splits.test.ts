import { mkdtempSync, readdirSync, copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../../errors.ts';
import { loadCatalog } from './loader.ts';
import { blockSplits, etoSplits } from './splits.ts';
import { FIXTURE_DIR } from './test-shop.ts';

// Fixture goals after the shuffle: 0 cotton tee, 1 l'eau d'issey, 2 chair, 3 the same chair goal again,
// 4 navy shirt, 5 tea (loader.test.ts pins this order against CPython).
const catalog = loadCatalog(FIXTURE_DIR, 0);
const dir = mkdtempSync(join(tmpdir(), 'eto-webshop-splits-'));
for (const file of readdirSync(FIXTURE_DIR)) copyFileSync(join(FIXTURE_DIR, file), join(dir, file));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('splits', () => {
  it('blocks test, dev, train in goal order and skip a goal identical to one already used', () => {
    expect(catalog.goals[2]).toEqual(catalog.goals[3]);
    expect(blockSplits(catalog.goals, { test: 2, dev: 1, train: 10 })).toEqual({ test: [0, 1], dev: [2], train: [4, 5] });
  });

  it("with ETO's index files: ETO's test, ETO's train minus test overlaps and duplicates, dev from the rest", () => {
    writeFileSync(join(dir, 'test_indices.json'), '[2, 1]');
    writeFileSync(join(dir, 'train_indices.json'), '[1, 3, 4, 0]');
    expect(etoSplits(dir, catalog.goals, { test: 200, dev: 200, train: 1824 })).toEqual({ test: [2, 1], train: [4, 0], dev: [5] });
    expect(etoSplits(FIXTURE_DIR, catalog.goals, { test: 1, dev: 1, train: 1 })).toBeNull();
  });

  it('names a bad index file', () => {
    writeFileSync(join(dir, 'test_indices.json'), '{"a": 1}');
    expect(() => etoSplits(dir, catalog.goals, { test: 1, dev: 1, train: 1 })).toThrow(DataError);
    expect(() => etoSplits(dir, catalog.goals, { test: 1, dev: 1, train: 1 })).toThrow(/test_indices\.json/);
  });
});
