import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlToText } from './html-text.ts';
import { webshop } from './index.ts';
import type { WebShopEnv } from './webshop-env.ts';
import { webHandler } from './web.ts';

let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((request, response) => {
    void webHandler(request, response).then((handled) => {
      if (!handled) {
        response.writeHead(404);
        response.end('not mine');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const get = (path: string, accept = 'text/html'): Promise<Response> => fetch(`${base}${path}`, { headers: { accept }, redirect: 'manual' });

async function follow(path: string): Promise<{ url: string; html: string }> {
  const response = await fetch(`${base}${path}`, { headers: { accept: 'text/html' } });
  return { url: new URL(response.url).pathname, html: await response.text() };
}

describe('webHandler', () => {
  it('redirects browsers from / and leaves other requests to the protocol', async () => {
    const browser = await get('/');
    expect(browser.status).toBe(303);
    expect(browser.headers.get('location')).toBe('/web/');
    expect((await get('/', 'application/json')).status).toBe(404);
    expect(await (await get('/create', 'application/json')).text()).toBe('not mine');
  });

  it('answers unknown sessions and bad tasks with a page, not a crash', async () => {
    expect((await get('/web/s/987654')).status).toBe(404);
    const bad = await get('/web/start?split=test&task=9999');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('outside split');
  });

  it('serves pages whose text is exactly the text env observation after the same actions', async () => {
    const env = webshop.create() as WebShopEnv;
    const reset = env.reset({ split: 'dev', task: 4 });
    const start = await follow('/web/start?split=dev&task=4');
    expect(start.url).toMatch(/^\/web\/s\/\d+$/);
    expect(htmlToText(start.html).text).toBe(reset.observation);

    const keywords = env.goal.instructionText.replace(/, and price lower than .*$/, '');
    const results = await follow(`${start.url}/search?keywords=${encodeURIComponent(keywords)}`);
    expect(htmlToText(results.html).text).toBe(env.step(`search[${keywords}]`).observation);

    const asin = /class="product-link" href="[^"]*">([A-Z0-9]+)</.exec(results.html)![1]!;
    const item = await follow(`${start.url}/click/${asin.toLowerCase()}`);
    expect(htmlToText(item.html).text).toBe(env.step(`click[${asin}]`).observation);

    const description = await follow(`${start.url}/click/description`);
    expect(htmlToText(description.html).text).toBe(env.step('click[Description]').observation);
    await follow(`${start.url}/click/${encodeURIComponent('< prev')}`);
    env.step('click[< Prev]');
    const done = await follow(`${start.url}/click/buy%20now`);
    expect(htmlToText(done.html).text).toBe(env.step('click[Buy Now]').observation);
    // a click after the purchase leaves the done page as it is
    expect((await follow(`${start.url}/click/buy%20now`)).html).toBe(done.html);
  });
});
