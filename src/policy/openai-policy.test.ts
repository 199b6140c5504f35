// The remote policy against real loopback servers: a scripted OpenAI-compatible server, and a seeded
// fault proxy in front of it. Sleeps are recorded (not slept) so the backoff can be checked exactly.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message } from '../data/schemas.ts';
import { ETO_STOP_STRINGS, isDetailedPolicy, type ActOptions } from '../agent/policy.ts';
import { playPolicyStage } from '../eto/episodes-stage.ts';
import { readJsonl } from '../data/jsonl.ts';
import { TrajectorySchema } from '../data/schemas.ts';
import { toyEnv } from '../../test/helpers/toy-env.ts';
import { startTestServer, type TestServer } from '../../test/helpers/openai-test-server.ts';
import { startFaultProxy, type FaultProxy } from '../../test/helpers/fault-proxy.ts';
import { OPENAI_POLICY_DEFAULTS, OpenAiPolicyOptionsSchema, type OpenAiPolicyOptions } from './openai-options.ts';
import { openAiPolicies } from './openai-policy.ts';
import { retryDelayS } from './retry.ts';

const act: ActOptions = { temperature: 0.7, topP: 0.9, maxNewTokens: 32, stop: ETO_STOP_STRINGS, seed: 11 };
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((thing) => thing.close()));
});

/** Plays the toy env's expert: go to the room named in the task message (the first "go to room N"). */
async function toyServer(delayMs = 0): Promise<TestServer> {
  const server = await startTestServer({
    model: 'toy-expert',
    delayMs,
    key: (messages) => taskMessage(messages),
    reply: (messages) => {
      const target = /go to room (\d)/.exec(taskMessage(messages))?.[1] ?? '0';
      // the reply runs past a stop string: the policy must cut it
      return `Thought: I go to room ${target}.\nAction: go to ${target}\nObservation: made up`;
    },
  });
  open.push(server);
  return server;
}

function taskMessage(messages: Message[]): string {
  return messages.filter((m) => m.role === 'user').at(-1)?.content.split('\n').slice(-1)[0] ?? '';
}

function options(baseUrl: string, extra: Partial<OpenAiPolicyOptions> = {}): OpenAiPolicyOptions {
  return OpenAiPolicyOptionsSchema.parse({ ...OPENAI_POLICY_DEFAULTS, baseUrl, model: 'toy-expert', timeoutS: 1, ...extra });
}

function recorder(): { sleeps: number[]; sleep(ms: number): Promise<void> } {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms) => void sleeps.push(ms) };
}

const conversation = (target: number): Message[] => [{ role: 'user', content: `You are in room 0.\nYour task is to: go to room ${target}.` }];

describe('openAiPolicies', () => {
  it('sends the sampling settings and stop strings, and cuts the reply at a stop string', async () => {
    const server = await toyServer();
    const { policy } = await openAiPolicies(options(server.url), 'sk-test').open('ignored');
    expect(await policy.act([conversation(4), conversation(7)], act)).toEqual([
      'Thought: I go to room 4.\nAction: go to 4',
      'Thought: I go to room 7.\nAction: go to 7',
    ]);
    expect(policy.name).toBe('openai:toy-expert');
    const body = server.bodies[0] as Record<string, unknown>;
    expect(body).toMatchObject({ model: 'toy-expert', temperature: 0.7, top_p: 0.9, max_tokens: 32, seed: 11 });
    expect(body.stop).toEqual(ETO_STOP_STRINGS);
  });

  it('endpoint completions sends the conversation rendered with the chat template as a raw prompt', async () => {
    const server = await toyServer();
    const { policy } = await openAiPolicies(options(server.url, { endpoint: 'completions' })).open('');
    expect(await policy.act([conversation(3)], act)).toEqual(['!']);
    const body = server.bodies[0] as Record<string, unknown>;
    expect(body.prompt).toBe(`<|bos|><|user|>${conversation(3)[0]?.content}<|end|><|assistant|>`);
    expect(body).toMatchObject({ temperature: 0.7, top_p: 0.9, max_tokens: 32, seed: 11, stop: ETO_STOP_STRINGS });
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const server = await toyServer(40);
    const { policy } = await openAiPolicies(options(server.url, { concurrency: 3 })).open('');
    const replies = await policy.act(Array.from({ length: 10 }, (_, i) => conversation(i % 10)), act);
    expect(replies).toHaveLength(10);
    expect(server.maxInFlight()).toBe(3);
  });

  it('retries 429/500/resets/timeouts through a fault proxy and reports the retries it made', async () => {
    const server = await toyServer();
    const proxy: FaultProxy = await startFaultProxy({
      target: server.url.replace(/\/v1$/, ''),
      seed: 7,
      share: 0.5,
      faults: ['rate_limit', 'server_error', 'reset', 'hang', 'slow'],
      retryAfterS: 3,
    });
    open.push(proxy);
    const clock = recorder();
    const factory = openAiPolicies(options(proxy.url, { timeoutS: 0.5, maxRetries: 12, concurrency: 4 }), undefined, {
      sleep: clock.sleep,
      jitterSeed: 1,
    });
    const { policy } = await factory.open('');
    if (!isDetailedPolicy(policy)) throw new Error('expected a detailed policy');
    const turns = await policy.actTurns(Array.from({ length: 12 }, (_, i) => conversation(i % 10)), act);
    turns.forEach((turn, i) => expect(turn.text).toBe(`Thought: I go to room ${i % 10}.\nAction: go to ${i % 10}`));
    const retries = turns.reduce((sum, turn) => sum + (turn.usage?.retries ?? 0), 0);
    const injected = [...proxy.injected.entries()].filter(([fault]) => fault !== 'slow');
    const failures = injected.reduce((sum, [, n]) => sum + n, 0);
    console.log(`fault proxy injected ${JSON.stringify(Object.fromEntries(proxy.injected))}; client retried ${retries}`);
    // seed 7 draws every kind of fault at least once
    for (const fault of ['rate_limit', 'server_error', 'reset', 'hang', 'slow'] as const) {
      expect(proxy.injected.get(fault) ?? 0).toBeGreaterThan(0);
    }
    expect(retries).toBe(failures);
    // each success reached the server once; a 429 waits exactly its Retry-After (3 s < the 30 s cap)
    expect(server.total()).toBe(12);
    expect(clock.sleeps.filter((ms) => ms === 3000)).toHaveLength(proxy.injected.get('rate_limit') ?? 0);
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(30_000);
  });

  it('gives up after maxRetries + 1 requests with a failure, waiting at most maxBackoffS each time', async () => {
    const server = await toyServer();
    const proxy = await startFaultProxy({ target: server.url.replace(/\/v1$/, ''), seed: 1, share: 1, faults: ['server_error'] });
    open.push(proxy);
    const clock = recorder();
    const factory = openAiPolicies(options(proxy.url, { maxRetries: 5, backoffS: 1, maxBackoffS: 4 }), undefined, clock);
    const { policy } = await factory.open('');
    if (!isDetailedPolicy(policy)) throw new Error('expected a detailed policy');
    const [turn] = await policy.actTurns([conversation(1)], act);
    expect(turn?.failure).toMatch(/HTTP 500.*gave up after 6 requests/);
    expect(turn?.usage).toMatchObject({ requests: 6, retries: 5 });
    expect(clock.sleeps).toHaveLength(5);
    clock.sleeps.forEach((ms, retry) => expect(ms).toBeLessThanOrEqual(1000 * Math.min(4, 2 ** retry)));
  });

  it('does not retry a 4xx other than 408/429', async () => {
    const server = await toyServer();
    const clock = recorder();
    const { policy } = await openAiPolicies(options(server.url.replace('/v1', '/nowhere')), undefined, clock).open('');
    if (!isDetailedPolicy(policy)) throw new Error('expected a detailed policy');
    const [turn] = await policy.actTurns([conversation(1)], act);
    expect(turn?.failure).toMatch(/HTTP 404/);
    expect(turn?.usage?.requests).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });
});

