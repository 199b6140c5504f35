import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alfworld } from '../alfworld/index.ts';
import { serve } from './server.ts';
import type { Protocol } from './routes.ts';

const servers: Server[] = [];

async function start(protocol: Protocol, maxBodyBytes = 1 << 20): Promise<(method: string, path: string, body?: string) => Promise<{ status: number; json: unknown }>> {
  const { server, port } = await serve(alfworld, { port: 0, protocol, maxBodyBytes });
  servers.push(server);
  return async (method, path, body) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }) });
    return { status: response.status, json: await response.json() };
  };
}

afterAll(() => {
  for (const server of servers) server.close();
});

describe('AgentGym ALFWorld protocol (eto-method.md §8.2)', () => {
  let call: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    call = await start('alfworld', 4096);
  });

  it('answers the root, create, reset and step with the Python server\'s fields', async () => {
    expect(await call('GET', '/')).toEqual({ status: 200, json: 'This is environment AlfWorld.' });
    const created = await call('POST', '/create');
    expect(created.json).toEqual({ id: 0 });
    expect((await call('POST', '/create')).json).toEqual({ id: 1 });
    const reset = (await call('POST', '/reset', JSON.stringify({ id: 0, game: 3321 + 140, world_type: 'Text' }))).json as Record<string, unknown>;
    const local = alfworld.create().reset({ split: 'seen', task: 0 });
    expect(Object.keys(reset).sort()).toEqual(['available_actions', 'id', 'observation', 'task_type']);
    expect(reset.observation).toBe(alfworld.harness.taskMessage(local));
    expect(reset.available_actions).toEqual(local.info.validActions);
    expect(reset.task_type).toBe(`${local.info.taskType}/seen/0`);
    const go = (local.info.validActions ?? []).find((a) => a.startsWith('go to ')) as string;
    const step = (await call('POST', '/step', JSON.stringify({ id: 0, action: go }))).json as Record<string, unknown>;
    expect(Object.keys(step).sort()).toEqual(['available_actions', 'done', 'observation', 'reward']);
    expect(String(step.observation)).not.toMatch(/^You arrive at loc/);
    expect([step.reward, step.done]).toEqual([0, false]);
    expect((await call('GET', '/observation?id=0')).json).toBe(step.observation);
    expect((await call('GET', '/available_actions?id=0')).json).toEqual(step.available_actions);
    const detail = (await call('GET', '/detail?id=0')).json as Record<string, unknown>;
    expect([detail.game, detail.done, detail.deleted, detail.world_type]).toEqual([3461, false, false, 'Text']);
  });

  it('reports errors clearly and keeps serving', async () => {
    expect(await call('POST', '/step', JSON.stringify({ id: 77, action: 'look' }))).toEqual({ status: 200, json: { error: 'The environment with id 77 does not exist.' } });
    expect((await call('POST', '/step', '{"id": 0, "action": ')).status).toBe(422);
    expect((await call('POST', '/step', JSON.stringify({ id: 0 }))).json).toEqual({ detail: 'field "action" must be a string, got nothing' });
    expect((await call('POST', '/reset', JSON.stringify({ id: 1, game: 10 ** 6 }))).json).toMatchObject({ error: expect.stringContaining('past the last task') });
    expect((await call('POST', '/step', JSON.stringify({ id: 0, action: 'x'.repeat(5000) }))).status).toBe(413);
    expect((await call('GET', '/nope')).status).toBe(404);
    expect((await call('GET', '/observation?id=abc')).status).toBe(422);
    expect((await call('GET', '/')).json).toBe('This is environment AlfWorld.');
  });

  it('refuses steps after the end until the next reset', async () => {
    await call('POST', '/reset', JSON.stringify({ id: 1, game: 0 }));
    let done = false;
    for (let i = 0; i < 60 && !done; i++) done = ((await call('POST', '/step', JSON.stringify({ id: 1, action: 'look' }))).json as { done: boolean }).done;
    expect(done).toBe(true); // the wrapper's 50-step cap
    expect((await call('POST', '/step', JSON.stringify({ id: 1, action: 'look' }))).json).toEqual({ error: 'The task with environment 1 has finished.' });
    expect(((await call('POST', '/reset', JSON.stringify({ id: 1, game: 0 }))).json as { id: number }).id).toBe(1);
  });
});

describe('AgentGym SciWorld and WebShop protocols (§8.3, §8.1)', () => {
  it('sciworld: data_idx, 0-100 score, close', async () => {
    const call = await start('sciworld');
    expect((await call('GET', '/')).json).toBe('This is environment ScienceWorld.');
    const { id } = (await call('POST', '/create')).json as { id: number };
    const reset = (await call('POST', '/reset', JSON.stringify({ id, data_idx: 2 }))).json as Record<string, unknown>;
    expect(Object.keys(reset).sort()).toEqual(['deleted', 'done', 'observation', 'reward', 'score', 'task_description', 'task_name', 'var_num']);
    const step = (await call('POST', '/step', JSON.stringify({ id, action: 'look' }))).json as Record<string, unknown>;
    expect(Object.keys(step).sort()).toEqual(['done', 'observation', 'reward', 'score']);
    expect((await call('GET', `/action_hint?id=${id}`)).json).toMatchObject({ possible_objects: [] });
    expect((await call('POST', '/close', JSON.stringify({ id }))).json).toBe(true);
    expect((await call('POST', '/step', JSON.stringify({ id, action: 'look' }))).json).toMatchObject({ error: expect.any(String) });
  });

  it('webshop: env_idx, [observation, null] resets, state/reward/done/info steps', async () => {
    const call = await start('webshop');
    expect((await call('GET', '/')).json).toBe('ok');
    const id = (await call('POST', '/create')).json as number;
    expect(Number.isInteger(id) && id >= 0 && id <= 48950076).toBe(true);
    expect((await call('GET', '/list_envs')).json).toEqual([id]);
    const reset = (await call('POST', '/reset', JSON.stringify({ env_idx: id, session_id: 4 }))).json as unknown[];
    expect(reset[1]).toBeNull();
    expect((await call('GET', `/observation?env_idx=${id}`)).json).toBe(reset[0]);
    const step = (await call('POST', '/step', JSON.stringify({ env_idx: id, action: 'click[Nothing]' }))).json;
    expect(step).toEqual({ state: 'Nothing happens.', reward: 0, done: false, info: null });
    expect((await call('GET', `/available_actions?env_idx=${id}`)).json).toEqual({ has_search_bar: false, clickables: [] });
    expect((await call('POST', '/step', JSON.stringify({ env_idx: 5, action: 'x' }))).status).toBe(400);
  });
});
