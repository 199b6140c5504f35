// Goal construction shared by the real-data loader and the generator: one goal per (product, instruction),
// with the seeded price bound and `instruction.strip('.') + price_text` as get_human_goals builds it.
import { hashString, Rng } from '../../rng.ts';
import { priceUpper } from './pricing.ts';
import type { Goal, Product } from './types.ts';

/** Python's str.strip('.'): dots removed from both ends. */
function stripDots(text: string): string {
  return text.replace(/^\.+|\.+$/g, '');
}

export function makeGoal(product: Product, instruction: string, attributes: string[], goalOptions: string[], price: number, seed: number): Goal {
  // WebShop samples the bound unseeded; here it is a function of (seed, asin, instruction).
  const bound = priceUpper(price, new Rng(hashString(`${product.asin}\n${instruction}`) ^ seed));
  return {
    asin: product.asin,
    category: product.category,
    query: product.query,
    name: product.name,
    productCategory: product.productCategory,
    attributes,
    goalOptions,
    priceUpper: bound.priceUpper,
    instructionText: stripDots(instruction) + bound.text,
  };
}
