import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteEnv } from '../agentgym/remote-env.ts';
import { startServer, type ServedEnv } from '../agentgym/test-helpers.ts';
import { sciworld } from './index.ts';
import type { SciWorldEnv } from './sciworld-env.ts';

// `eto env serve sciworld` speaks the AgentGym SciWorld protocol (eto-method.md §8.3); the RemoteEnv
// client must see exactly what the local env shows while the gold expert plays both in lockstep.
let served: ServedEnv | undefined;

beforeAll(async () => {
  served = await startServer(['sciworld']);
}, 60_000);

afterAll(() => served?.stop());

describe('sciworld over the AgentGym protocol', () => {
  it('plays gold episodes remotely with the same observations, scores and ends as locally', () => {
    const remote = new RemoteEnv({ baseUrl: (served as ServedEnv).baseUrl, protocol: 'sciworld', splits: sciworld.splits() });
    try {
      for (const [split, task] of [['seen', 0], ['unseen', 100], ['train', 700], ['dev', 136]] as const) {
        const local = sciworld.create() as SciWorldEnv;
        const localReset = local.reset({ split, task });
        const remoteReset = remote.reset({ split, task });
        expect(remoteReset.observation).toBe(localReset.observation);
        expect(remoteReset.info.taskDescription).toBe(localReset.info.taskDescription);
        const expert = sciworld.createExpert(local, localReset, 0);
        let info = localReset.info;
        let best = 0;
        for (let i = 0; i < 120; i++) {
          const action = sciworld.harness.parseAction(expert.act('', info)) as string;
          const mine = local.step(action);
          const theirs = remote.step(action);
          expect(theirs.observation).toBe(mine.observation);
          best = Math.max(best, Math.round(100 * (mine.info.score as number)) / 100);
          expect(theirs.info.score).toBeCloseTo(best, 10);
          expect(theirs.terminated || theirs.truncated).toBe(mine.terminated || mine.truncated);
          info = mine.info;
          if (mine.terminated || mine.truncated) break;
        }
        expect(local.done).toBe(true);
        expect(info.won).toBe(true);
      }
    } finally {
      remote.close();
    }
  }, 60_000);
});
