// #18: ALFWorld episodes played by the committed base checkpoint with and without the persistent prefix cache
// give the same trajectories, and each turn prefills only what the episode's cache lacks. The window is cut to
// 800 positions so that long episodes drop old turns (context overflow) and the cache must be rebuilt for them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEpisodes, type EpisodeTask } from '../src/agent/batch-loop.ts';
import { createLocalPolicy, type LocalPolicy } from '../src/agent/local-policy.ts';
import { ETO_STOP_STRINGS, type Policy } from '../src/agent/policy.ts';
import type { Message, Trajectory } from '../src/data/schemas.ts';
import { createEngine, type Engine } from '../src/engine/index.ts';
import { getEnv } from '../src/env/registry.ts';
import type { EnvModule } from '../src/env/types.ts';
import { baseCheckpointFor } from '../src/eto/presets.ts';
import type { LlamaModel } from '../src/model/llama.ts';
import { openModel, type PolicyModel } from '../src/model/policy-model.ts';

const WINDOW = 800;
let engine: Engine;
let opened: PolicyModel;
let alfworld: EnvModule;

beforeAll(async () => {
  engine = await createEngine({ threads: 2 });
  opened = openModel(engine, baseCheckpointFor('alfworld'), { grads: false });
  alfworld = await getEnv('alfworld');
});
afterAll(() => engine.dispose());

interface Played {
  trajectories: Trajectory[];
  /** Per policy call: each conversation's prompt length and the tokens prefilled for it. */
  calls: { context: Message[]; length: number; prefilled: number; grown: boolean }[][];
  policy: LocalPolicy;
}

async function play(prefixCache: boolean, tasks: EpisodeTask[], temperature: number): Promise<Played> {
  // the same weights behind a shorter window (rope and weights do not depend on it)
  const small: LlamaModel = { ...opened.model, config: { ...opened.model.config, maxPositionEmbeddings: WINDOW } };
  const policy = createLocalPolicy(small, opened.tokenizer, opened.chat, 'base', { prefixCache });
  const calls: Played['calls'] = [];
  const recording: Policy = {
    name: policy.name,
    fits: (conversation, maxNewTokens) => policy.fits!(conversation, maxNewTokens),
    async act(conversations, options) {
      const grownBefore = policy.prefixCache?.stats.grown ?? 0;
      const replies = await policy.act(conversations, options);
      const grown = (policy.prefixCache?.stats.grown ?? 0) > grownBefore; // a larger cache starts empty
      calls.push(conversations.map((context, i) => ({ grown,
        context,
        length: opened.chat.encodeChatPrompt(context).length,
        prefilled: policy.prefixCache?.lastPrefilled[i] ?? -1,
      })));
      return replies;
    },
  };
  const trajectories: Trajectory[] = [];
  await runEpisodes({
    module: alfworld, tasks, policy: recording, withExample: true, source: 'eval', iteration: 0, maxLive: 4,
    act: { temperature, topP: 1, maxNewTokens: 48, stop: ETO_STOP_STRINGS, seed: 5 },
    onFinished: (t) => trajectories.push(t),
  });
  trajectories.sort((a, b) => a.id.localeCompare(b.id));
  return { trajectories, calls, policy };
}

const tasksFor = (seed: number): EpisodeTask[] =>
  Array.from({ length: 4 }, (_, i) => ({ id: `s${seed}-t${i}`, split: 'seen', task: (i * 7 + seed * 3) % 60, seed }));

describe('episodes with the persistent prefix cache', () => {
  for (const [seed, temperature] of [[1, 0], [2, 0], [3, 0.7]] as const) {
    const name = `play the same trajectories as re-prefilling every turn (seed ${seed}, temperature ${temperature})`;
    it(name, async () => {
      const tasks = tasksFor(seed);
      const cached = await play(true, tasks, temperature);
      const plain = await play(false, tasks, temperature);
      expect(cached.trajectories).toEqual(plain.trajectories);
      // some episode dropped old turns to fit the window: its next context does not continue the previous one
      const taskOf = (context: Message[]): string =>
        context.find((m, i) => i >= 2 && m.content.includes('Your task is'))?.content ?? '';
      const rebuilt = cached.calls.slice(1).flatMap((call, k) => call.filter((turn) => {
        const same = cached.calls[k]!.find((p) => taskOf(p.context) === taskOf(turn.context));
        return same !== undefined && !isPrefix(same.context, turn.context);
      }));
      expect(rebuilt.length).toBeGreaterThan(0);
      // a turn that continues the previous context prefills at most the tokens added since: reply, observation, header
      let continued = 0;
      cached.calls.forEach((call, k) => {
        for (const turn of call) {
          const before = k > 0 ? cached.calls[k - 1]!.find((p) => isPrefix(p.context, turn.context)) : undefined;
          if (!before || turn.grown) continue;
          continued += 1;
          expect(turn.prefilled).toBeLessThanOrEqual(turn.length - before.length);
          expect(turn.prefilled).toBeGreaterThanOrEqual(1);
        }
      });
      expect(continued).toBeGreaterThan(8);
      const stats = cached.policy.prefixCache!.stats;
      expect(stats.prefilledTokens).toBeLessThan(stats.promptTokens / 4);
      expect(stats.keptTokens + stats.copiedTokens + stats.prefilledTokens).toBe(stats.promptTokens);
    }, 120_000);
  }
});

/** Whether `a`'s messages start `b`'s (the same episode one or more turns later, nothing dropped). */
function isPrefix(a: Message[], b: Message[]): boolean {
  return a.length < b.length && a.every((m, i) => m.role === b[i]!.role && m.content === b[i]!.content);
}
