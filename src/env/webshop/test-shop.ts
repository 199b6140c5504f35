// Test support: the shop built from the small real-format fixture (fixtures/*.json).
import { fileURLToPath } from 'node:url';
import { DEFAULT_OPTIONS, getShop, type Shop, type WebShopOptions } from './catalog.ts';
import { WebShopEnv } from './webshop-env.ts';

export const FIXTURE_DIR = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const FIXTURE_OPTIONS: WebShopOptions = { ...DEFAULT_OPTIONS, dataDir: FIXTURE_DIR, train: 3, dev: 1, test: 1 };

export function fixtureShop(): Shop {
  return getShop(FIXTURE_OPTIONS);
}

/** A fixture env reset to a goal for `asin` (whose instruction contains `words`), whichever split it landed in. */
export function fixtureEnvFor(asin: string, words = ''): WebShopEnv {
  const shop = fixtureShop();
  const env = new WebShopEnv(shop);
  const layout = [['test', 1], ['dev', 1], ['train', 3]] as const;
  for (const [split, size] of layout) {
    for (let task = 0; task < size; task++) {
      env.reset({ split, task });
      if (env.goal.asin === asin && env.goal.instructionText.includes(words)) return env;
    }
  }
  throw new Error(`no fixture goal for ${asin}`);
}
