import { describe, expect, it } from 'vitest';
import { EnvError } from '../../errors.ts';
import { webshopReward } from './reward.ts';
import { fixtureEnvFor, fixtureShop } from './test-shop.ts';
import { parseWebAction } from './webshop-env.ts';

const ISSEY = "L'eau D'issey By Issey Miyake for MenEau De Toilette Spray, 6.7 Fl Oz Bottle";

describe('page text (benchmarks.md §1.3)', () => {
  it('search page', () => {
    const env = fixtureEnvFor('B000VOHH8I');
    expect(env.observation).toBe(`WebShop [SEP] Instruction: [SEP] ${env.goal.instructionText} [SEP] Search`);
    expect(env.goal.instructionText).toMatch(/^i need a long lasting 6\.76 fl oz bottle of l'eau d'issey, and price lower than \d+\.00 dollars$/);
  });

  it('results page: Back to Search, page line, Next > always, then ASIN, title, price', () => {
    const env = fixtureEnvFor('B000VOHH8I');
    const instr = env.goal.instructionText;
    const result = env.step("search[l'eau d'issey 6.76 fl oz bottle]");
    expect(result.info.invalidAction).toBe(false);
    const hits = env.search("l'eau d'issey 6.76 fl oz bottle");
    expect(hits[0]).toBe('B000VOHH8I');
    expect(result.observation.startsWith(`Instruction: [SEP] ${instr} [SEP] Back to Search [SEP] Page 1 (Total results: ${hits.length}) [SEP] Next > [SEP] B000VOHH8I [SEP] ${ISSEY} [SEP] $64.98 [SEP] B000MJZOPK`)).toBe(true);
    // past the last page: < Prev appears, Next > stays, and no product is listed
    const page2 = env.step('click[Next >]').observation;
    expect(page2).toBe(`Instruction: [SEP] ${instr} [SEP] Back to Search [SEP] Page 2 (Total results: ${hits.length}) [SEP] < Prev [SEP] Next >`);
  });

  it('item page, with option clicks invisible in the text', () => {
    const env = fixtureEnvFor('B000VOHH8I');
    const instr = env.goal.instructionText;
    env.step("search[l'eau d'issey]");
    const item = env.step('click[b000vohh8i]');
    const expected = `Instruction: [SEP] ${instr} [SEP] Back to Search [SEP] < Prev [SEP] size [SEP] 2.5 fl oz [SEP] 6.76 fl oz (pack of 1) [SEP] ${ISSEY} [SEP] Price: $64.98 [SEP] Rating: N.A. [SEP] Description [SEP] Features [SEP] Reviews [SEP] Buy Now`;
    expect(item.observation).toBe(expected);
    const chosen = env.step('click[6.76 fl oz (pack of 1)]');
    expect(chosen.info.invalidAction).toBe(false);
    expect(chosen.observation).toBe(expected);
    expect(env.selectedOptions).toEqual({ size: '6.76 fl oz (pack of 1)' });
  });

  it('description, features and reviews pages; options persist across them', () => {
    const env = fixtureEnvFor('B000VOHH8I');
    const head = `Instruction: [SEP] ${env.goal.instructionText} [SEP] Back to Search [SEP] < Prev`;
    env.step('search[issey]');
    env.step('click[B000VOHH8I]');
    env.step('click[2.5 fl oz]');
    expect(env.step('click[Description]').observation).toBe(`${head} [SEP] A fresh aquatic fragrance for men.`);
    env.step('click[< Prev]');
    expect(env.step('click[features]').observation).toBe(`${head} [SEP] Long lasting aquatic scent [SEP] 6.7 fl oz spray bottle`);
    env.step('click[< prev]');
    expect(env.step('click[Reviews]').observation).toBe(head);
    env.step('click[< Prev]');
    expect(env.view.kind).toBe('item');
    expect(env.selectedOptions).toEqual({ size: '2.5 fl oz' });
  });

  it('an empty description shows nothing after < Prev', () => {
    const env = fixtureEnvFor('B000VOHH8I');
    env.step('search[women eau de toilette]');
    env.step('click[B000MJZOPK]');
    expect(env.step('click[Description]').observation).toBe(`Instruction: [SEP] ${env.goal.instructionText} [SEP] Back to Search [SEP] < Prev`);
  });

  it('done page carries the purchase and the score, and the reward is the exact reward', () => {
    const env = fixtureEnvFor('B000VOHH8I');
    env.step('search[issey]');
    env.step('click[B000VOHH8I]');
    env.step('click[6.76 fl oz (pack of 1)]');
    const done = env.step('click[Buy Now]\nand some trailing text');
    expect(done.terminated).toBe(true);
    expect(done.reward).toBe(1);
    expect(done.info.won).toBe(true);
    expect(done.observation).toBe(
      'Thank you for shopping with us! [SEP] Your code: [SEP] None [SEP] (Paste it in your MTurk interface.) [SEP] Purchased [SEP] asin [SEP] B000VOHH8I [SEP] options [SEP] {"size": "6.76 fl oz (pack of 1)"} [SEP] Your score (min 0.0, max 1.0) [SEP] 1.0 [SEP] Reward Details [SEP] None',
    );
    expect(() => env.step('click[Buy Now]')).toThrow(EnvError);
  });
});

