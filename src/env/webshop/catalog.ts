// Which catalogue an env uses, built once per process per configuration: the seeded generator by default,
// or the real WebShop files from `dataDir`; the search index over it; and the splits (splits.ts). Splits are
// disjoint: ETO's released index files are not (21 of its 200 test goals are also train goals), so we
// de-duplicate; the generator makes one goal per goal product, so no product is a target in two splits.
import { EnvError } from '../../errors.ts';
import type { SplitInfo } from '../types.ts';
import { generateCatalog } from './generator.ts';
import { loadCatalog } from './loader.ts';
import { Bm25Index, documentText } from './search.ts';
import { blockSplits, etoSplits, type SplitIndices, type SplitName } from './splits.ts';
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
  splits: SplitIndices;
}

const shops = new Map<string, Shop>();

export function getShop(options: WebShopOptions): Shop {
  const key = JSON.stringify(options);
  let shop = shops.get(key);
  if (!shop) {
    const goalCount = options.train + options.dev + options.test;
    const catalog = options.dataDir === undefined ? generateCatalog({ products: options.products, goals: goalCount, seed: options.seed }) : loadCatalog(options.dataDir, options.seed);
    const splits = (options.dataDir === undefined ? null : etoSplits(options.dataDir, catalog.goals, options)) ?? blockSplits(catalog.goals, options);
    shop = { catalog, index: new Bm25Index(catalog.products.map(documentText)), options, splits };
    shops.set(key, shop);
  }
  return shop;
}

const SPLIT_ORDER: readonly SplitName[] = ['test', 'dev', 'train'];

/** Split sizes for a generated catalogue of `goalCount` unique goals, without building it. */
export function plannedSplitInfos(options: WebShopOptions, goalCount: number): SplitInfo[] {
  let left = goalCount;
  const sizes = { train: 0, dev: 0, test: 0 };
  for (const name of SPLIT_ORDER) {
    sizes[name] = Math.max(0, Math.min(options[name], left));
    left -= sizes[name];
  }
  return describeSplits(sizes);
}

export function shopSplitInfos(shop: Shop): SplitInfo[] {
  return describeSplits({ train: shop.splits.train.length, dev: shop.splits.dev.length, test: shop.splits.test.length });
}

function describeSplits(sizes: Record<SplitName, number>): SplitInfo[] {
  return [
    { name: 'train', size: sizes.train, role: 'train' },
    { name: 'dev', size: sizes.dev, role: 'dev' },
    { name: 'test', size: sizes.test, role: 'test' },
  ];
}

export function goalAt(shop: Shop, split: string, index: number): Goal {
  if (split !== 'train' && split !== 'dev' && split !== 'test') throw new EnvError(`webshop: unknown split "${split}"; expected one of train, dev, test`);
  const indices = shop.splits[split];
  if (!Number.isInteger(index) || index < 0 || index >= indices.length) throw new EnvError(`webshop: task ${index} is outside split "${split}" (size ${indices.length})`);
  return shop.catalog.goals[indices[index]!]!;
}
