// Long-run limits of the env server on real loopback sockets: the session cap (429, then room again after
// /close), idle expiry on an injected clock, and the /stats counters that make both visible.
import type { Server } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { alfworld } from '../alfworld/index.ts';
import { webshop } from '../webshop/index.ts';
import type { EnvModule } from '../types.ts';
import { serve, type ServeOptions } from './server.ts';

const servers: Server[] = [];
afterAll(() => servers.forEach((server) => server.close()));

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; json: unknown }>;

async function start(module: EnvModule, options: ServeOptions): Promise<Call> {
  const { server, port } = await serve(module, { port: 0, ...options });
  servers.push(server);
  return async (method, path, body) => {
    const init = body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, ...init });
    return { status: response.status, json: await response.json() };
  };
}

describe('env server limits', () => {
  it('caps live sessions with a 429 and has room again after /close (ALFWorld body {id})', async () => {
    const call = await start(alfworld, { maxSessions: 2 });
    const a = (await call('POST', '/create')).json as { id: number };
    await call('POST', '/create');
    const full = await call('POST', '/create');
    expect(full.status).toBe(429);
    expect(full.json).toEqual({ error: expect.stringContaining('all 2 sessions are in use') });
    expect(await call('POST', '/close', { id: a.id })).toEqual({ status: 200, json: true });
    expect((await call('POST', '/close', { id: a.id })).json).toEqual({ error: `The environment with id ${a.id} does not exist.` });
    const again = await call('POST', '/create');
    expect(again.status).toBe(200);
    expect((await call('GET', '/stats')).json).toMatchObject({ open: 2, created: 3, closed: 1, rejected: 1, expired: 0, requests: 7 }); // /stats counts itself
  });

  it('closes WebShop sessions by env_idx (the endpoint its Python server lacks)', async () => {
    const call = await start(webshop, { maxSessions: 1 });
    const id = (await call('POST', '/create')).json as number;
    expect((await call('POST', '/create')).status).toBe(429);
    expect((await call('POST', '/close', { env_idx: id })).json).toBe(true);
    expect((await call('GET', '/list_envs')).json).toEqual([]);
    expect((await call('POST', '/create')).status).toBe(200);
  });

  it('frees sessions idle past the TTL on the injected clock, and only those', async () => {
    let clock = 1_000_000;
    const call = await start(alfworld, { sessionTtlS: 60, maxSessions: 2, now: () => clock });
    const idle = (await call('POST', '/create')).json as { id: number };
    const busy = (await call('POST', '/create')).json as { id: number };
    await call('POST', '/reset', { id: busy.id, game: 0 });
    clock += 45_000;
    await call('POST', '/step', { id: busy.id, action: 'look' }); // busy was used 45 s in; idle was not
    clock += 30_000; // idle: 75 s without use (> 60); busy: 30 s
    const created = await call('POST', '/create'); // the cap is full unless the idle one expired
    expect(created.status).toBe(200);
    expect((await call('POST', '/step', { id: idle.id, action: 'look' })).json).toEqual({ error: `The environment with id ${idle.id} does not exist.` });
    expect((await call('POST', '/step', { id: busy.id, action: 'look' })).status).toBe(200);
    expect((await call('GET', '/stats')).json).toMatchObject({ open: 2, created: 3, expired: 1, closed: 0 });
    clock += 61_000;
    expect((await call('GET', '/stats')).json).toMatchObject({ open: 0, expired: 3 });
  });

  it('reports resident memory and counts failed requests', async () => {
    const call = await start(alfworld, { residentBytes: () => 123_456 });
    await call('POST', '/step', { id: 9, action: 'look' });
    await call('POST', '/step', '{');
    expect((await call('GET', '/stats')).json).toEqual({ open: 0, created: 0, closed: 0, expired: 0, rejected: 0, requests: 3, errors: 2, rssBytes: 123_456, collected: false });
  });
});
