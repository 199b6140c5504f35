import { describe, expect, it } from 'vitest';
import { lookAround } from './describe.ts';
import { ICL_EXAMPLE } from './harness.ts';
import { NO_MATCH } from './sciworld-env.ts';
import { loadTask } from './test-helpers.ts';
import { detach, putInside, roomOf } from './things.ts';
import { room } from './world.ts';

const observationOf = (index: number): string => (ICL_EXAMPLE[index]?.content ?? '').replace(/^Observation: /, '');

describe('sciworld texts', () => {
  it('renders the bedroom exactly as in ETO\'s example', () => {
    const env = loadTask('chemistry-mix-paint-secondary-color', 0);
    const bedroom = room(env.world, 'bedroom');
    const shelf = bedroom.contents.find((t) => t.name === 'book shelf');
    if (shelf) detach(shelf);
    putInside(env.world.agent, bedroom);
    expect(lookAround(env.world, bedroom)).toBe(observationOf(2));
  });

  it('renders the art studio exactly as in ETO\'s example, through the env', () => {
    const env = loadTask('chemistry-mix-paint-secondary-color', 0);
    expect(env.step('teleport to art studio').observation).toBe('You teleport to the art studio.');
    expect(env.step('look around').observation).toBe(observationOf(6).trim());
  });

  it('replays ETO\'s green-paint example with the same observations', () => {
    const env = loadTask('chemistry-mix-paint-secondary-color', 0); // variation 0 asks for green paint
    env.step('teleport to art studio');
    const replies = ICL_EXAMPLE.filter((m) => m.role === 'assistant').slice(2).map((m) => m.content.split('Action: ')[1] as string);
    const seen = replies.map((action) => env.step(action));
    expect(seen.slice(1, 4).map((r) => r.observation)).toEqual([observationOf(8), observationOf(10), observationOf(12)]);
    expect(seen.at(-1)?.info.score).toBe(1);
    expect(seen.at(-1)?.terminated).toBe(true);
  });

  it('parses stop words, synonyms and the whole input, with no tick on a failed parse', () => {
    const env = loadTask('boil', 0);
    env.step('teleport to kitchen');
    const moves = env.step('look around').info.moves;
    const none = env.step('fly to the moon');
    expect(none.observation).toBe(NO_MATCH);
    expect(none.info.invalidAction).toBe(true);
    expect(none.info.moves).toBe(moves);
    expect(env.step('pick up thermometer please').observation).toBe(NO_MATCH);
    expect(env.step('take the thermometer').observation).toBe('You move the thermometer to the inventory.');
    expect(env.step('turn on the stove').observation).toBe('The stove is now activated.');
    expect(env.step('activate stove').observation).toBe('The stove is already activated.');
    expect(env.step('turn off stove').observation).toBe('The stove is now deactivated.');
    expect(env.step('activate picture').observation).toBe('The picture is not something that can be activated.');
    expect(env.step('open cupboard').observation).toBe('The cupboard is already open.');
    expect(env.step('close cupboard').observation).toBe('The cupboard is now closed.');
    expect(env.step('pick up metal pot').observation).toBe(NO_MATCH); // hidden in the closed cupboard
    expect(env.step('open cupboard').observation).toBe('The cupboard is now open.');
    expect(env.step('get picture').observation).toBe('The picture is not moveable.');
    expect(env.step('wait').observation).toBe('You decide to wait for 10 iterations.');
    expect(env.step('wait1').observation).toBe('You decide to wait for 1 iterations.');
    expect(env.step('use picture on stove').observation).toBe("I'm not sure how to use those two things together.");
    expect(env.step('use thermometer in inventory on stove').observation).toMatch(/^the thermometer measures a temperature of -?\d+ degrees celsius$/);
    expect(env.step('inventory').observation).toBe('In your inventory, you see:\n\ta thermometer, currently reading a temperature of 25 degrees celsius');
    expect(env.step('task').observation).toBe(`Task description:\n${env.taskDescription()}`);
    expect(env.step('focus on stove').observation).toBe('You focus on the stove.');
  });

  it('refuses to pick up liquids with the original text (spaces collapsed)', () => {
    const env = loadTask('boil', 0);
    env.step('teleport to outside');
    expect(env.step('pick up water').observation).toBe(
      "You can't pick up a liquid directly. Try pouring it from one container to another, or dunking empty containers into containers filled with the liquid.");
  });

  it('asks which one on an ambiguous referent and runs the numbered reply', () => {
    const env = loadTask('chemistry-mix-paint-secondary-color', 0);
    env.step('teleport to art studio');
    const prompt = env.step('pick up cup containing red paint').observation;
    expect(prompt).toBe(
      'Ambiguous request: Please enter the number for the action you intended (or blank to cancel):\n' +
      '0:\tpick up wood cup (in art studio)\n1:\tpick up wood cup (in large cupboard, in art studio)');
    expect(env.step('1').observation).toBe('You move the wood cup to the inventory.');
    expect(env.world.inventory.contents[0]?.contents[0]?.name).toBe('red paint');
    expect(roomOf(env.world.inventory)?.name).toBe('art studio');
    env.step('pick up cup containing blue paint');
    expect(env.step('x').observation).toBe('ERROR: Unknown response (x). Action cancelled.');
    env.step('pick up cup containing blue paint');
    expect(env.step('7').observation).toBe('ERROR: Value out of range (7). Action cancelled.');
    expect(env.step('look').observation.startsWith('This room is called the art studio.')).toBe(true);
  });

  it('pours and mixes with the success texts', () => {
    const env = loadTask('chemistry-mix-paint-secondary-color', 1);
    env.step('teleport to art studio');
    expect(env.step('pour cup containing red paint in art studio into glass cup').observation)
      .toBe('You pour the contents of the wood cup into the glass cup.');
    expect(env.step('pour cup containing yellow paint in art studio into glass cup').observation)
      .toBe('You pour the contents of the wood cup into the glass cup.');
    expect(env.step('mix glass cup').observation).toBe('Red and yellow paint mix to produce orange paint.');
    expect(env.step('move table to hallway').observation).toBe('The table is not moveable.');
  });
});
