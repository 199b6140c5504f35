// #15 Done-when 2: `eto eval --policy openai` against `eto serve` of checkpoints/alfworld-small-sft plays the
// same 30 tasks exactly as the in-process greedy eval: the same reward, steps and every message of every episode.
// This is the whole remote path — OpenAI client, chat template on the server, batching, stop strings — held to
// the in-process one token for token.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJsonl } from '../src/data/jsonl.ts';
import { TrajectorySchema, type Trajectory } from '../src/data/schemas.ts';
import { repoRoot, runEtoCli, startServe } from './helpers/cli.ts';

const MODEL = join(repoRoot, 'checkpoints/alfworld-small-sft');
const TASKS = '30';
const dir = mkdtempSync(join(tmpdir(), 'eto-serve-eval-'));
let baseURL = '';
let stop = (): void => {};

beforeAll(async () => {
  ({ baseURL, stop } = await startServe(['--model', MODEL, '--port', '0', '--served-name', 'alfworld-sft', '--max-batch', '8']));
}, 30_000);
afterAll(() => stop());

const episode = (t: Trajectory) => ({ task: t.task, reward: t.reward, steps: t.steps, success: t.success, messages: t.messages });

describe('eto eval --policy openai against eto serve', () => {
  it('matches the in-process greedy eval on every episode of 30 seen tasks', async () => {
    const common = ['eval', '--split', 'seen', '--data-test-tasks', TASKS];
    const local = runEtoCli([...common, '--model', MODEL, '--out', join(dir, 'local.jsonl')]);
    const remote = runEtoCli([...common, '--model', MODEL, '--policy', 'openai', '--policy-base-url', baseURL,
      '--policy-model', 'alfworld-sft', '--policy-concurrency', '8', '--out', join(dir, 'remote.jsonl')]);
    const [ours, theirs] = await Promise.all([local, remote]);
    expect(ours.code, ours.stderr).toBe(0);
    expect(theirs.code, theirs.stderr).toBe(0);
    const inProcess = readJsonl(join(dir, 'local.jsonl'), TrajectorySchema).map(episode);
    const served = readJsonl(join(dir, 'remote.jsonl'), TrajectorySchema).map(episode);
    expect(served).toHaveLength(Number(TASKS));
    const byTask = (list: ReturnType<typeof episode>[]) => [...list].sort((a, b) => a.task.localeCompare(b.task));
    expect(byTask(served)).toEqual(byTask(inProcess));
    console.log(`30 episodes identical; success ${served.filter((e) => e.success).length}/30; ` +
      `${theirs.stderr.split('\n').find((l) => l.includes('requests')) ?? ''}`);
  }, 240_000);
});
