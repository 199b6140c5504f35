import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScriptedEpisode } from '../../agent/episode.ts';
import { Rng } from '../../rng.ts';
import { alfworld } from '../alfworld/index.ts';
import { RemoteEnv } from './remote-env.ts';
import { startServer, type ServedEnv } from './test-helpers.ts';

const meta = { id: 't', source: 'expert' as const, iteration: 0, policy: 'expert' };
const served: ServedEnv[] = [];
const remotes: RemoteEnv[] = [];

afterAll(() => {
  for (const remote of remotes) remote.close();
  for (const server of served) server.stop();
});

describe('RemoteEnv against `eto env serve alfworld` over loopback HTTP', () => {
  let remote: RemoteEnv;
  beforeAll(async () => {
    const server = await startServer(['alfworld']);
    served.push(server);
    remote = new RemoteEnv({ baseUrl: server.baseUrl, protocol: 'alfworld', name: 'alfworld', splits: alfworld.splits() });
    remotes.push(remote);
  }, 60_000);

  it('plays full expert episodes with the same trajectories as the in-process env', () => {
    const local = alfworld.create();
    const tasks: [string, number][] = [['train', 0], ['train', 3320], ['dev', 7], ['seen', 12], ['seen', 139], ['unseen', 0], ['unseen', 77], ['unseen', 133]];
    for (const [split, task] of tasks) {
      const inProcess = runScriptedEpisode(alfworld, local, { split, task }, (e, r) => alfworld.createExpert(e, r, task), meta);
      const overHttp = runScriptedEpisode(alfworld, remote, { split, task }, (e, r) => alfworld.createExpert(e, r, task), meta);
      expect(overHttp, `${split}/${task}`).toEqual(inProcess);
      expect(overHttp.success).toBe(true);
    }
  });

  it('matches step by step on random actions, invalid ones included, and refuses steps after the end', () => {
    const local = alfworld.create();
    const rng = new Rng(3);
    const a = local.reset({ split: 'unseen', task: 9 });
    const b = remote.reset({ split: 'unseen', task: 9 });
    expect(b.observation).toBe(a.observation);
    let valid = a.info.validActions ?? [];
    for (let i = 0; i < 30; i++) {
      const action = rng.next() < 0.3 ? 'jump around' : rng.pick(valid);
      const x = local.step(action);
      const y = remote.step(action);
      expect(alfworld.harness.formatObservation(y.observation)).toBe(alfworld.harness.formatObservation(x.observation));
      expect([y.reward, y.terminated, y.info.validActions, y.info.invalidAction]).toEqual([x.reward, x.terminated, x.info.validActions, x.info.invalidAction]);
      valid = x.info.validActions ?? [];
      if (x.terminated) break;
    }
    const episode = runScriptedEpisode(alfworld, remote, { split: 'seen', task: 3 }, (e, r) => alfworld.createExpert(e, r, 0), meta);
    expect(episode.success).toBe(true);
    expect(() => remote.step('look')).toThrow(/ended/);
  });
});

describe('RemoteEnv over the SciWorld and WebShop protocol flavours', () => {
  it.each(['sciworld', 'webshop'] as const)('%s: observations and rewards round-trip', async (protocol) => {
    const server = await startServer(['alfworld', '--protocol', protocol]);
    served.push(server);
    const remote = new RemoteEnv({ baseUrl: server.baseUrl, protocol, splits: alfworld.splits() });
    remotes.push(remote);
    const local = alfworld.create();
    const episode = runScriptedEpisode(alfworld, local, { split: 'dev', task: 4 }, (e, r) => alfworld.createExpert(e, r, 0), meta);
    const a = local.reset({ split: 'dev', task: 4 });
    expect(remote.reset({ split: 'dev', task: 4 }).observation).toBe(a.observation);
    const actions = episode.messages.filter((m, i) => i > 2 && m.role === 'assistant').map((m) => alfworld.harness.parseAction(m.content) ?? '');
    let last = { reward: 0, terminated: false };
    for (const action of actions) {
      const x = local.step(action);
      const y = remote.step(action);
      expect(y.observation).toBe(x.observation);
      last = y;
    }
    expect(last).toMatchObject({ reward: 1, terminated: true });
  }, 60_000);
});
