import { describe, expect, it } from 'vitest';
import type { Message, Trajectory } from '../data/schemas.ts';
import { PairSchema } from '../data/schemas.ts';
import { buildPairs } from './pairs.ts';

const user = (content: string): Message => ({ role: 'user', content });
const bot = (content: string): Message => ({ role: 'assistant', content });

function trajectory(task: string, reward: number, turns: number, options: { source?: Trajectory['source']; tag?: string; taskMessage?: string } = {}): Trajectory {
  const messages: Message[] = [user('instruction'), bot('OK'), user(options.taskMessage ?? `task ${task}`)];
  for (let i = 0; i < turns; i++) {
    if (i > 0) messages.push(user(`Observation: ${options.tag ?? 'x'}${i}`));
    messages.push(bot(`Action: ${options.tag ?? 'x'}${i}`));
  }
  return {
    id: `${options.source ?? 'explore'}-${task}`, env: 'toy', split: 'train', task, source: options.source ?? 'explore',
    iteration: 1, messages, reward, success: reward >= 1, steps: turns, endReason: reward >= 1 ? 'success' : 'max_steps', policy: 'p',
  };
}

describe('ETO pair rule', () => {
  it('agent worse than expert: expert chosen, agent rejected, prompt = instruction, OK, expert task', () => {
    const expert = trajectory('1', 1, 3, { source: 'expert', tag: 'e' });
    const agent = trajectory('1', 0, 4, { tag: 'a', taskMessage: 'agent view of task 1' });
    const { pairs, stats } = buildPairs([expert], [agent]);
    expect(stats).toEqual({ lose: 1, win: 0, tie: 0, malformed: 0, noExpert: 0 });
    const pair = PairSchema.parse(pairs[0]);
    expect(pair.prompt).toEqual(expert.messages.slice(0, 3));
    expect(pair.chosen).toEqual(expert.messages.slice(3));
    expect(pair.rejected).toEqual(agent.messages.slice(3));
    expect([pair.chosenReward, pair.rejectedReward]).toEqual([1, 0]);
  });

  it('agent better than expert: flipped, prompt from the agent', () => {
    const expert = trajectory('2', 0.75, 2, { source: 'expert', tag: 'e' });
    const agent = trajectory('2', 1, 2, { tag: 'a', taskMessage: 'agent task' });
    const { pairs, stats } = buildPairs([expert], [agent]);
    expect(stats.win).toBe(1);
    expect(pairs[0]?.prompt[2]).toEqual(user('agent task'));
    expect(pairs[0]?.chosen).toEqual(agent.messages.slice(3));
    expect(pairs[0]?.rejected).toEqual(expert.messages.slice(3));
    expect([pairs[0]?.chosenReward, pairs[0]?.rejectedReward]).toEqual([1, 0.75]);
  });

  it('ties (both succeed, both equal) are dropped; tasks without an expert are counted', () => {
    const { pairs, stats } = buildPairs(
      [trajectory('1', 1, 2, { source: 'expert' }), trajectory('2', 0.5, 2, { source: 'expert' })],
      [trajectory('1', 1, 5), trajectory('2', 0.5, 1), trajectory('3', 0, 2)],
    );
    expect(pairs).toEqual([]);
    expect(stats).toEqual({ lose: 0, win: 0, tie: 2, malformed: 0, noExpert: 1 });
  });

  it('truncates the rejected side to the expert length + 5 rounds, ending on an assistant turn', () => {
    const expert = trajectory('1', 1, 3, { source: 'expert', tag: 'e' }); // 5 messages after the prompt
    const agent = trajectory('1', 0, 40, { tag: 'a' }); // 79 messages
    const pair = buildPairs([expert], [agent]).pairs[0]!;
    expect(pair.rejected).toHaveLength(5 + 10);
    expect(pair.rejected).toEqual(agent.messages.slice(3, 18));
    expect(pair.rejected.at(-1)?.role).toBe('assistant');
    // a shorter failure is kept whole
    const short = buildPairs([expert], [trajectory('1', 0, 6, { tag: 'a' })]).pairs[0]!;
    expect(short.rejected).toHaveLength(11);
  });

  it('drops a trailing observation and pairs whose side has no assistant turn', () => {
    const expert = trajectory('1', 1, 2, { source: 'expert', tag: 'e' });
    const agent = trajectory('1', 0, 2, { tag: 'a' });
    agent.messages.push(user('Observation: last'));
    const pair = buildPairs([expert], [agent]).pairs[0]!;
    expect(pair.rejected.at(-1)).toEqual(bot('Action: a1'));
    const empty = { ...trajectory('1', 0, 0), messages: [user('instruction'), bot('OK'), user('task 1')] };
    expect(buildPairs([expert], [empty]).stats.malformed).toBe(1);
  });

  it('step level: shared prefix joins the prompt, one differing assistant turn per side', () => {
    const expert = trajectory('1', 1, 3, { source: 'expert', tag: 'e' });
    const agent = { ...trajectory('1', 0, 3, { tag: 'a' }) };
    // the agent copies the expert's first turn and observation, then differs
    agent.messages = [...expert.messages.slice(0, 5), bot('Action: wrong'), user('Observation: Nothing happens.'), bot('Action: a2')];
    const pair = buildPairs([expert], [agent], { kind: 'step' }).pairs[0]!;
    expect(pair.kind).toBe('step');
    expect(pair.prompt).toEqual(expert.messages.slice(0, 5));
    expect(pair.chosen).toEqual([expert.messages[5]]);
    expect(pair.rejected).toEqual([bot('Action: wrong')]);
    // a failure that is a prefix of the success has no step to contrast
    const prefix = { ...agent, messages: expert.messages.slice(0, 6) };
    expect(buildPairs([expert], [prefix], { kind: 'step' }).stats.malformed).toBe(1);
  });
});
