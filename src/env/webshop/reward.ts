// WebShop's purchase reward exactly as goal.get_reward computes it (benchmarks.md §1.7): type factor from
// query/category/title nouns, fuzzy attribute and option matches, the price point, and the formula.
// Nouns come from wink-nlp's tagger instead of spaCy's en_core_web_lg, so a few titles tag differently.
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { COLOR_SET } from './colors.ts';
import { tokenSetRatio } from './fuzz.ts';

export { tokenSetRatio } from './fuzz.ts';

export interface RewardGoal {
  query: string;
  category: string;
  productCategory: string;
  name: string;
  attributes: string[];
  goalOptions: string[];
  priceUpper: number;
}

export interface RewardProduct {
  query: string;
  category: string;
  productCategory: string;
  /** The title. */
  name: string;
  attributes: string[];
  description: string;
  bulletPoints: string[];
}

export interface RewardDetails {
  reward: number;
  typeReward: number;
  titleScore: number;
  queryMatch: boolean;
  categoryMatch: boolean;
  attributeMatches: number;
  optionMatches: number;
  priceOk: boolean;
}

/** The first colour-list entry that is a substring of `value`, else `value` (`washable` → `ash`). */
export function normalizeColor(value: string): string {
  for (const color of COLOR_SET) if (value.includes(color)) return color;
  return value;
}

let tagger: ReturnType<typeof winkNLP> | undefined;
const nounCache = new Map<string, string[]>();

/** Lowercased NOUN/PROPN tokens of a title, duplicates kept (the denominator counts them). */
export function titleNouns(title: string): string[] {
  const cached = nounCache.get(title);
  if (cached) return cached;
  tagger ??= winkNLP(model, ['pos']);
  const tokens = tagger.readDoc(title).tokens();
  const values = tokens.out(tagger.its.value);
  const tags = tokens.out(tagger.its.pos);
  const nouns = values.filter((_, i) => tags[i] === 'NOUN' || tags[i] === 'PROPN').map((v) => v.toLowerCase());
  if (nounCache.size > 50_000) nounCache.clear();
  nounCache.set(title, nouns);
  return nouns;
}

function categoryParts(productCategory: string): Set<string> {
  return new Set(productCategory.split('›').map((part) => part.trim()));
}

/** get_type_reward: 1, 0.5 when nothing ties the purchase to the goal, 0.1 / 0 for weak or no title overlap. */
export function typeReward(goal: RewardGoal, product: RewardProduct): Pick<RewardDetails, 'typeReward' | 'titleScore' | 'queryMatch' | 'categoryMatch'> {
  const queryMatch = product.query === goal.query;
  const goalParts = categoryParts(goal.productCategory);
  let shared = 0;
  for (const part of categoryParts(product.productCategory)) if (goalParts.has(part)) shared++;
  const categoryMatch = shared >= 2;
  const goalNouns = titleNouns(goal.name);
  const productNouns = new Set(titleNouns(product.name));
  let titleScore = 0.2;
  if (goalNouns.length > 0) {
    const common = new Set(goalNouns.filter((noun) => productNouns.has(noun)));
    titleScore = common.size / goalNouns.length;
  }
  let value = 1;
  if (!(queryMatch || categoryMatch || titleScore > 0.2)) value = 0.5;
  if (titleScore < 0.1) value = 0.1;
  if (titleScore === 0) value = 0;
  return { typeReward: value, titleScore, queryMatch, categoryMatch };
}

function attributeMatches(goal: RewardGoal, product: RewardProduct): number {
  const title = product.name.toLowerCase();
  const bullets = product.bulletPoints.join(' ').toLowerCase();
  const description = product.description.toLowerCase();
  let matches = 0;
  for (const wanted of goal.attributes) {
    const fuzzy = product.attributes.some((have) => tokenSetRatio(have, wanted) > 85);
    if (fuzzy || title.includes(wanted) || bullets.includes(wanted) || description.includes(wanted)) matches++;
  }
  return matches;
}

function optionMatches(goal: RewardGoal, selectedOptions: Record<string, string>): number {
  const chosen = Object.values(selectedOptions).map(normalizeColor);
  let matches = 0;
  for (const wanted of goal.goalOptions.map(normalizeColor)) {
    if (chosen.some((value) => tokenSetRatio(value, wanted) > 85)) matches++;
  }
  return matches;
}

export function webshopRewardDetails(
  goal: RewardGoal,
  product: RewardProduct,
  selectedOptions: Record<string, string>,
  price: number,
): RewardDetails {
  const type = typeReward(goal, product);
  const attributes = attributeMatches(goal, product);
  const options = optionMatches(goal, selectedOptions);
  const priceOk = price <= goal.priceUpper;
  const total = attributes + options + (priceOk ? 1 : 0);
  const reward = (total / (goal.attributes.length + goal.goalOptions.length + 1)) * type.typeReward;
  return { reward, ...type, attributeMatches: attributes, optionMatches: options, priceOk };
}

/** The purchase reward in [0, 1]. */
export function webshopReward(goal: RewardGoal, product: RewardProduct, selectedOptions: Record<string, string>, price: number): number {
  return webshopRewardDetails(goal, product, selectedOptions, price).reward;
}
