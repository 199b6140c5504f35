// Which catalogue an env uses, built once per process per configuration: the seeded generator by default,
// or the real WebShop files from `dataDir`. Also the search index over it and the split layout: test, dev
// and train are consecutive blocks of one goal list, so they are disjoint. ETO's released index files are
// not (21 of its 200 test goals are also train goals); we de-duplicate, and the generator makes one goal
// per goal product, so no product is a target in two splits either.
import { EnvError } from '../../errors.ts';
import type { SplitInfo } from '../types.ts';
import { generateCatalog } from './generator.ts';
import { loadCatalog } from './loader.ts';
import { Bm25Index, documentText } from './search.ts';
import type { Catalog, Goal } from './types.ts';

export interface WebShopOptions {
  /** Generated catalogue size (default 5000). */
  products: number;
  /** Seed of the generated catalogue, the goals' price bounds and range prices. */
  seed: number;
  /** A folder with items_shuffle.json, items_ins_v2.json and items_human_ins.json: use the real data. */
  dataDir: string | undefined;
  /** Split sizes (ETO: 1824 train, 200 test; dev is ours, taken from the train side). */
  train: number;
  dev: number;
  test: number;
}

export const DEFAULT_OPTIONS: WebShopOptions = { products: 5000, seed: 0, dataDir: undefined, train: 1824, dev: 200, test: 200 };

export function resolveOptions(raw: Record<string, unknown> = {}): WebShopOptions {
  const options = { ...DEFAULT_OPTIONS };
  for (const key of ['products', 'seed', 'train', 'dev', 'test'] as const) {
    const value = raw[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new EnvError(`webshop: option ${key} must be a non-negative integer, got ${String(value)}`);
    options[key] = value;
  }
  if (raw['dataDir'] !== undefined) options.dataDir = String(raw['dataDir']);
  return options;
}

export interface Shop {
  catalog: Catalog;
  index: Bm25Index;
  options: WebShopOptions;
}

const shops = new Map<string, Shop>();

export function getShop(options: WebShopOptions): Shop {
  const key = JSON.stringify(options);
  let shop = shops.get(key);
  if (!shop) {
    const goalCount = options.train + options.dev + options.test;
    const catalog = options.dataDir === undefined ? generateCatalog({ products: options.products, goals: goalCount, seed: options.seed }) : loadCatalog(options.dataDir, options.seed);
    shop = { catalog, index: new Bm25Index(catalog.products.map(documentText)), options };
    shops.set(key, shop);
  }
  return shop;
}

// Goals are laid out test, dev, train so that a smaller catalogue shrinks train first; all disjoint.
const SPLIT_ORDER = ['test', 'dev', 'train'] as const;

export function splitInfos(options: WebShopOptions, goalCount?: number): SplitInfo[] {
  const available = goalCount ?? Number.POSITIVE_INFINITY;
  let used = 0;
  const sizes: Record<string, number> = {};
  for (const name of SPLIT_ORDER) {
    sizes[name] = Math.max(0, Math.min(options[name], available - used));
    used += sizes[name];
  }
  return [
    { name: 'train', size: sizes['train']!, role: 'train' },
    { name: 'dev', size: sizes['dev']!, role: 'dev' },
    { name: 'test', size: sizes['test']!, role: 'test' },
  ];
}

export function goalAt(shop: Shop, split: string, index: number): Goal {
  const infos = splitInfos(shop.options, shop.catalog.goals.length);
  let offset = 0;
  for (const name of SPLIT_ORDER) {
    const size = infos.find((s) => s.name === name)!.size;
    if (name === split) {
      if (!Number.isInteger(index) || index < 0 || index >= size) throw new EnvError(`webshop: task ${index} is outside split "${split}" (size ${size})`);
      return shop.catalog.goals[offset + index]!;
    }
    offset += size;
  }
  throw new EnvError(`webshop: unknown split "${split}"; expected one of train, dev, test`);
}
