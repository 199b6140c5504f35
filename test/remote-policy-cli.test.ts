// `eto eval` / `eto explore --policy openai` as real CLI processes against a loopback server that plays the
// ALFWorld expert: through a seeded fault proxy (429 + Retry-After, 500, resets, slow replies, hangs past
// --policy-timeout-s) the per-task results equal those without faults, every episode is there once, and the
// retries are reported; a SIGKILLed exploration resumes without requesting a finished episode again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getEnv } from '../src/env/registry.ts';
import type { Trajectory } from '../src/data/schemas.ts';
import { expertReplies, startExpertServer, type ExpertServer } from './helpers/expert-policy-server.ts';
import { startFaultProxy, type FaultProxy } from './helpers/fault-proxy.ts';
import { runEtoCli, startEto } from './helpers/cli.ts';

const DEV_TASKS = 9;
const TRAIN_TASKS = 8;
const SEED = '1';
const dir = mkdtempSync(join(tmpdir(), 'eto-remote-cli-'));
let replies: Map<string, string[]>;

beforeAll(async () => {
  replies = expertReplies(await getEnv('alfworld'), { dev: DEV_TASKS, train: TRAIN_TASKS }, Number(SEED));
});

/** Records of a JSONL file, skipping a torn last line (a killed writer). */
function records(file: string): Trajectory[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Trajectory];
      } catch {
        return [];
      }
    });
}

const common = ['--preset', 'default', '--seed', SEED, '--threads', '1', '--data-max-steps', '12', '--model', 'checkpoints/alfworld-small-sft'];
const remote = (url: string, extra: string[] = []): string[] => [
  '--policy', 'openai', '--policy-base-url', url, '--policy-model', 'expert-7b', '--policy-concurrency', '4', ...extra,
];

function outcome(t: Trajectory): unknown {
  return { id: t.id, reward: t.reward, steps: t.steps, endReason: t.endReason, messages: t.messages };
}

describe('eto eval --policy openai through a fault proxy', () => {
  let server: ExpertServer;
  let proxy: FaultProxy;
  beforeAll(async () => {
    server = await startExpertServer(replies);
    proxy = await startFaultProxy({
      target: server.url.replace(/\/v1$/, ''),
      seed: 3,
      share: 0.3,
      faults: ['rate_limit', 'server_error', 'reset', 'slow', 'hang'],
      retryAfterS: 1,
      slowMs: 300,
    });
  });
  afterAll(async () => {
    await proxy.close();
    await server.close();
  });

  it('gives the same per-task results as without faults, each episode once, retries reported', async () => {
    const evalArgs = ['eval', ...common, '--data-dev-tasks', String(DEV_TASKS), '--eval-batch', '4'];
    const clean = await runEtoCli([...evalArgs, '--out', join(dir, 'clean.jsonl'), ...remote(server.url)]);
    expect(clean.stderr + clean.stdout).toMatch(/0 retries/);
    expect(clean.code).toBe(0);
    const cleanRequests = new Map(server.requests);
    server.requests.clear();

    const faulty = await runEtoCli([
      ...evalArgs, '--out', join(dir, 'faulty.jsonl'), ...remote(proxy.url, ['--policy-timeout-s', '1']),
    ]);
    expect(faulty.code, faulty.stderr).toBe(0);
    const a = records(join(dir, 'clean.jsonl'));
    const b = records(join(dir, 'faulty.jsonl'));
    expect(a).toHaveLength(DEV_TASKS);
    expect(new Set(b.map((t) => t.id)).size).toBe(b.length);
    expect(b.map(outcome)).toEqual(a.map(outcome));
    // mixed results: some successes, some not (the scripted policy gets lost on every third task)
    expect(a.some((t) => t.success) && a.some((t) => !t.success)).toBe(true);

    const injected = Object.fromEntries(proxy.injected);
    const retries = b.reduce((sum, t) => sum + (t.usage?.retries ?? 0), 0);
    const failures = [...proxy.injected].filter(([f]) => f !== 'slow').reduce((sum, [, n]) => sum + n, 0);
    console.log(`faults injected ${JSON.stringify(injected)}; retries recorded ${retries}; CLI: ${faulty.stdout.match(/policy expert-7b:.*/)?.[0]}`);
    expect(failures).toBeGreaterThan(0);
    expect(retries).toBe(failures);
    expect(faulty.stdout).toContain(`${retries} retries`);
    // the server saw each turn exactly once, as without faults
    expect(new Map(server.requests)).toEqual(cleanRequests);
    b.forEach((t) => expect(t.usage?.requests).toBe(t.steps + (t.usage?.retries ?? 0)));
  }, 120_000);
});

describe('eto explore --policy openai, killed and resumed', () => {
  it('does not request a finished episode again', async () => {
    const server = await startExpertServer(replies, 60);
    try {
      const file = join(dir, 'explore.jsonl');
      const args = [
        'explore', ...common, '--iteration', '1', '--data-explore-tasks', String(TRAIN_TASKS),
        '--data-expert-tasks', String(TRAIN_TASKS), '--explore-batch', '2', '--out', file, ...remote(server.url),
      ];
      const first = startEto(args);
      // kill once a few episodes are written, while others are in flight
      for (let waited = 0; records(file).length < 3 && waited < 60_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      first.child.kill('SIGKILL');
      const killed = await first.done;
      expect(killed.signal).toBe('SIGKILL');
      const finishedBefore = records(file);
      expect(finishedBefore.length).toBeGreaterThanOrEqual(3);
      expect(finishedBefore.length).toBeLessThan(TRAIN_TASKS);
      const countsBefore = new Map([...replies.keys()].map((task) => [task, server.perTask(task)]));

      const resumed = await runEtoCli(args);
      expect(resumed.code, resumed.stderr).toBe(0);
      const all = records(file);
      expect(new Set(all.map((t) => t.id)).size).toBe(TRAIN_TASKS);
      expect(all).toHaveLength(TRAIN_TASKS);
      // finished episodes' tasks got no new request; every other task was played (again) in full
      const taskMessage = (t: Trajectory): string => t.messages[2]?.content ?? '';
      for (const t of finishedBefore) expect(server.perTask(taskMessage(t))).toBe(countsBefore.get(taskMessage(t)));
      for (const t of all.slice(finishedBefore.length)) {
        expect(server.perTask(taskMessage(t)) - (countsBefore.get(taskMessage(t)) ?? 0)).toBe(t.steps);
      }
    } finally {
      await server.close();
    }
  }, 120_000);
});
