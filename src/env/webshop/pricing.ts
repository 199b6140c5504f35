// Prices as WebShop shows and scores them: Python float repr in the `$…` strings, one seeded draw inside a
// range (WebShop draws it unseeded at server start), and the goal's price bound from PRICE_RANGE.
import { hashString, Rng } from '../../rng.ts';

/** Python's repr of a float: integers keep `.0` (`5.0`, `100.0`), others print their shortest form. */
export function pyFloat(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return `${value}.0`;
  return String(value);
}

/** `$64.98`, `$5.0 to $9.5`, or `$100.0` when the data had no price. */
export function priceText(pricing: readonly number[]): string {
  if (pricing.length === 0) return '$100.0';
  if (pricing.length === 1) return `$${pyFloat(pricing[0]!)}`;
  return `$${pyFloat(pricing[0]!)} to $${pyFloat(pricing[1]!)}`;
}

/** The scored price: the single price, a seeded uniform draw in a range, or 100.0. */
export function scoringPrice(asin: string, pricing: readonly number[], seed: number): number {
  if (pricing.length === 0) return 100;
  if (pricing.length === 1) return pricing[0]!;
  const [low, high] = [pricing[0]!, pricing[1]!];
  return low + new Rng(hashString(asin) ^ seed).next() * (high - low);
}

/**
 * get_human_goals' bound: the first four multiples of 10 (10…990) above the price, two drawn without
 * replacement, the larger kept. Fewer than two candidates → 1000000 and no price text.
 */
export function priceUpper(price: number, rng: Rng): { priceUpper: number; text: string } {
  const candidates: number[] = [];
  for (let bound = 10; bound < 1000 && candidates.length < 4; bound += 10) if (bound > price) candidates.push(bound);
  if (candidates.length < 2) return { priceUpper: 1000000, text: '' };
  const [first, second] = rng.shuffle(candidates);
  const upper = Math.max(first!, second!);
  return { priceUpper: upper, text: `, and price lower than ${upper.toFixed(2)} dollars` };
}
