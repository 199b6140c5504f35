import { describe, expect, it } from 'vitest';
import type { Task } from './tasks.ts';
import { fixtureEnv } from './test-helpers.ts';

const NOTHING = 'Nothing happens.';
const say = (env: ReturnType<typeof fixtureEnv>, action: string): string => env.step(action).observation;

describe('alfworld commands: success and failure texts (benchmarks.md §2.2)', () => {
  it('go to: arrival prefix and the three receptacle views', () => {
    const env = fixtureEnv();
    expect(say(env, 'go to countertop 1')).toBe('You arrive at loc 12. On the countertop 1, you see a apple 1, a bread 1, and a lettuce 1.');
    expect(say(env, 'go to countertop 1')).toBe('You arrive at loc 12. On the countertop 1, you see a apple 1, a bread 1, and a lettuce 1.');
    expect(say(env, 'go to fridge 1')).toBe('You arrive at loc 5. The fridge 1 is closed.');
    expect(say(env, 'go to cabinet 1')).toBe('You arrive at loc 3. On the cabinet 1, you see nothing.');
    expect(say(env, 'go to cabinet 9')).toBe(NOTHING);
    expect(say(env, 'go to the countertop 1')).toBe(NOTHING);
    expect(say(env, 'go to Countertop 1')).toBe(NOTHING);
    expect(say(env, '  go to desk 1 \n')).toBe('You arrive at loc 7. On the desk 1, you see a desklamp 1.');
  });

  it('open / close, and closed receptacles hide their contents', () => {
    const env = fixtureEnv();
    expect(say(env, 'open fridge 1')).toBe(NOTHING); // not there yet
    say(env, 'go to fridge 1');
    expect(say(env, 'take apple 2 from fridge 1')).toBe(NOTHING);
    expect(say(env, 'examine apple 2')).toBe(NOTHING);
    expect(say(env, 'close fridge 1')).toBe(NOTHING);
    expect(say(env, 'open fridge 1')).toBe('You open the fridge 1. The fridge 1 is open. In it, you see a apple 2.');
    expect(say(env, 'open fridge 1')).toBe(NOTHING);
    expect(say(env, 'examine fridge 1')).toBe('The fridge 1 is open. In it, you see a apple 2.');
    expect(say(env, 'close fridge 1')).toBe('You close the fridge 1.');
    expect(say(env, 'examine fridge 1')).toBe('The fridge 1 is closed.');
    say(env, 'go to cabinet 1');
    expect(say(env, 'open cabinet 1')).toBe(NOTHING); // open shelving
  });

  it('take / put: one object at a time, canContain, the literal in/on', () => {
    const env = fixtureEnv();
    say(env, 'go to countertop 1');
    expect(say(env, 'take apple 1 from countertop 1')).toBe('You pick up the apple 1 from the countertop 1.');
    expect(say(env, 'take bread 1 from countertop 1')).toBe(NOTHING);
    expect(say(env, 'inventory')).toBe('You are carrying: a apple 1.');
    expect(say(env, 'examine apple 1')).toBe("There's nothing special about apple 1.");
    say(env, 'go to coffeemachine 1');
    expect(say(env, 'put apple 1 in/on coffeemachine 1')).toBe(NOTHING); // coffeemachine holds mugs only
    say(env, 'go to countertop 1');
    expect(say(env, 'put apple 1 in countertop 1')).toBe(NOTHING);
    expect(say(env, 'put apple 1 in/on countertop 1')).toBe('You put the apple 1 in/on the countertop 1.');
    expect(say(env, 'inventory')).toBe('You are not carrying anything.');
    say(env, 'go to desk 1');
    expect(say(env, 'take desklamp 1 from desk 1')).toBe(NOTHING);
  });

  it('put into a closed receptacle needs it open', () => {
    const env = fixtureEnv();
    say(env, 'go to countertop 1');
    say(env, 'take apple 1 from countertop 1');
    say(env, 'go to fridge 1');
    expect(say(env, 'put apple 1 in/on fridge 1')).toBe(NOTHING);
    say(env, 'open fridge 1');
    expect(say(env, 'put apple 1 in/on fridge 1')).toBe('You put the apple 1 in/on the fridge 1.');
    expect(say(env, 'examine fridge 1')).toBe('The fridge 1 is open. In it, you see a apple 2, and a apple 1.');
  });

  it('heat / cool / clean at the appliance without opening it, with the examine texts', () => {
    const env = fixtureEnv();
    say(env, 'go to countertop 1');
    say(env, 'take apple 1 from countertop 1');
    expect(say(env, 'heat apple 1 with microwave 1')).toBe(NOTHING); // not at the microwave
    say(env, 'go to microwave 1');
    expect(say(env, 'heat apple 1 with microwave 1')).toBe('You heat the apple 1 using the microwave 1.');
    expect(say(env, 'examine apple 1')).toBe('This is a hot apple 1.');
    expect(say(env, 'cool apple 1 with microwave 1')).toBe(NOTHING);
    say(env, 'go to fridge 1');
    expect(say(env, 'cool apple 1 with fridge 1')).toBe('You cool the apple 1 using the fridge 1.');
    expect(say(env, 'examine apple 1')).toBe('This is a cold apple 1.');
    say(env, 'go to sinkbasin 1');
    expect(say(env, 'clean apple 1 with sinkbasin 1')).toBe('You clean the apple 1 using the sinkbasin 1.');
    expect(say(env, 'examine apple 1')).toBe('This is a cool and clean apple 1.');
    say(env, 'go to microwave 1');
    say(env, 'heat apple 1 with microwave 1');
    expect(say(env, 'examine apple 1')).toBe('This is a hot and clean apple 1.');
    expect(say(env, 'inventory')).toBe('You are carrying: a apple 1.'); // the object stays in hand
  });

  it('heat refuses objects outside the heatable set; clean outside the cleanable set', () => {
    const env = fixtureEnv();
    say(env, 'go to countertop 1');
    say(env, 'take lettuce 1 from countertop 1');
    say(env, 'go to microwave 1');
    expect(say(env, 'heat lettuce 1 with microwave 1')).toBe(NOTHING);
    say(env, 'go to countertop 1');
    say(env, 'put lettuce 1 in/on countertop 1');
    say(env, 'take bread 1 from countertop 1');
    say(env, 'go to sinkbasin 1');
    expect(say(env, 'clean bread 1 with sinkbasin 1')).toBe(NOTHING);
  });

  it('use turns a lamp on every time; toggle does not exist; look and examine', () => {
    const env = fixtureEnv();
    expect(say(env, 'look')).toBe(
      'You are in the middle of a room. Looking quickly around you, you see a cabinet 2, a cabinet 1, a coffeemachine 1, a countertop 1, a desk 1, a fridge 1, a microwave 1, and a sinkbasin 1.',
    );
    expect(say(env, 'use desklamp 1')).toBe(NOTHING);
    say(env, 'go to desk 1');
    expect(say(env, 'examine desklamp 1')).toBe('This desklamp 1 is off.');
    expect(say(env, 'toggle desklamp 1 desk 1')).toBe(NOTHING);
    expect(say(env, 'use desklamp 1')).toBe('You turn on the desklamp 1.');
    expect(say(env, 'use desklamp 1')).toBe('You turn on the desklamp 1.');
    expect(say(env, 'examine desklamp 1')).toBe('This desklamp 1 is on.');
    expect(say(env, 'look')).toBe('You are facing the desk 1. Next to it, you see nothing.');
    expect(say(env, 'examine desk 1')).toBe('On the desk 1, you see a desklamp 1.');
    expect(say(env, 'help')).toBe(NOTHING);
    expect(say(env, 'move mug 1 to desk 1')).toBe(NOTHING);
  });

  it('lists admissible commands that all succeed, and sorts them', () => {
    const env = fixtureEnv();
    const reset = env.reset({ split: 'fixture', task: 0 });
    const valid = reset.info.validActions ?? [];
    expect(valid).toEqual([...valid].sort());
    expect(valid).toContain('go to cabinet 2');
    expect(valid).toContain('inventory');
    expect(valid.some((a) => a.startsWith('take '))).toBe(false);
    const at = env.step('go to countertop 1').info.validActions ?? [];
    expect(at).toEqual(expect.arrayContaining(['take apple 1 from countertop 1', 'examine countertop 1', 'examine lettuce 1']));
    for (const action of at) {
      const probe = fixtureEnv();
      probe.step('go to countertop 1');
      expect(probe.step(action).info.invalidAction, action).toBe(false);
    }
  });
});

