// A small hand-built kitchen with a desk lamp for the ALFWorld tests: every receptacle kind that a
// command needs, with known locations and contents, loaded straight into an AlfWorldEnv.
import { AlfWorldEnv } from './alfworld-env.ts';
import type { Task } from './tasks.ts';
import { emptyState, makeGame, type Floorplan, type Game, type Receptacle, type Thing } from './world.ts';

const receptacle = (type: string, number: number, openable: boolean, loc: number): Receptacle => ({ name: `${type} ${number}`, type, number, openable, loc });
const thing = (type: string, number: number, portable = true): Thing => ({ name: `${type} ${number}`, type, number, portable });

export function fixtureGame(task: Task): Game {
  const plan: Floorplan = {
    id: 999,
    kind: 'kitchen',
    receptacles: [
      receptacle('cabinet', 2, true, 4),
      receptacle('cabinet', 1, false, 3),
      receptacle('coffeemachine', 1, false, 9),
      receptacle('countertop', 1, false, 12),
      receptacle('desk', 1, false, 7),
      receptacle('fridge', 1, true, 5),
      receptacle('microwave', 1, true, 6),
      receptacle('sinkbasin', 1, false, 8),
    ],
    lamp: { type: 'desklamp', host: 'desk 1' },
  };
  const state = emptyState();
  const things: Thing[] = [];
  const place = (t: Thing, where: string): void => {
    things.push(t);
    state.where.set(t.name, where);
  };
  place(thing('apple', 1), 'countertop 1');
  place(thing('apple', 2), 'fridge 1');
  place(thing('bread', 1), 'countertop 1');
  place(thing('mug', 1), 'cabinet 2');
  place(thing('mug', 2), 'cabinet 2');
  place(thing('lettuce', 1), 'countertop 1');
  place(thing('desklamp', 1, false), 'desk 1');
  return makeGame(plan, things, task, state);
}

export function fixtureEnv(task: Task = { type: 'put', object: 'mug', target: 'coffeemachine', template: 0 }): AlfWorldEnv {
  const game = fixtureGame(task);
  const env = new AlfWorldEnv(() => game);
  env.reset({ split: 'fixture', task: 0 });
  return env;
}
