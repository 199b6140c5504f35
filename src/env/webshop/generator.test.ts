import { describe, expect, it } from 'vitest';
import { getShop, goalAt, plannedSplitInfos, resolveOptions } from './catalog.ts';
import { generateCatalog } from './generator.ts';
import { tokenSetRatio } from './reward.ts';
import { KINDS } from './vocab.ts';

describe('generated catalogue', () => {
  const catalog = generateCatalog({ products: 3000, goals: 1200, seed: 4 });

  it('is a function of the seed', () => {
    const again = generateCatalog({ products: 3000, goals: 1200, seed: 4 });
    expect(again.goals).toEqual(catalog.goals);
    expect(again.products.slice(0, 50)).toEqual(catalog.products.slice(0, 50));
    expect(generateCatalog({ products: 3000, goals: 1200, seed: 5 }).goals[0]).not.toEqual(catalog.goals[0]);
  });

  it("covers WebShop's five categories with unique ASINs and many same-kind distractors", () => {
    expect(new Set(catalog.products.map((p) => p.category))).toEqual(new Set(['beauty', 'electronics', 'fashion', 'food', 'furniture']));
    expect(new Set(catalog.products.map((p) => p.asin)).size).toBe(3000);
    for (const p of catalog.products) expect(p.asin).toMatch(/^B0[0-9A-Z]{8}$/);
    const perQuery = new Map<string, number>();
    for (const p of catalog.products) perQuery.set(p.query, (perQuery.get(p.query) ?? 0) + 1);
    expect(Math.min(...perQuery.values())).toBeGreaterThanOrEqual(Math.floor(3000 / KINDS.length));
  });

  it('builds goals from their product: attributes, options, price bound and instruction text', () => {
    for (const goal of catalog.goals) {
      const product = catalog.byAsin.get(goal.asin)!;
      expect(goal.name).toBe(product.name);
      expect(goal.attributes.length).toBeGreaterThan(0);
      for (const a of goal.attributes) expect(product.attributes).toContain(a);
      const values = Object.values(product.options).flat();
      for (const o of goal.goalOptions) expect(values).toContain(o);
      const price = catalog.prices.get(goal.asin)!;
      const above = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150].map((k) => k + Math.floor(price / 10) * 10).filter((b) => b > price).slice(0, 4);
      expect(above.slice(1)).toContain(goal.priceUpper);
      expect(goal.instructionText.endsWith(`, and price lower than ${goal.priceUpper.toFixed(2)} dollars`)).toBe(true);
      // every attribute phrase and option value is in the instruction, so a careful buyer can score 1
      for (const a of goal.attributes) expect(goal.instructionText).toContain(a);
      for (const o of goal.goalOptions) expect(goal.instructionText).toContain(o);
      expect(goal.goalOptions.every((o) => values.some((v) => tokenSetRatio(v, o) > 85))).toBe(true);
    }
  });

  it('prices ranges inside the range', () => {
    for (const p of catalog.products.filter((x) => x.pricing.length === 2)) {
      const price = catalog.prices.get(p.asin)!;
      expect(price).toBeGreaterThanOrEqual(p.pricing[0]!);
      expect(price).toBeLessThanOrEqual(p.pricing[1]!);
    }
  });

  it('splits goals into disjoint train/dev/test of ETO sizes (one goal per product, so no duplicates)', () => {
    const options = resolveOptions({});
    expect(plannedSplitInfos(options, options.products).map((s) => [s.name, s.size, s.role])).toEqual([
      ['train', 1824, 'train'], ['dev', 200, 'dev'], ['test', 200, 'test'],
    ]);
    const shop = getShop(options);
    const asins = (split: string, size: number): string[] => Array.from({ length: size }, (_, i) => goalAt(shop, split, i).asin);
    const all = [...asins('train', 1824), ...asins('dev', 200), ...asins('test', 200)];
    expect(new Set(all).size).toBe(all.length);
    // a small catalogue shrinks train first
    expect(plannedSplitInfos(resolveOptions({ products: 500 }), 500).map((s) => s.size)).toEqual([100, 200, 200]);
  });

  it('rejects bad options and task indices with EnvError messages naming them', () => {
    expect(() => resolveOptions({ products: -1 })).toThrow(/products/);
    const shop = getShop(resolveOptions({}));
    expect(() => goalAt(shop, 'test', 200)).toThrow(/outside split "test"/);
    expect(() => goalAt(shop, 'seen', 0)).toThrow(/unknown split "seen"/);
  });
});
