import { describe, expect, it } from 'vitest';
import { rawTokenSetRatio, roundHalfEven } from './fuzz.ts';
import { normalizeColor, titleNouns, tokenSetRatio, typeReward, webshopReward, webshopRewardDetails, type RewardGoal, type RewardProduct } from './reward.ts';

const TITLE = "L'eau D'issey By Issey Miyake for MenEau De Toilette Spray, 6.7 Fl Oz Bottle";

const goal = (over: Partial<RewardGoal> = {}): RewardGoal => ({
  query: "men's fragrance",
  category: 'beauty',
  productCategory: "Beauty & Personal Care › Fragrance › Men's › Eau de Toilette",
  name: TITLE,
  attributes: ['long lasting'],
  goalOptions: ['6.76 fl oz (pack of 1)'],
  priceUpper: 100,
  ...over,
});

const product = (over: Partial<RewardProduct> = {}): RewardProduct => ({
  query: "men's fragrance",
  category: 'beauty',
  productCategory: "Beauty & Personal Care › Fragrance › Men's › Eau de Toilette",
  name: TITLE,
  attributes: ['long lasting'],
  description: 'A fresh aquatic fragrance.',
  bulletPoints: ['Spray bottle'],
  ...over,
});

describe('tokenSetRatio (thefuzz 0.20)', () => {
  it('gives 100 when one token set contains the other', () => {
    expect(tokenSetRatio('long lasting', 'long lasting fragrance')).toBe(100);
    expect(tokenSetRatio('Fragrance, LONG-lasting!', 'long lasting')).toBe(100);
  });

  it('matches a hand computation when neither set contains the other', () => {
    // sect "shirt" (5), ab "red" (3), ba "blue" (4): r1 = 100(1 - 5/19), r2 = 100(1 - 4/14), r3 = 100(1 - 5/15)
    expect(rawTokenSetRatio('red shirt', 'blue shirt')).toBeCloseTo(100 * (1 - 5 / 19), 10);
    expect(tokenSetRatio('red shirt', 'blue shirt')).toBe(74);
    // no shared token: only r1; "abc" vs "xyz" share no character → 0
    expect(tokenSetRatio('abc', 'xyz')).toBe(0);
    // "ab" vs "ac" share "a": indel 2 over 4 → 50
    expect(tokenSetRatio('ab', 'ac')).toBe(50);
  });

  it('is 0 for empty or punctuation-only input and drops code points 128–255', () => {
    expect(tokenSetRatio('', 'x')).toBe(0);
    expect(tokenSetRatio('!!!', 'x')).toBe(0);
    expect(tokenSetRatio('café', 'caf')).toBe(100);
  });

  it("rounds like Python's round()", () => {
    expect(roundHalfEven(85.5)).toBe(86);
    expect(roundHalfEven(86.5)).toBe(86);
    expect(roundHalfEven(85.49)).toBe(85);
  });
});

describe('normalizeColor', () => {
  it('returns the first colour in list order that is a substring, traps included', () => {
    expect(normalizeColor('washable')).toBe('ash');
    expect(normalizeColor('standard')).toBe('tan');
    expect(normalizeColor('shredded')).toBe('red');
    expect(normalizeColor('rosemary')).toBe('rose');
    expect(normalizeColor('lightweight')).toBe('light');
    // 'blue' comes before 'light' and 'navy' in the list
    expect(normalizeColor('light blue')).toBe('blue');
    expect(normalizeColor('navy blue')).toBe('blue');
    expect(normalizeColor('x-large')).toBe('x-large');
  });
});

describe('webshopReward', () => {
  it("reproduces the spec's worked example: 1.0 with the option, 2/3 without", () => {
    expect(webshopReward(goal(), product(), { size: '6.76 fl oz (pack of 1)' }, 64.98)).toBe(1);
    expect(webshopReward(goal(), product(), {}, 64.98)).toBeCloseTo(2 / 3, 12);
  });

  it('loses the price point above the bound', () => {
    expect(webshopReward(goal(), product(), { size: '6.76 fl oz (pack of 1)' }, 100.01)).toBeCloseTo(2 / 3, 12);
    expect(webshopReward(goal(), product(), { size: '6.76 fl oz (pack of 1)' }, 100)).toBe(1);
  });

  it('divides by |attributes| + |options| + 1', () => {
    const wanted = goal({ attributes: ['long lasting', 'travel size'], goalOptions: ['6.76 fl oz (pack of 1)', 'black'] });
    // 1 attribute + 1 option + price = 3 of 5
    expect(webshopReward(wanted, product(), { size: '6.76 fl oz (pack of 1)', color: 'red' }, 10)).toBeCloseTo(3 / 5, 12);
  });

  it('scores 0 when the title shares no noun with the goal title, whatever else matches', () => {
    const other = product({ name: 'Wireless Earbuds with Charging Case' });
    const nounsGoal = new Set(titleNouns(TITLE));
    expect(titleNouns(other.name).some((n) => nounsGoal.has(n))).toBe(false);
    const details = webshopRewardDetails(goal(), other, { size: '6.76 fl oz (pack of 1)' }, 10);
    expect(details.attributeMatches + details.optionMatches).toBe(2);
    expect(details.reward).toBe(0);
  });

  it('matches attributes by fuzzy product attribute or by substring of title, bullets or description', () => {
    const wanted = goal({ attributes: ['long lasting', 'aquatic fragrance', 'spray bottle', 'men'], goalOptions: [] });
    const details = webshopRewardDetails(wanted, product({ attributes: ['long lasting fragrance'] }), {}, 10);
    // 'long lasting' ⊂ product attribute; 'aquatic fragrance' in the description; 'spray bottle' in a bullet;
    // 'men' in the title ("MenEau" lowercased contains it)
    expect(details.attributeMatches).toBe(4);
  });

  it('compares options after colour normalisation, so the traps match', () => {
    const wanted = goal({ attributes: [], goalOptions: ['navy blue', 'washable'] });
    const details = webshopRewardDetails(wanted, product(), { color: 'blue', material: 'ash grey' }, 10);
    expect(details.optionMatches).toBe(2);
  });

  it('type factor: 0.5 without query/category match and a title score of at most 0.2', () => {
    const goalTitle = 'Shampoo Bottle Cap Brush Towel';
    const nouns = titleNouns(goalTitle);
    const shared = 'Shampoo Gift';
    const common = new Set(titleNouns(shared).filter((n) => nouns.includes(n)));
    expect(common.size / nouns.length).toBeLessThanOrEqual(0.2);
    expect(common.size / nouns.length).toBeGreaterThanOrEqual(0.1);
    const unrelated = { query: 'other', productCategory: 'A › B' };
    const t = typeReward(goal({ name: goalTitle }), product({ name: shared, ...unrelated }));
    expect(t.typeReward).toBe(0.5);
    // the same purchase with the goal's query is back to 1
    expect(typeReward(goal({ name: goalTitle }), product({ name: shared, productCategory: 'A › B' })).typeReward).toBe(1);
  });

  it('category match needs two shared breadcrumb parts', () => {
    const base = { name: 'Shampoo Gift', query: 'other' };
    const g = goal({ name: 'Shampoo Bottle Cap Brush Towel', productCategory: 'Beauty › Hair Care › Shampoos' });
    expect(typeReward(g, product({ ...base, productCategory: 'Beauty › Hair Care › Conditioners' })).categoryMatch).toBe(true);
    expect(typeReward(g, product({ ...base, productCategory: 'Beauty › Skin Care' })).categoryMatch).toBe(false);
  });
});
