import { describe, expect, it } from 'vitest';
import { toyEnv } from '../../test/helpers/toy-env.ts';
import type { Message, Trajectory } from '../data/schemas.ts';
import { runEpisodes, type EpisodeTask } from './batch-loop.ts';
import { runScriptedEpisode } from './episode.ts';
import { ETO_STOP_STRINGS, type Policy } from './policy.ts';

const act = { temperature: 0, topP: 1, maxNewTokens: 32, stop: ETO_STOP_STRINGS, seed: 1 };
const tasks: EpisodeTask[] = Array.from({ length: 7 }, (_, task) => ({ id: `t${task}`, split: 'train', task, seed: 0 }));

/** Plays the expert for even tasks and a wrong room for odd ones; records every batch it was asked for. */
function scriptedPolicy(calls: Message[][][]): Policy {
  return {
    name: 'scripted',
    async act(conversations) {
      calls.push(conversations);
      return conversations.map((conversation) => {
        const task = conversation.find((m) => m.role === 'user' && m.content.includes('Your task is to: go to room') && !m.content.startsWith('You are in room 1.\nYour task is to: go to room 2.'));
        const target = Number(/go to room (\d)/.exec(task?.content ?? '')?.[1]);
        const start = Number(/You are in room (\d)/.exec(task?.content ?? '')?.[1]);
        return start % 2 === 0 ? `Thought: I go to room ${target}.\nAction: go to ${target}` : 'Thought: wander.\nAction: go to 9x';
      });
    },
  };
}

describe('runEpisodes', () => {
  it('batches live episodes per turn, streams finished ones and matches the single-episode machine', async () => {
    const calls: Message[][][] = [];
    const finished: Trajectory[] = [];
    const progress: number[] = [];
    await runEpisodes({
      module: toyEnv, tasks, policy: scriptedPolicy(calls), act, withExample: true, source: 'eval', iteration: 0, maxLive: 4,
      onFinished: (t) => finished.push(t), onProgress: (p) => progress.push(p.finished),
    });
    expect(finished.map((t) => t.id).sort()).toEqual(tasks.map((t) => t.id).sort());
    // never more than maxLive conversations per call; the one-shot example sits after "OK"
    expect(Math.max(...calls.map((c) => c.length))).toBe(4);
    expect(calls[0]?.[0]?.slice(2, 5)).toEqual(toyEnv.harness.iclExample);
    // stored trajectories never contain the example
    for (const t of finished) expect(t.messages.slice(2)).not.toContainEqual(toyEnv.harness.iclExample[1]);
    // start room = task mod 3: even start rooms succeed in one step, odd ones hit the 4-step cap
    for (const t of finished) {
      const start = Number(t.task) % 3;
      expect(t.success).toBe(start % 2 === 0);
      expect(t.steps).toBe(start % 2 === 0 ? 1 : 4);
      expect(t.endReason).toBe(start % 2 === 0 ? 'success' : 'max_steps');
    }
    // same result as one scripted episode for a successful task
    const env = toyEnv.create();
    const single = runScriptedEpisode(toyEnv, env, { split: 'train', task: 0, seed: 0 }, (e, r) => toyEnv.createExpert(e, r, 0), { id: 't0', source: 'eval', iteration: 0, policy: 'scripted' });
    expect(finished.find((t) => t.id === 't0')?.messages).toEqual(single.messages);
    expect(progress.at(-1)).toBe(7);
  });

  it('drops old turns to fit the policy window, and ends with context_overflow when nothing fits', async () => {
    const calls: Message[][][] = [];
    const finished: Trajectory[] = [];
    const base = scriptedPolicy(calls);
    const policy: Policy = {
      name: 'limited',
      act: base.act,
      // at most 9 messages; task 1 (room 1 → room 9) never fits
      fits: (conversation) => conversation.length <= 9 && !conversation.some((m) => m.content.startsWith('You are in room 1.\nYour task is to: go to room 9')),
    };
    await runEpisodes({ module: toyEnv, tasks: [tasks[0]!, tasks[1]!, tasks[4]!], policy, act, withExample: true, source: 'eval', iteration: 0, maxLive: 3, onFinished: (t) => finished.push(t) });
    const overflow = finished.find((t) => t.id === 't1');
    expect(overflow?.endReason).toBe('context_overflow');
    expect(overflow?.steps).toBe(0);
    expect(finished.find((t) => t.id === 't0')?.endReason).toBe('success');
    // task 4 (start room 1) wanders to the 4-step cap; its stored trajectory keeps every turn
    const long = finished.find((t) => t.id === 't4');
    expect(long?.endReason).toBe('max_steps');
    expect(long?.messages).toHaveLength(3 + 4 + 3);
    // the last context it was given: head (3) + example (3) + the newest assistant/observation... ≤ 9 messages
    const lastContext = calls.at(-1)?.[0];
    expect(lastContext?.length).toBe(8);
    expect(lastContext?.slice(2, 5)).toEqual(toyEnv.harness.iclExample);
    expect(lastContext?.at(-1)?.content).toBe('Observation: Nothing happens.');
  });
});
