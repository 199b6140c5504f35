// The WebShop pages in a real browser (Debian Chromium via playwright-core): start a task, search, open the
// goal product, pick an option, buy; the score the done page shows must equal the text env's reward for
// the same actions. The server is the AgentGym one with --web, so the protocol must keep answering too.
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from '../src/env/agentgym/server.ts';
import { webshop } from '../src/env/webshop/index.ts';
import { pyFloat } from '../src/env/webshop/pricing.ts';
import type { WebShopEnv } from '../src/env/webshop/webshop-env.ts';
import { launchChromium } from './support/browser.ts';

let browser: Browser;
let server: Server;
let base: string;

beforeAll(async () => {
  browser = await launchChromium();
  const started = await serve(webshop, { port: 0, web: true });
  server = started.server;
  base = `http://127.0.0.1:${started.port}`;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

interface Plan {
  task: number;
  keywords: string;
  asin: string;
  option: string;
}

/** A test task whose goal product is on the first results page for its own words and has an option to pick. */
function findPlan(env: WebShopEnv): Plan {
  for (let task = 0; task < 200; task++) {
    env.reset({ split: 'test', task });
    const goal = env.goal;
    const product = env.product(goal.asin)!;
    const values = Object.values(product.options).flat();
    const keywords = goal.instructionText.replace(/, and price lower than .*$/, '');
    if (goal.goalOptions.length === 0 || values.length < 2) continue;
    if (!env.search(keywords).slice(0, 10).includes(goal.asin)) continue;
    // a value the goal asked for, so the score depends on the selection being carried through
    const option = values.find((v) => goal.goalOptions.includes(v));
    if (option) return { task, keywords, asin: goal.asin, option };
  }
  throw new Error('no suitable test task');
}

function textEnvReward(env: WebShopEnv, plan: Plan, selectOption: boolean): { reward: number; resultsAsins: string[] } {
  env.reset({ split: 'test', task: plan.task });
  const results = env.step(`search[${plan.keywords}]`);
  const resultsAsins = results.observation.split(' [SEP] ').filter((part) => /^B0[0-9A-Z]{8}$/.test(part));
  env.step(`click[${plan.asin}]`);
  if (selectOption) env.step(`click[${plan.option}]`);
  const done = env.step('click[Buy Now]');
  expect(done.terminated).toBe(true);
  return { reward: done.reward, resultsAsins };
}

describe('WebShop in Chromium', () => {
  it('search → product → option → Buy Now earns the text env’s reward', async () => {
    const env = webshop.create() as WebShopEnv;
    const plan = findPlan(env);
    const expected = textEnvReward(env, plan, true);
    // without the option click the text env scores less: the browser's score shows the click was carried
    expect(textEnvReward(env, plan, false).reward).toBeLessThan(expected.reward);

    const page = await browser.newPage();
    try {
      await page.goto(`${base}/`);
      expect(new URL(page.url()).pathname).toBe('/web/');
      await page.selectOption('select[name=split]', 'test');
      await page.fill('input[name=task]', String(plan.task));
      await Promise.all([page.waitForURL(/\/web\/s\/\d+$/), page.click('#start')]);
      expect(await page.textContent('body')).toContain(env.goal.instructionText);

      await page.fill('input[name=keywords]', plan.keywords);
      await Promise.all([page.waitForURL(/\/web\/s\/\d+$/), page.click('button:has-text("Search")')]);
      const shown = await page.$$eval('a.product-link', (links) => links.map((a) => a.textContent ?? ''));
      expect(shown).toEqual(expected.resultsAsins);

      await Promise.all([page.waitForLoadState(), page.click(`a.product-link:text-is("${plan.asin}")`)]);
      await page.waitForSelector(`input[type=radio][value="${plan.option}"]`);
      await Promise.all([page.waitForNavigation(), page.check(`input[type=radio][value="${plan.option}"]`)]);
      expect(await page.isChecked(`input[type=radio][value="${plan.option}"]`)).toBe(true);

      await Promise.all([page.waitForSelector('#reward'), page.click('button:has-text("Buy Now")')]);
      const shownReward = (await page.textContent('#reward'))!.trim();
      expect(shownReward).toBe(pyFloat(expected.reward));
      expect(Number(shownReward)).toBe(expected.reward);
      expect(await page.textContent('#purchased-asin')).toBe(plan.asin);
    } finally {
      await page.close();
    }

    // the AgentGym protocol still answers beside the pages
    const health = await fetch(`${base}/`);
    expect(await health.json()).toBe('ok');
  }, 60_000);
});
