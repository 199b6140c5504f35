import { describe, expect, it } from 'vitest';
import { checkEnv } from '../check-env.ts';
import { getEnv } from '../registry.ts';
import { ConfigError } from '../../errors.ts';
import { harness, INSTRUCTION, parseAction, stripArrival } from './harness.ts';
import { alfworld } from './index.ts';

describe('alfworld module', () => {
  it('passes checkEnv on every split', () => {
    const report = checkEnv(alfworld, { tasksPerSplit: 3, steps: 40 });
    expect(report.expertSuccesses).toBe(12);
  });

  it('is registered', async () => {
    expect(await getEnv('alfworld')).toBe(alfworld);
  });

  it('has ETO split sizes by default, configurable, with a dev split', () => {
    expect(alfworld.splits().map((s) => [s.name, s.size, s.role, s.generalisation])).toEqual([
      ['train', 3321, 'train', undefined],
      ['dev', 140, 'dev', 'seen'],
      ['seen', 140, 'test', 'seen'],
      ['unseen', 134, 'test', 'unseen'],
    ]);
    expect(alfworld.splits({ sizes: { train: 10 } })[0]?.size).toBe(10);
    expect(() => alfworld.splits({ sizes: { test: 3 } })).toThrow(ConfigError);
    expect(() => alfworld.create({ colour: 1 })).toThrow(ConfigError);
    const small = alfworld.create({ sizes: { seen: 2 } });
    expect(() => small.reset({ split: 'seen', task: 2 })).toThrow(/outside split seen/);
  });

  it('different world seeds give different games, one seed the same game', () => {
    const a = alfworld.create({ seed: 1 }).reset({ split: 'train', task: 5 }).observation;
    const b = alfworld.create({ seed: 1 }).reset({ split: 'train', task: 5 }).observation;
    const c = alfworld.create({ seed: 2 }).reset({ split: 'train', task: 5 }).observation;
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('generates the last train task lazily and fast', () => {
    const env = alfworld.create();
    const start = performance.now();
    env.reset({ split: 'train', task: 3320 });
    expect(performance.now() - start).toBeLessThan(500);
  });

  it('has a corpus with the instruction and the vocabulary', () => {
    const corpus = (alfworld.corpus?.() ?? []).join(' ');
    expect(corpus).toContain(INSTRUCTION);
    for (const word of ['toiletpaperhanger', 'desklamp', 'peppershaker', 'in/on']) expect(corpus).toContain(word);
  });
});

describe('alfworld ETO harness (benchmarks.md §0.1, §2.8)', () => {
  it('first task message drops the banner and joins with one newline', () => {
    const reset = alfworld.create().reset({ split: 'seen', task: 0 });
    const message = harness.taskMessage(reset);
    expect(message.startsWith('You are in the middle of a room. Looking quickly around you, you see a ')).toBe(true);
    expect(message).toMatch(/\.\nYour task is to: [a-z ]+\.$/);
    expect(message).not.toContain('\n\n');
  });

  it('prefixes observations and strips the arrival sentence the way ETO does', () => {
    expect(harness.formatObservation('You arrive at loc 12. On the countertop 1, you see a apple 2.')).toBe('Observation: On the countertop 1, you see a apple 2.');
    expect(harness.formatObservation('You arrive at loc 3. The fridge 1 is closed.')).toBe('Observation: The fridge 1 is closed.');
    expect(harness.formatObservation('Nothing happens.')).toBe('Observation: Nothing happens.');
    expect(stripArrival('You open the fridge 1. The fridge 1 is open.')).toBe('You open the fridge 1. The fridge 1 is open.');
  });

  it('parses actions with Action:\\s?(.*) over the rest of the reply', () => {
    expect(parseAction('Thought: go.\nAction: go to desk 1')).toBe('go to desk 1');
    expect(parseAction('Action:go to desk 1')).toBe('go to desk 1');
    expect(parseAction('Thought: x\nAction: go to desk 1\nmore')).toBe('go to desk 1\nmore');
    expect(parseAction('Thought: no action here')).toBeNull();
    expect(harness.invalidFormatMessage).toBe("Observation: Error Input. Your input must contains 'Action: '");
  });

  it('caps at 40 steps and reads the reward from won', () => {
    const reset = alfworld.create().reset({ split: 'seen', task: 0 });
    expect(harness.maxSteps(reset)).toBe(40);
    const step = (won: boolean) => ({ observation: '', reward: won ? 1 : 0, terminated: won, truncated: false, info: { taskId: 'x', won } });
    expect(harness.episodeReward([step(false), step(true)])).toBe(1);
    expect(harness.episodeReward([step(false)])).toBe(0);
  });

  it('keeps ETO instruction text verbatim, including its quirks', () => {
    expect(INSTRUCTION.startsWith('Interact with a household to solve a task.')).toBe(true);
    expect(INSTRUCTION).toContain('"Thought: your thoughts.\\nAction: your next action"');
    expect(INSTRUCTION).toContain('6. toggle {obj} {recep}');
    expect(INSTRUCTION).toContain('if the envrionment output "Nothing happened"');
    expect(INSTRUCTION.endsWith('Thought: <your thoughts>\nAction: <your next action>')).toBe(true);
  });

  it('ICL example is the toiletpaper trajectory, consistent with the env texts', () => {
    const actions = harness.iclExample.filter((m) => m.role === 'assistant').map((m) => parseAction(m.content));
    expect(actions).toEqual(['go to toiletpaperhanger 1', 'go to toilet 1', 'take toiletpaper 1 from toilet 1', 'go to toiletpaperhanger 1', 'put toiletpaper 1 in/on toiletpaperhanger 1']);
    expect(harness.iclExample[0]?.content).toContain('Your task is to: put some toiletpaper on toiletpaperhanger.');
  });
});
