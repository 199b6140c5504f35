// The built-in seeded catalogue: products of WebShop's five categories with many same-kind distractors
// per goal product (so search matters), and one goal per goal product with a templated instruction.
// Invented text only; a real product file is read by loader.ts instead.
import { Rng } from '../../rng.ts';
import { makeGoal } from './goals.ts';
import { scoringPrice } from './pricing.ts';
import type { Catalog, Goal, Product } from './types.ts';
import { BRAND_PARTS, KINDS, type ProductKind } from './vocab.ts';

export interface GeneratorOptions {
  products: number;
  goals: number;
  seed: number;
}

const titleCase = (text: string): string => text.replace(/(^|[\s-])(\p{L})/gu, (_, space: string, letter: string) => space + letter.toUpperCase());

function pickSome<T>(rng: Rng, items: readonly T[], low: number, high: number): T[] {
  const count = Math.min(items.length, low + rng.int(high - low + 1));
  const chosen = new Set(rng.shuffle(items.map((_, i) => i)).slice(0, count));
  return items.filter((_, i) => chosen.has(i)); // data order kept, as option lists are
}

function makeAsin(rng: Rng, used: Set<string>): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (;;) {
    let asin = 'B0';
    for (let i = 0; i < 8; i++) asin += alphabet[rng.int(alphabet.length)];
    if (!used.has(asin)) {
      used.add(asin);
      return asin;
    }
  }
}

function makePrice(rng: Rng, [low, high]: readonly [number, number]): number[] {
  const base = low + rng.next() * (high - low);
  const price = rng.next() < 0.5 ? Math.floor(base) + 0.99 : Math.round(base * 100) / 100;
  if (rng.next() < 0.12) return [price, Math.round(price * (1.2 + rng.next() * 0.6) * 100) / 100];
  return [price];
}

const DESCRIPTION_OPENERS = [
  (brand: string, mod: string, noun: string) => `The ${brand} ${mod.toLowerCase()} ${noun} is made for everyday use.`,
  (brand: string, mod: string, noun: string) => `Meet the ${mod.toLowerCase()} ${noun} by ${brand}.`,
  (_brand: string, mod: string, noun: string) => `A ${mod.toLowerCase()} ${noun} that fits your routine.`,
];
const BULLET_TEMPLATES = [
  (attr: string) => `${attr.toUpperCase()}: designed with care so you can rely on it every day`,
  (attr: string) => `${titleCase(attr)} - a customer favourite for good reason`,
  (attr: string) => `Why you will love it: ${attr} and made to last`,
];

function makeProduct(kind: ProductKind, rng: Rng, used: Set<string>, brands: readonly string[]): Product {
  const brand = rng.pick(brands);
  const modifier = rng.pick(kind.modifiers);
  const attributes = pickSome(rng, kind.attributes, 2, 4);
  const options: Record<string, string[]> = {};
  for (const pool of kind.options) if (rng.next() < pool.chance) options[pool.name] = pickSome(rng, pool.values, 2, 6);
  const titleParts = [`${brand} ${modifier} ${titleCase(kind.noun)}`];
  if (rng.next() < 0.5) titleParts.push(titleCase(rng.pick(attributes)));
  const sizes = options['size'];
  if (sizes && rng.next() < 0.4) titleParts.push(rng.pick(sizes));
  const described = attributes.filter(() => rng.next() < 0.5);
  const description = [
    rng.pick(DESCRIPTION_OPENERS)(brand, modifier, kind.noun),
    described.length > 0 ? `It is ${described.join(' and ')}.` : '',
    rng.next() < 0.5 ? `Loved by ${rng.int(9) + 1},000 happy customers.` : 'Backed by our satisfaction guarantee.',
  ].filter((s) => s.length > 0).join(' ');
  const bulletPoints = attributes.slice(0, 3).map((attr) => rng.pick(BULLET_TEMPLATES)(attr));
  bulletPoints.push(`Package includes one ${kind.noun}`);
  return {
    asin: makeAsin(rng, used),
    name: titleParts.join(', '),
    description,
    bulletPoints,
    options,
    attributes,
    pricing: makePrice(rng, kind.price),
    productCategory: kind.breadcrumb.join(' › '),
    category: kind.category,
    query: kind.query,
  };
}

const article = (phrase: string): string => (/^[aeiou]/.test(phrase) ? 'an' : 'a');

/** A buyer's sentence naming some attributes and options (lowercase, like WebShop's human instructions). */
function makeInstruction(rng: Rng, noun: string, attributes: string[], options: [string, string][]): string {
  const attrs = attributes.join(' and ');
  const optionPhrases = options.map(([name, value]) => rng.pick(name === 'size' ? [`in size ${value}`, `${value} size`, `size ${value}`] : [`in ${value} ${name}`, `with ${name} ${value}`, `${value} ${name}`]));
  const opts = optionPhrases.join(' and ');
  const withOpts = opts.length > 0 ? ` ${opts}` : '';
  const templates = [
    () => `i need ${article(attrs)} ${attrs} ${noun}${withOpts}`,
    () => `i am looking for ${article(attrs)} ${attrs} ${noun}${withOpts}`,
    () => `find me ${article(noun)} ${noun} that is ${attrs}${withOpts}`,
    () => `i want to buy ${article(noun)} ${noun} which is ${attrs}${opts.length > 0 ? `, and ${opts}` : ''}`,
    () => `help me find ${article(attrs)} ${attrs} ${noun}${withOpts}`,
    () => `i'm looking for ${noun} that is ${attrs}${withOpts}`,
  ];
  return rng.pick(templates)();
}

function makeGeneratedGoal(product: Product, kind: ProductKind, price: number, seed: number): Goal {
  const rng = new Rng(seed).fork(product.asin);
  const want = Math.min(product.attributes.length, rng.next() < 0.4 ? 1 : rng.next() < 0.75 ? 2 : 3);
  const attributes = rng.shuffle(product.attributes).slice(0, want);
  const options: [string, string][] = [];
  for (const [name, values] of Object.entries(product.options)) if (rng.next() < 0.7) options.push([name, rng.pick(values)]);
  const instruction = makeInstruction(rng, kind.noun, attributes, options);
  return makeGoal(product, instruction, attributes, options.map(([, value]) => value), price, seed);
}

export function generateCatalog({ products: productCount, goals: goalCount, seed }: GeneratorOptions): Catalog {
  const rng = new Rng(seed);
  const brands = Array.from({ length: 120 }, () => rng.pick(BRAND_PARTS.first) + rng.pick(BRAND_PARTS.second));
  const used = new Set<string>();
  const products: Product[] = [];
  const kindOf: ProductKind[] = [];
  for (let i = 0; i < productCount; i++) {
    const kind = KINDS[i % KINDS.length]!;
    kindOf.push(kind);
    products.push(makeProduct(kind, rng.fork(i), used, brands));
  }
  const prices = new Map(products.map((p) => [p.asin, scoringPrice(p.asin, p.pricing, seed)]));
  // goal products: a seeded permutation, so the splits draw from every kind
  const order = rng.shuffle(products.map((_, i) => i)).slice(0, Math.min(goalCount, productCount));
  const goals = order.map((i) => makeGeneratedGoal(products[i]!, kindOf[i]!, prices.get(products[i]!.asin)!, seed));
  return { products, byAsin: new Map(products.map((p) => [p.asin, p])), goals, prices };
}
