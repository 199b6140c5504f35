// The shop as real web pages (`eto env serve webshop --web`): each browser session drives its own
// WebShopEnv, every link or form is one text-env action, so a person or a browser agent earns exactly
// the reward the text env gives for the same actions. Pages live under /web/; `/` redirects browsers there.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EnvError } from '../../errors.ts';
import { DEFAULT_OPTIONS, getShop, plannedSplitInfos } from './catalog.ts';
import { escapeHtml as esc } from './html-text.ts';
import type { Links } from './pages.ts';
import { WebShopEnv } from './webshop-env.ts';

const MAX_SESSIONS = 500;

export interface WebApp {
  handle(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
  /** The env behind a session (tests compare it with the text env). */
  session(id: number): WebShopEnv | undefined;
}

function send(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  response.end(html);
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(303, { location });
  response.end();
}

function startPage(): string {
  const splits = plannedSplitInfos(DEFAULT_OPTIONS, DEFAULT_OPTIONS.products)
    .map((s) => `<option value="${esc(s.name)}">${esc(s.name)} (${s.size} tasks)</option>`)
    .join('');
  return (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>WebShop</title></head><body><h1>WebShop</h1>' +
    `<form method="get" action="/web/start"><label>Split <select name="split">${splits}</select></label> ` +
    '<label>Task <input type="number" name="task" value="0" min="0"></label> <button type="submit" id="start">Start shopping</button></form></body></html>'
  );
}

export function createWebApp(createEnv: () => WebShopEnv): WebApp {
  const sessions = new Map<number, WebShopEnv>();
  let nextId = 1;

  const linksFor = (id: number): Links => ({
    click: (value) => `/web/s/${id}/click/${encodeURIComponent(value)}`,
    search: () => `/web/s/${id}/search`,
  });

  function act(env: WebShopEnv, action: string): void {
    if (!env.done) env.step(action);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/' && request.method === 'GET' && (request.headers.accept ?? '').includes('text/html')) {
      redirect(response, '/web/');
      return true;
    }
    if (!path.startsWith('/web/') && path !== '/web') return false;
    if (request.method !== 'GET') {
      send(response, 405, '<p>Only GET is used by the shop pages.</p>');
      return true;
    }
    if (path === '/web/' || path === '/web') {
      send(response, 200, startPage());
      return true;
    }
    if (path === '/web/start') {
      const env = createEnv();
      try {
        env.reset({ split: url.searchParams.get('split') ?? 'test', task: Number(url.searchParams.get('task') ?? '0') });
      } catch (error) {
        if (!(error instanceof EnvError)) throw error;
        send(response, 400, `<p>${esc(error.message)}</p><p><a href="/web/">Back</a></p>`);
        return true;
      }
      const id = nextId++;
      sessions.set(id, env);
      if (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
      redirect(response, `/web/s/${id}`);
      return true;
    }
    const match = /^\/web\/s\/(\d+)(?:\/(click)\/(.+)|\/(search))?$/.exec(path);
    const env = match ? sessions.get(Number(match[1])) : undefined;
    if (!match || !env) {
      send(response, 404, '<p>No such page or session. <a href="/web/">Start a new one</a>.</p>');
      return true;
    }
    const id = Number(match[1]);
    if (match[2] === 'click') {
      act(env, `click[${decodeURIComponent(match[3]!)}]`);
      redirect(response, `/web/s/${id}`);
    } else if (match[4] === 'search') {
      act(env, `search[${url.searchParams.get('keywords') ?? ''}]`);
      redirect(response, `/web/s/${id}`);
    } else {
      send(response, 200, env.html(linksFor(id)));
    }
    return true;
  }

  return { handle, session: (id) => sessions.get(id) };
}

let defaultApp: WebApp | undefined;

/** The module's web handler: sessions over the default catalogue. */
export function webHandler(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  defaultApp ??= createWebApp(() => new WebShopEnv(getShop(DEFAULT_OPTIONS)));
  return defaultApp.handle(request, response);
}