describe('alfworld goals: checked after every step, any instance of the target type', () => {
  const play = (task: Task, actions: string[]): boolean[] => {
    const env = fixtureEnv(task);
    return actions.map((action) => env.step(action).info.won === true);
  };
  it('put', () => {
    expect(play({ type: 'put', object: 'mug', target: 'coffeemachine', template: 0 }, ['go to cabinet 2', 'open cabinet 2', 'take mug 1 from cabinet 2', 'go to coffeemachine 1', 'put mug 1 in/on coffeemachine 1']))
      .toEqual([false, false, false, false, true]);
  });
  it('heat needs the hot flag; the reward is 1 on the winning step', () => {
    const env = fixtureEnv({ type: 'heat', object: 'apple', target: 'countertop', template: 1 });
    env.step('go to countertop 1');
    env.step('take apple 1 from countertop 1');
    expect(env.step('put apple 1 in/on countertop 1').reward).toBe(0);
    env.step('take apple 1 from countertop 1');
    env.step('go to microwave 1');
    env.step('heat apple 1 with microwave 1');
    env.step('go to countertop 1');
    const win = env.step('put apple 1 in/on countertop 1');
    expect([win.reward, win.terminated, win.info.won]).toEqual([1, true, true]);
    expect(() => env.step('look')).toThrow(/after the episode/);
  });
  it('cool and clean', () => {
    expect(play({ type: 'cool', object: 'apple', target: 'countertop', template: 0 }, ['go to countertop 1', 'take apple 1 from countertop 1', 'go to fridge 1', 'cool apple 1 with fridge 1', 'go to countertop 1', 'put apple 1 in/on countertop 1']).at(-1)).toBe(true);
    expect(play({ type: 'clean', object: 'apple', target: 'countertop', template: 0 }, ['go to countertop 1', 'take apple 1 from countertop 1', 'go to fridge 1', 'cool apple 1 with fridge 1', 'go to countertop 1', 'put apple 1 in/on countertop 1']).at(-1)).toBe(false);
  });
  it('examine: holding the object where a lit lamp is, in either order', () => {
    const task: Task = { type: 'examine', object: 'apple', target: 'desklamp', template: 0 };
    expect(play(task, ['go to countertop 1', 'take apple 1 from countertop 1', 'go to desk 1', 'use desklamp 1'])).toEqual([false, false, false, true]);
    expect(play(task, ['go to desk 1', 'use desklamp 1', 'go to countertop 1', 'take apple 1 from countertop 1', 'go to desk 1'])).toEqual([false, false, false, false, true]);
  });
  it('puttwo needs two distinct objects in the same receptacle', () => {
    const task: Task = { type: 'puttwo', object: 'mug', target: 'countertop', template: 0 };
    const wins = play(task, ['go to cabinet 2', 'open cabinet 2', 'take mug 1 from cabinet 2', 'go to countertop 1', 'put mug 1 in/on countertop 1', 'go to cabinet 2', 'take mug 2 from cabinet 2', 'go to countertop 1', 'put mug 2 in/on countertop 1']);
    expect(wins.indexOf(true)).toBe(8);
  });
});