describe('retryDelayS', () => {
  it('is full jitter under a doubling ceiling, capped; Retry-After wins but is capped too', () => {
    const policy = { maxRetries: 9, backoffS: 0.5, maxBackoffS: 10, random: () => 0.999, sleep: async () => {} };
    const ceilings = Array.from({ length: 7 }, (_, retry) => retryDelayS(policy, retry, undefined) / 0.999);
    ceilings.forEach((c, retry) => expect(c).toBeCloseTo(Math.min(10, 0.5 * 2 ** retry), 9));
    expect(retryDelayS({ ...policy, random: () => 0 }, 3, undefined)).toBe(0);
    expect(retryDelayS(policy, 0, 7)).toBe(7);
    expect(retryDelayS(policy, 0, 120)).toBe(10);
  });
});

describe('episodes against a failing server', () => {
  it('end with policy_error, are written, and a resumed stage plays only those again', async () => {
    const server = await toyServer();
    const proxy = await startFaultProxy({ target: server.url.replace(/\/v1$/, ''), seed: 2, share: 1, faults: ['server_error'] });
    open.push(proxy);
    const file = join(mkdtempSync(join(tmpdir(), 'eto-remote-')), 'eval.jsonl');
    const tasks = Array.from({ length: 5 }, (_, task) => ({ id: `eval-toy-dev-${task}`, split: 'dev', task, seed: 0 }));
    const stage = (baseUrl: string, only = tasks) =>
      openAiPolicies(options(baseUrl, { maxRetries: 1 }), undefined, recorder())
        .open('')
        .then(({ policy }) =>
          playPolicyStage({ module: toyEnv, file, tasks: only, policy, act, withExample: false, source: 'eval', iteration: 0, batch: 2 }),
        );
    // tasks 0-1 succeed first; then the server "goes down" for the rest
    await stage(server.url, tasks.slice(0, 2));
    const failed = await stage(proxy.url);
    expect(failed.map((t) => t.endReason)).toEqual(['success', 'success', 'policy_error', 'policy_error', 'policy_error']);
    expect(failed[2]?.policyError).toMatch(/HTTP 500/);
    expect(failed[2]?.usage).toMatchObject({ requests: 2, retries: 1 });
    const before = new Map(server.requests);
    const resumed = await stage(server.url);
    expect(resumed.map((t) => t.endReason)).toEqual(Array(5).fill('success'));
    // finished episodes were not requested again: only the three failed tasks reached the server
    const again = [...server.requests].filter(([key, n]) => n !== (before.get(key) ?? 0)).length;
    expect(again).toBe(3);
    expect(resumed.every((t) => t.usage?.model === 'toy-expert' && t.usage.requests >= 1)).toBe(true);
    expect(readJsonl(file, TrajectorySchema)).toHaveLength(8); // 2 + 3 failed + 3 replayed: the last record wins
  });
});
