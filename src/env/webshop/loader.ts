// Reader for the real WebShop data files (items_shuffle.json, items_ins_v2.json, items_human_ins.json) as
// engine.load_products and goal.get_human_goals read them. The product file is streamed element by element
// (the full 1.18M-product file is past Node's string limit); the two smaller files are parsed whole.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../../errors.ts';
import { makeGoal } from './goals.ts';
import { readJsonArray } from './json-array-stream.ts';
import { scoringPrice } from './pricing.ts';
import { PyRandom } from './py-random.ts';
import type { Catalog, Goal, Product } from './types.ts';

export const PRODUCT_FILE = 'items_shuffle.json';
export const ATTRIBUTE_FILE = 'items_ins_v2.json';
export const HUMAN_INSTRUCTION_FILE = 'items_human_ins.json';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isIterable = (value: unknown): value is Iterable<unknown> => typeof value === 'object' && value !== null && Symbol.iterator in value;
const text = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));

/** `"$12.99"` → [12.99]; `"$5.00 - $9.50"` → [5, 9.5]; missing → [100] (load_products' default). */
export function parsePricing(pricing: unknown): number[] {
  const raw = text(pricing);
  if (raw === '') return [100];
  const numbers = raw
    .split('$')
    .slice(1)
    .map((part) => Number(part.replace(/[^\d.]/g, '')))
    .filter((n) => Number.isFinite(n));
  return numbers.length === 0 ? [100] : numbers.slice(0, 2);
}

function parseOptions(raw: unknown): Record<string, string[]> {
  const options: Record<string, string[]> = {};
  if (!isObject(raw)) return options;
  for (const [name, contents] of Object.entries(raw)) {
    if (!Array.isArray(contents)) continue;
    options[name.toLowerCase()] = contents.map((c) => text(isObject(c) ? c['value'] : c).trim().replaceAll('/', ' | ').toLowerCase());
  }
  return options;
}

/** load_products: skip `nan`, over-long and duplicate ASINs; attributes from items_ins_v2 or ['DUMMY_ATTR']. */
export function parseProducts(rawProducts: unknown, attributeFile: unknown, file = PRODUCT_FILE): Product[] {
  if (!Array.isArray(rawProducts) && !isIterable(rawProducts)) throw new DataError(file, undefined, 'expected a JSON array of products');
  const attributes = isObject(attributeFile) ? attributeFile : {};
  const seen = new Set<string>();
  const products: Product[] = [];
  let i = -1;
  for (const raw of rawProducts) {
    i++;
    if (!isObject(raw)) throw new DataError(file, undefined, `product ${i} is not an object`);
    const asin = text(raw['asin']);
    if (asin === 'nan' || asin === '' || asin.length > 10 || seen.has(asin)) continue;
    seen.add(asin);
    const small = raw['small_description'];
    const entry = attributes[asin];
    const productAttributes = isObject(entry) && Array.isArray(entry['attributes']) ? entry['attributes'].map(text) : ['DUMMY_ATTR'];
    products.push({
      asin,
      name: text(raw['name']),
      description: text(raw['full_description']),
      bulletPoints: Array.isArray(small) ? small.map(text) : [text(small)],
      options: parseOptions(raw['customization_options']),
      attributes: productAttributes,
      pricing: parsePricing(raw['pricing']),
      productCategory: text(raw['product_category']),
      category: text(raw['category']),
      query: text(raw['query']).toLowerCase().trim(),
    });
  }
  return products;
}

/**
 * get_human_goals: products in file order, each one's instructions in order, empty attribute lists skipped,
 * then `random.seed(233); random.shuffle(goals)` bit for bit, so goal i is WebShop's (and ETO's) goal i.
 */
export function parseHumanGoals(products: Product[], humanFile: unknown, prices: Map<string, number>, seed: number, file = HUMAN_INSTRUCTION_FILE): Goal[] {
  if (!isObject(humanFile)) throw new DataError(file, undefined, 'expected a JSON object keyed by ASIN');
  const goals: Goal[] = [];
  for (const product of products) {
    const entries = humanFile[product.asin];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      if (!isObject(entry)) throw new DataError(file, undefined, `${product.asin}: an instruction is not an object`);
      const attributes = Array.isArray(entry['instruction_attributes']) ? entry['instruction_attributes'].map(text) : [];
      if (attributes.length === 0) continue;
      const rawOptions = entry['instruction_options'];
      const goalOptions = Array.isArray(rawOptions) ? rawOptions.map(text) : isObject(rawOptions) ? Object.values(rawOptions).map(text) : [];
      goals.push(makeGoal(product, text(entry['instruction']), attributes, goalOptions, prices.get(product.asin)!, seed));
    }
  }
  return new PyRandom(233).shuffle(goals);
}

export function buildCatalog(rawProducts: unknown, attributeFile: unknown, humanFile: unknown, seed: number): Catalog {
  const products = parseProducts(rawProducts, attributeFile);
  const prices = new Map(products.map((p) => [p.asin, scoringPrice(p.asin, p.pricing, seed)]));
  const goals = parseHumanGoals(products, humanFile, prices, seed);
  return { products, byAsin: new Map(products.map((p) => [p.asin, p])), goals, prices };
}

function readJson(path: string): unknown {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (error) {
    throw new DataError(path, undefined, `cannot read: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(source);
  } catch (error) {
    throw new DataError(path, undefined, `not valid JSON: ${(error as Error).message}`);
  }
}

export function loadCatalog(dataDir: string, seed: number): Catalog {
  for (const file of [PRODUCT_FILE, ATTRIBUTE_FILE, HUMAN_INSTRUCTION_FILE]) {
    if (!existsSync(join(dataDir, file))) throw new DataError(join(dataDir, file), undefined, 'cannot read: no such file (WebShop data: items_shuffle.json, items_ins_v2.json, items_human_ins.json)');
  }
  return buildCatalog(readJsonArray(join(dataDir, PRODUCT_FILE)), readJson(join(dataDir, ATTRIBUTE_FILE)), readJson(join(dataDir, HUMAN_INSTRUCTION_FILE)), seed);
}
