// The WebShop env module: a TypeScript port of WebShop's text environment as ETO ran it (human-style goals,
// BM25 search, WebShop's exact reward) over a seeded generated catalogue or the real data files, with
// ETO's harness, a scripted expert and the shop's HTML pages for `eto env serve webshop --web`.
import { EnvError } from '../../errors.ts';
import type { Env, EnvModule } from '../types.ts';
import { getShop, plannedSplitInfos, resolveOptions, shopSplitInfos } from './catalog.ts';
import { createWebShopExpert } from './expert.ts';
import { harness, ICL_EXAMPLE, INSTRUCTION } from './harness.ts';
import { webHandler } from './web.ts';
import { WebShopEnv } from './webshop-env.ts';
import { KINDS } from './vocab.ts';

export { WebShopEnv } from './webshop-env.ts';
export { webshopReward, tokenSetRatio, normalizeColor } from './reward.ts';

function asWebShop(env: Env): WebShopEnv {
  if (!(env instanceof WebShopEnv)) throw new EnvError('webshop: the expert needs a WebShopEnv created by this module');
  return env;
}

export const webshop: EnvModule = {
  name: 'webshop',
  description: 'WebShop (TypeScript port: generated 5-category catalogue or the real files, BM25 search, exact reward)',
  splits: (options) => {
    const resolved = resolveOptions(options);
    return resolved.dataDir === undefined ? plannedSplitInfos(resolved, resolved.products) : shopSplitInfos(getShop(resolved));
  },
  create: (options) => new WebShopEnv(getShop(resolveOptions(options))),
  harness,
  createExpert: (env, _reset, seed) => createWebShopExpert(asWebShop(env), seed),
  // the prompt, the example and the generated catalogue's words (kinds, attributes, option values)
  corpus: () => [
    INSTRUCTION,
    ...ICL_EXAMPLE.map((m) => m.content),
    ...KINDS.map((k) => [k.noun, k.query, k.breadcrumb.join(' › '), ...k.attributes, ...k.modifiers, ...k.options.flatMap((o) => [o.name, ...o.values])].join('\n')),
  ],
  webHandler,
};
