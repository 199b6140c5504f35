import { describe, expect, it } from 'vitest';
import { runScriptedEpisode } from '../../agent/episode.ts';
import type { StepResult } from '../types.ts';
import { harness, ICL_EXAMPLE, INVALID_FORMAT, parseAction } from './harness.ts';
import { fixtureEnvFor } from './test-shop.ts';
import { webshop } from './index.ts';

const meta = { id: 't', source: 'expert' as const, iteration: 0, policy: 'test' };

describe('WebShop ETO harness (benchmarks.md §0.1)', () => {
  it('takes everything after the first "Action: " and needs the space', () => {
    expect(parseAction('Thought: x\nAction: click[Buy Now]\nextra')).toBe('click[Buy Now]\nextra');
    expect(parseAction('Thought: x\nAction:click[Buy Now]')).toBeNull();
    expect(parseAction('  Action: search[tea]  ')).toBe('search[tea]');
  });

  it('starts with the reset page and prefixes observations with "Observation:\\n"', () => {
    const env = webshop.create();
    const reset = env.reset({ split: 'test', task: 0 });
    expect(harness.taskMessage(reset)).toBe(reset.observation);
    expect(reset.observation.startsWith('WebShop [SEP] Instruction: [SEP] ')).toBe(true);
    expect(harness.formatObservation('abc')).toBe('Observation:\nabc');
    expect(harness.maxSteps(reset)).toBe(10);
  });

  it('scores 0 when the 10-step cap ends the episode before a purchase', () => {
    const env = webshop.create();
    let turn = 0;
    const wanderer = { act: () => (turn++ % 2 === 0 ? 'Thought: look.\nAction: search[red dress]' : 'Thought: hmm\nno action here') };
    const trajectory = runScriptedEpisode(webshop, env, { split: 'test', task: 1 }, () => wanderer, meta);
    expect(trajectory.steps).toBe(10);
    expect(trajectory.endReason).toBe('max_steps');
    expect(trajectory.reward).toBe(0);
    expect(trajectory.messages).toContainEqual({ role: 'user', content: INVALID_FORMAT });
  });

  it("reads the episode's reward from the purchase step only", () => {
    const step = (reward: number, terminated: boolean): StepResult => ({ observation: '', reward, terminated, truncated: false, info: { taskId: 'x' } });
    expect(harness.episodeReward([step(0, false), step(0.75, true)])).toBe(0.75);
    expect(harness.episodeReward([step(0, false)])).toBe(0);
    expect(harness.isSuccess(1)).toBe(true);
    expect(harness.isSuccess(0.99)).toBe(false);
  });

  it("one-shot example pages are what this env renders for the same product (ETO's l'eau d'issey)", () => {
    const env = fixtureEnvFor('B000VOHH8I');
    const iclGoal = "i need a long lasting 6.76 fl oz bottle of l'eau d'issey, and price lower than 100.00 dollars";
    const asRendered = (message: string): string => message.replace('Observation:\n', '').replaceAll(iclGoal, env.goal.instructionText);
    expect(asRendered(ICL_EXAMPLE[0]!.content)).toBe(env.observation);
    env.step("search[l'eau d'issey 6.76 fl oz bottle price < 100.00]");
    const item = env.step('click[B000VOHH8I]').observation;
    expect(asRendered(ICL_EXAMPLE[4]!.content)).toBe(item);
    expect(asRendered(ICL_EXAMPLE[6]!.content)).toBe(env.step('click[6.76 fl oz (pack of 1)]').observation);
    expect(env.step('click[Buy Now]').reward).toBe(1);
  });
});
