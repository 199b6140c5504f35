import { describe, expect, it } from 'vitest';
import { runScriptedEpisode } from '../../agent/episode.ts';
import type { Trajectory } from '../../data/schemas.ts';
import { Rng } from '../../rng.ts';
import { keywordsFrom } from './expert.ts';
import { webshop } from './index.ts';

function play(split: string, task: number, seed: number): Trajectory {
  const env = webshop.create();
  return runScriptedEpisode(webshop, env, { split, task }, (e, r) => webshop.createExpert(e, r, seed), { id: `${split}/${task}`, source: 'expert', iteration: 0, policy: 'expert' });
}

describe('WebShop expert', () => {
  const size = webshop.splits().find((s) => s.name === 'test')!.size;
  const runs = Array.from({ length: size }, (_, task) => play('test', task, 0));

  it('over the test split: mean reward in [0.7, 0.95] and mean length near ETO’s 4.9 turns', () => {
    const meanReward = runs.reduce((s, t) => s + t.reward, 0) / runs.length;
    const meanSteps = runs.reduce((s, t) => s + t.steps, 0) / runs.length;
    expect(size).toBe(200);
    expect(meanReward).toBeGreaterThanOrEqual(0.7);
    expect(meanReward).toBeLessThanOrEqual(0.95);
    expect(meanSteps).toBeGreaterThan(4.3);
    expect(meanSteps).toBeLessThan(5.5);
    // imperfect, but never a wasted episode: every run ends with a purchase
    expect(runs.every((t) => t.endReason === 'success' || t.endReason === 'done')).toBe(true);
    expect(runs.some((t) => t.reward < 1)).toBe(true);
  });

  it('writes Thought/Action replies whose actions are all valid, with varied thoughts', () => {
    const thoughts = new Set<string>();
    const env = webshop.create();
    runs.slice(0, 60).forEach((t, task) => {
      env.reset({ split: 'test', task });
      // messages: instruction, OK, task, then assistant/user turns
      for (const m of t.messages.slice(3).filter((x) => x.role === 'assistant')) {
        expect(m.content).toMatch(/^Thought: .+\nAction: (search|click)\[.+\]$/);
        thoughts.add(m.content.split('\n')[0]!);
        const result = env.step(m.content.split('Action: ')[1]!);
        expect(result.info.invalidAction).toBe(false);
      }
    });
    expect(thoughts.size).toBeGreaterThan(40);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    expect(play('test', 3, 5)).toEqual(play('test', 3, 5));
    const a = Array.from({ length: 20 }, (_, i) => play('dev', i, 1).messages.map((m) => m.content).join('|'));
    const b = Array.from({ length: 20 }, (_, i) => play('dev', i, 2).messages.map((m) => m.content).join('|'));
    expect(a.some((text, i) => text !== b[i])).toBe(true);
  });

  it('derives search keywords from the instruction without the price text or lead-in', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 10; i++) {
      const keywords = keywordsFrom('i am looking for a paraben free shampoo in lavender scent, and price lower than 30.00 dollars', rng);
      expect(keywords).not.toMatch(/price|dollars|looking/);
      expect(keywords).toContain('paraben free shampoo');
      expect(keywords).toContain('lavender');
    }
  });
});
