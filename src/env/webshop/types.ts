// The WebShop world's data: products (as engine.load_products leaves them) and goals (as
// goal.get_human_goals builds them). Field names follow the reward's documented inputs.

export interface Product {
  /** Upper-case id, at most 10 characters. */
  asin: string;
  /** The title. */
  name: string;
  description: string;
  bulletPoints: string[];
  /** Option name (lowercase) → values (lowercase, `/` replaced by ` | `), in data order. */
  options: Record<string, string[]>;
  /** Short lowercase phrases from items_ins_v2.json, or ['DUMMY_ATTR']. */
  attributes: string[];
  /** One price, or a [low, high] range; empty when the data had none (shown and scored as 100.0). */
  pricing: number[];
  /** Breadcrumb joined with ` › `. */
  productCategory: string;
  /** Coarse category, e.g. `beauty`. */
  category: string;
  /** The crawl query, lowercased. */
  query: string;
}

export interface Goal {
  asin: string;
  category: string;
  query: string;
  /** The target product's title. */
  name: string;
  productCategory: string;
  /** instruction_attributes (non-empty). */
  attributes: string[];
  /** instruction_options: option values the buyer asked for (may be empty). */
  goalOptions: string[];
  priceUpper: number;
  /** The instruction as shown on every page, with the price text. */
  instructionText: string;
}

/** A loaded or generated catalogue: products in file order and the goal list in index order. */
export interface Catalog {
  products: Product[];
  byAsin: Map<string, Product>;
  goals: Goal[];
  /** The price each product is scored at (a range's price is drawn once, seeded). */
  prices: Map<string, number>;
}
