import { describe, expect, it } from 'vitest';
import { formatList } from './texts.ts';
import { goalText, parseGoal, TASK_TYPES, type Task } from './tasks.ts';
import { fixtureEnv } from './test-helpers.ts';

describe('alfworld list formatting (benchmarks.md §2.3)', () => {
  it('uses nothing / a X / the Oxford comma, always with the article "a"', () => {
    expect(formatList([])).toBe('nothing');
    expect(formatList(['apple 1'])).toBe('a apple 1');
    expect(formatList(['apple 2', 'egg 1'])).toBe('a apple 2, and a egg 1');
    expect(formatList(['apple 2', 'apple 1', 'bread 1'])).toBe('a apple 2, a apple 1, and a bread 1');
  });

  it('orders by type ascending and instance descending, in room lists and receptacle views', () => {
    const env = fixtureEnv();
    const reset = env.reset({ split: 'fixture', task: 0 });
    expect(reset.observation).toBe(
      '-= Welcome to TextWorld, ALFRED! =-\n\n' +
        'You are in the middle of a room. Looking quickly around you, you see a cabinet 2, a cabinet 1, a coffeemachine 1, a countertop 1, a desk 1, a fridge 1, a microwave 1, and a sinkbasin 1.\n\n' +
        'Your task is to: put a mug in coffeemachine.',
    );
    expect(env.step('go to countertop 1').observation).toBe('You arrive at loc 12. On the countertop 1, you see a apple 1, a bread 1, and a lettuce 1.');
    env.step('go to cabinet 2');
    expect(env.step('open cabinet 2').observation).toBe('You open the cabinet 2. The cabinet 2 is open. In it, you see a mug 2, and a mug 1.');
  });
});

describe('alfworld goal templates (§2.4)', () => {
  const cases: [Task, string][] = [
    [{ type: 'put', object: 'spraybottle', target: 'toilet', template: 1 }, 'put some spraybottle on toilet'],
    [{ type: 'put', object: 'apple', target: 'fridge', template: 0 }, 'put a apple in fridge'],
    [{ type: 'examine', object: 'book', target: 'desklamp', template: 0 }, 'look at book under the desklamp'],
    [{ type: 'examine', object: 'cd', target: 'floorlamp', template: 1 }, 'examine the cd with the floorlamp'],
    [{ type: 'clean', object: 'mug', target: 'coffeemachine', template: 0 }, 'put a clean mug in coffeemachine'],
    [{ type: 'clean', object: 'fork', target: 'drawer', template: 1 }, 'clean some fork and put it in drawer'],
    [{ type: 'heat', object: 'egg', target: 'countertop', template: 0 }, 'put a hot egg in countertop'],
    [{ type: 'heat', object: 'potato', target: 'garbagecan', template: 1 }, 'heat some potato and put it in garbagecan'],
    [{ type: 'cool', object: 'tomato', target: 'diningtable', template: 0 }, 'put a cool tomato in diningtable'],
    [{ type: 'cool', object: 'pan', target: 'stoveburner', template: 1 }, 'cool some pan and put it in stoveburner'],
    [{ type: 'puttwo', object: 'pen', target: 'sidetable', template: 0 }, 'put two pen in sidetable'],
    [{ type: 'puttwo', object: 'cd', target: 'safe', template: 1 }, 'find two cd and put them in safe'],
  ];
  it.each(cases)('%o reads "%s" and parses back', (task, text) => {
    expect(goalText(task)).toBe(text);
    expect(parseGoal(text)).toEqual(task);
  });
  it('covers all six types with both templates', () => {
    expect(new Set(cases.map(([t]) => `${t.type}/${t.template}`)).size).toBe(TASK_TYPES.length * 2);
  });
});