describe('actions (benchmarks.md §1.2)', () => {
  it('parses like re.match(r"(.+)\\[(.+)\\]") and lowercases the argument', () => {
    expect(parseWebAction('click[Buy Now]')).toEqual({ name: 'click', argument: 'buy now' });
    expect(parseWebAction('search[a [b] c]')).toEqual({ name: 'search[a ', argument: 'b] c' });
    expect(parseWebAction('click[]')).toEqual({ name: 'click[]', argument: undefined });
    expect(parseWebAction('click[x]\nclick[y]')).toEqual({ name: 'click', argument: 'x' });
  });

  it('invalid actions repeat the page unchanged with reward 0', () => {
    const env = fixtureEnvFor('B09SHIRT01');
    const start = env.observation;
    for (const action of ['click[Search]', 'search[]', 'Search[shirt]', 'click[Buy Now]', 'buy', 'click[B09SHIRT01]']) {
      const r = env.step(action);
      expect(r).toMatchObject({ observation: start, reward: 0, terminated: false, truncated: false });
      expect(r.info.invalidAction).toBe(true);
    }
  });

  it('search works on every page and clears the options; Back to Search and < Prev to results clear them too', () => {
    const env = fixtureEnvFor('B09SHIRT01');
    env.step('search[t-shirt]');
    env.step('click[B09SHIRT01]');
    env.step('click[Navy Blue]');
    env.step('click[large]');
    expect(env.selectedOptions).toEqual({ color: 'navy blue', size: 'large' });
    env.step('click[< Prev]');
    expect(env.view.kind).toBe('results');
    expect(env.selectedOptions).toEqual({});
    env.step('click[b09shirt01]');
    env.step('click[small]');
    env.step('search[office chair]');
    expect(env.view.kind).toBe('results');
    expect(env.selectedOptions).toEqual({});
    env.step('click[B0CHAIR001]');
    env.step('click[black]');
    env.step('click[Back to Search]');
    expect(env.view.kind).toBe('search');
    expect(env.selectedOptions).toEqual({});
  });

  it('the purchase reward equals webshopReward for the product, options and scored price', () => {
    const shop = fixtureShop();
    const env = fixtureEnvFor('B09SHIRT01', 'navy blue');
    env.step('search[classic fit t-shirt]');
    env.step('click[B09SHIRT01]');
    env.step('click[heather grey | black]');
    const goal = env.goal;
    const r = env.step('click[buy now]');
    const product = shop.catalog.byAsin.get('B09SHIRT01')!;
    expect(r.reward).toBe(webshopReward(goal, product, { color: 'heather grey | black' }, shop.catalog.prices.get('B09SHIRT01')!));
    expect(r.reward).toBeGreaterThan(0);
    expect(r.reward).toBeLessThan(1);
  });

  it('lists the clickables as validActions, without search', () => {
    const env = fixtureEnvFor('B0TEA00001');
    env.step('search[herbal tea]');
    const item = env.step('click[B0TEA00001]');
    expect(item.info.validActions).toEqual([
      'click[back to search]', 'click[< prev]', 'click[20 count (pack of 6)]', 'click[20 count]',
      'click[description]', 'click[features]', 'click[reviews]', 'click[buy now]',
    ]);
  });
});
