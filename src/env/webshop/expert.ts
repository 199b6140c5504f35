// The scripted WebShop expert: searches with keywords taken from the instruction, opens the goal product
// when the results show it (else the likeliest-looking hit, or the next page), selects the asked-for
// options, sometimes reads the description first, and buys. Seeded slips (a skipped or wrong option, a
// look-alike product, a terse search) keep it realistically imperfect, as ETO's kept demonstrations are.
import { Rng } from '../../rng.ts';
import type { ScriptedAgent } from '../types.ts';
import { RESULTS_PER_PAGE } from './pages.ts';
import { normalizeColor, tokenSetRatio } from './reward.ts';
import type { Product } from './types.ts';
import type { WebShopEnv } from './webshop-env.ts';

const LEADS = /^(i need|i am looking for|i'm looking for|find me|i want to buy|help me find|i want|get me|looking for|i would like)\s+(an?\s+)?/;
const FILLER = new Set(['that', 'is', 'which', 'with', 'in', 'and', 'a', 'an', 'the', 'of', 'for', 'me', 'it', 'size', 'color', 'flavor', 'scent']);

/** Search keywords from an instruction: no price text, no lead-in, mostly no filler words. */
export function keywordsFrom(instruction: string, rng: Rng): string {
  const body = instruction.replace(/,? and price lower than [\d.]+ dollars$/, '').replace(LEADS, '').replace(/,/g, '');
  const words = body.split(/\s+/).filter((w) => w.length > 0);
  const kept = rng.next() < 0.25 ? words : words.filter((w) => !FILLER.has(w));
  return kept.join(' ');
}

const pick = <T>(rng: Rng, items: readonly T[]): T => rng.pick(items);

function bestOptionValue(product: Product, wanted: string): string | undefined {
  const target = normalizeColor(wanted);
  for (const values of Object.values(product.options)) {
    const exact = values.find((v) => v === wanted);
    if (exact) return exact;
  }
  for (const values of Object.values(product.options)) {
    const close = values.find((v) => tokenSetRatio(normalizeColor(v), target) > 85);
    if (close) return close;
  }
  return undefined;
}

/** How much a hit's title looks like what the instruction asks for (shared words). */
function resemblance(title: string, instruction: string): number {
  const words = new Set(instruction.toLowerCase().split(/[^a-z0-9.]+/));
  return title.toLowerCase().split(/[^a-z0-9.]+/).filter((w) => w.length > 2 && words.has(w)).length;
}

export function createWebShopExpert(env: WebShopEnv, seed: number): ScriptedAgent {
  const goal = env.goal;
  const rng = new Rng(seed).fork(`${goal.asin}|${goal.instructionText}`);
  let steps = 0;
  let searches = 0;
  let checkedDetails = false;
  // option values to click, each marked when it is a slip (so its thought does not claim the instruction asked for it)
  const pendingOptions: { value: string; slip: boolean }[] = [];
  let plannedCheck = rng.next() < 0.35 ? pick(rng, ['description', 'features'] as const) : undefined;

  const reply = (thought: string, action: string): string => {
    steps++;
    return `Thought: ${thought}\nAction: ${action}`;
  };

  function planOptions(product: Product): void {
    pendingOptions.length = 0;
    for (const wanted of goal.goalOptions) {
      const roll = rng.next();
      if (roll < 0.13) continue; // forgets this option
      const value = bestOptionValue(product, wanted);
      if (value === undefined) continue;
      const siblings = Object.values(product.options).find((values) => values.includes(value)) ?? [];
      if (roll < 0.21 && siblings.length > 1) pendingOptions.push({ value: pick(rng, siblings.filter((v) => v !== value)), slip: true });
      else pendingOptions.push({ value, slip: false });
    }
  }

  function onSearchPage(): string {
    searches++;
    const keywords = searches > 1 ? `${goal.attributes[0] ?? ''} ${keywordsFrom(goal.instructionText, rng).split(' ').slice(-3).join(' ')}`.trim() : keywordsFrom(goal.instructionText, rng);
    const withPrice = goal.priceUpper < 1000000 && rng.next() < 0.2 ? `${keywords} price < ${goal.priceUpper.toFixed(2)}` : keywords;
    const thought = pick(rng, [
      'I think I should use the search bar to look for the product I need.',
      `I need to search for ${keywords}, keeping the important attributes in the query.`,
      `I should start by searching for the key words of the request: ${keywords}.`,
      'Let me search with the main features from the instruction so the right product shows up.',
    ]);
    return reply(thought, `search[${withPrice}]`);
  }

  function onResultsPage(view: { page: number; asins: string[] }): string {
    const shown = view.asins.slice((view.page - 1) * RESULTS_PER_PAGE, view.page * RESULTS_PER_PAGE);
    const goalRank = view.asins.indexOf(goal.asin);
    const goalHere = shown.includes(goal.asin);
    if (goalHere && rng.next() > 0.14) {
      const product = env.product(goal.asin)!;
      planOptions(product);
      return reply(
        pick(rng, [
          `I think I should click on the product I need, which is ${goal.asin}.`,
          `${goal.asin} matches what I am looking for and is within my budget, so I will open it.`,
          `The item ${goal.asin} looks like the right ${goal.query}; let me check its options.`,
          `"${product.name}" fits the request, so I will open ${goal.asin}.`,
        ]),
        `click[${goal.asin}]`,
      );
    }
    if (!goalHere && goalRank >= 0 && view.page < 3 && steps < 5 && rng.next() < 0.7) {
      return reply(pick(rng, ['None of these results fit all my requirements, so I will check the next page.', 'I think I should look at the next page of results for a better match.']), 'click[Next >]');
    }
    const candidates = shown.map((asin) => env.product(asin)!).filter((p) => p !== undefined);
    if (candidates.length === 0 || (resemblance(candidates[0]!.name, goal.instructionText) === 0 && searches < 2 && steps < 6)) {
      return reply('These results do not look like what I want; I should search again with fewer, more specific words.', 'click[Back to Search]');
    }
    const affordable = candidates.filter((p) => (env.shop.catalog.prices.get(p.asin) ?? 0) <= goal.priceUpper);
    const pool = affordable.length > 0 ? affordable : candidates;
    const best = pool.reduce((a, b) => (resemblance(b.name, goal.instructionText) > resemblance(a.name, goal.instructionText) ? b : a));
    planOptions(best);
    return reply(
      pick(rng, [`I think ${best.asin} is the closest match to my requirements among these results.`, `"${best.name}" looks closest to what I need, so I will open ${best.asin}.`]),
      `click[${best.asin}]`,
    );
  }

  function onItemPage(asin: string): string {
    if (steps >= 8) return reply('I am running out of time, so I will buy this product now.', 'click[Buy Now]');
    const next = pendingOptions.shift();
    if (next !== undefined) {
      const { value, slip } = next;
      const name = Object.entries(env.product(asin)!.options).find(([, values]) => values.includes(value))?.[0] ?? 'option';
      const thoughts = slip
        ? [`I think I should click on the '${value}' option for the ${name}.`, `Let me pick ${value} as the ${name}.`]
        : [
            `I think I should click on the '${value}' option to select the ${name} I need.`,
            `The instruction asks for ${value}, so I will select it as the ${name}.`,
            `I need the ${name} to be ${value}; let me choose that option.`,
          ];
      return reply(pick(rng, thoughts), `click[${value}]`);
    }
    if (plannedCheck && !checkedDetails) {
      checkedDetails = true;
      const tab = plannedCheck;
      plannedCheck = undefined;
      return reply(`Before buying, I want to read the ${tab} to check that it fits "${goal.attributes[0] ?? 'what I need'}".`, `click[${tab === 'description' ? 'Description' : 'Features'}]`);
    }
    return reply(
      pick(rng, [
        "I think I should click on the 'Buy Now' button to purchase the product.",
        'Everything I need is selected and the price is within budget, so I will buy it now.',
        'This product meets the requirements, so I will click Buy Now.',
      ]),
      'click[Buy Now]',
    );
  }

  return {
    act(): string {
      const view = env.view;
      switch (view.kind) {
        case 'search':
          return onSearchPage();
        case 'results':
          return onResultsPage(view);
        case 'item':
          return onItemPage(view.asin);
        case 'description':
        case 'features':
        case 'reviews':
          return reply(
            view.kind === 'features' ? 'The features look fine for what I need; I will go back to the product page.' : `The ${view.kind} looks fine for what I need; I will go back to the product page.`,
            'click[< Prev]',
          );
        case 'done':
          return reply('The purchase is complete.', 'click[Buy Now]');
      }
    },
  };
}
