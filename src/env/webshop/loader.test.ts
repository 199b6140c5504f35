import { describe, expect, it } from 'vitest';
import { DataError } from '../../errors.ts';
import { makeGoal } from './goals.ts';
import { buildCatalog, loadCatalog, parsePricing } from './loader.ts';
import { priceText, scoringPrice } from './pricing.ts';
import { FIXTURE_DIR } from './test-shop.ts';
import type { Goal, Product } from './types.ts';

// The fixture's data written out by hand as load_products would leave it.
const EXPECTED_PRODUCTS: Product[] = [
  {
    asin: 'B000VOHH8I', name: "L'eau D'issey By Issey Miyake for MenEau De Toilette Spray, 6.7 Fl Oz Bottle",
    description: 'A fresh aquatic fragrance for men.', bulletPoints: ['Long lasting aquatic scent', '6.7 fl oz spray bottle'],
    options: { size: ['2.5 fl oz', '6.76 fl oz (pack of 1)'] }, attributes: ['long lasting', 'fresh scent'], pricing: [64.98],
    productCategory: "Beauty & Personal Care › Fragrance › Men's › Eau de Toilette", category: 'beauty', query: "men's fragrance",
  },
  {
    asin: 'B000MJZOPK', name: "L'eau d'Issey by Issey Miyake for Women 3.3 oz Eau de Toilette Spray", description: '',
    bulletPoints: ['Floral fragrance for women'], options: {}, attributes: ['DUMMY_ATTR'], pricing: [49.98],
    productCategory: "Beauty & Personal Care › Fragrance › Women's › Eau de Toilette", category: 'beauty', query: "women's fragrance",
  },
  {
    asin: 'B09SHIRT01', name: 'Classic Fit Cotton T-Shirt for Men', description: 'Soft cotton tee, machine wash.',
    bulletPoints: ['Machine wash cold', 'Classic fit'], options: { color: ['navy blue', 'heather grey | black'], size: ['small', 'large', 'x-large'] },
    attributes: ['machine wash', 'classic fit', 'cotton'], pricing: [12.99, 19.99],
    productCategory: 'Clothing, Shoes & Jewelry › Men › Clothing › Shirts › T-Shirts', category: 'fashion', query: "men's t-shirt",
  },
  {
    asin: 'B0CHAIR001', name: 'Ergonomic Office Chair with Lumbar Support', description: 'Mesh back office chair.',
    bulletPoints: ['Height adjustable seat'], options: { color: ['black', 'white'] }, attributes: ['DUMMY_ATTR'], pricing: [100],
    productCategory: 'Home & Kitchen › Furniture › Home Office Furniture › Home Office Chairs', category: 'furniture', query: 'office chair',
  },
  {
    asin: 'B0TEA00001', name: 'Organic Chamomile Herbal Tea, 20 Count', description: 'Caffeine free chamomile tea bags.',
    bulletPoints: ['USDA organic', 'Caffeine free'], options: { size: ['20 count (pack of 6)', '20 count'] }, attributes: ['caffeine free', 'usda organic'],
    pricing: [5], productCategory: 'Grocery & Gourmet Food › Beverages › Coffee, Tea & Cocoa › Tea › Herbal', category: 'food', query: 'herbal tea',
  },
];

const byAsin = new Map(EXPECTED_PRODUCTS.map((p) => [p.asin, p]));
const SEED = 7;
const price = (asin: string): number => scoringPrice(asin, byAsin.get(asin)!.pricing, SEED);
const goal = (asin: string, instruction: string, attributes: string[], options: string[]): Goal =>
  makeGoal(byAsin.get(asin)!, instruction, attributes, options, price(asin), SEED);

// One goal per human instruction with attributes, products in file order (empty-attribute ones skipped;
// the chair's instruction from a second worker is a duplicate goal, as in WebShop's own list).
const CHAIR = goal('B0CHAIR001', 'i need an ergonomic office chair with lumbar support in black', ['lumbar support'], ['black']);
const BEFORE_SHUFFLE: Goal[] = [
  goal('B000VOHH8I', "i need a long lasting 6.76 fl oz bottle of l'eau d'issey.", ['long lasting'], ['6.76 fl oz (pack of 1)']),
  goal('B09SHIRT01', 'i want a machine wash classic fit t-shirt in navy blue, size large', ['machine wash', 'classic fit'], ['navy blue', 'large']),
  goal('B09SHIRT01', '...find me a cotton tee...', ['cotton'], []),
  CHAIR,
  CHAIR,
  goal('B0TEA00001', "i'm looking for caffeine free herbal tea, 20 count pack of 6", ['caffeine free', 'usda organic'], ['20 count (pack of 6)']),
];
// CPython 3.11: random.seed(233); x = list(range(6)); random.shuffle(x) → [2, 0, 3, 4, 1, 5]
const EXPECTED_GOALS = [2, 0, 3, 4, 1, 5].map((i) => BEFORE_SHUFFLE[i]!);

describe('real-format loader', () => {
  const catalog = loadCatalog(FIXTURE_DIR, SEED);

  it('reads the same products as the data built in memory (nan, long and duplicate ASINs skipped)', () => {
    expect(catalog.products).toEqual(EXPECTED_PRODUCTS);
    expect(catalog.byAsin.get('B000VOHH8I')!.name).not.toBe('Duplicate of the first product');
  });

  it("reads the same goals in WebShop's shuffled order, with strip('.') instructions and the price text", () => {
    expect(catalog.goals).toEqual(EXPECTED_GOALS);
    const tee = catalog.goals.find((g) => g.attributes[0] === 'cotton')!;
    expect(tee.instructionText.startsWith('find me a cotton tee, and price lower than ')).toBe(true);
  });

  it('draws price bounds from the next four multiples of 10 and range prices inside the range', () => {
    const shirtPrice = catalog.prices.get('B09SHIRT01')!;
    expect(shirtPrice).toBeGreaterThanOrEqual(12.99);
    expect(shirtPrice).toBeLessThanOrEqual(19.99);
    const tea = catalog.goals.find((g) => g.asin === 'B0TEA00001')!;
    expect([20, 30, 40]).toContain(tea.priceUpper); // price 5 → candidates 10, 20, 30, 40; the larger of two
    expect(tea.instructionText).toMatch(/, and price lower than (20|30|40)\.00 dollars$/);
    expect(catalog.prices.get('B0CHAIR001')).toBe(100);
  });

  it('parses price strings and prints them as Python floats', () => {
    expect(parsePricing('$12.99 - $19.99')).toEqual([12.99, 19.99]);
    expect(parsePricing('$1,299.00')).toEqual([1299]);
    expect(parsePricing(undefined)).toEqual([100]);
    expect(priceText([5])).toBe('$5.0');
    expect(priceText([12.99, 19.99])).toBe('$12.99 to $19.99');
    expect(priceText([100])).toBe('$100.0');
  });

  it('names the file when the data has the wrong shape', () => {
    expect(() => buildCatalog({}, {}, {}, 0)).toThrow(DataError);
    expect(() => buildCatalog([], {}, [], 0)).toThrow(/items_human_ins\.json/);
    expect(() => loadCatalog('/nonexistent-dir', 0)).toThrow(/items_shuffle\.json.*cannot read/);
  });
});
