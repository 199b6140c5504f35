import { describe, expect, it } from 'vitest';
import { loadTask } from './test-helpers.ts';
import { NO_MATCH } from './sciworld-env.ts';
import { descendants } from './things.ts';
import { room } from './world.ts';

/** Wires battery → red light bulb → test object → battery in the workshop of a conductivity task. */
function wireUp(variation: number, objectName: string): { bulbOn: boolean; texts: string[] } {
  const env = loadTask('test-conductivity', variation);
  env.step('teleport to workshop');
  if (!descendants(room(env.world, 'workshop')).some((t) => t.name === objectName)) throw new Error('object not in workshop');
  const texts = [
    'connect battery anode to orange wire terminal 1', 'connect battery cathode to black wire terminal 1',
    'connect orange wire terminal 2 to red light bulb cathode', 'connect red wire terminal 2 to red light bulb anode',
    `connect ${objectName} terminal 1 to black wire terminal 2`, `connect ${objectName} terminal 2 to red wire terminal 1`, 'wait1',
  ].map((action) => env.step(action).observation);
  const bulb = descendants(room(env.world, 'workshop')).find((t) => t.name === 'red light bulb');
  return { bulbOn: bulb?.active === true, texts };
}

describe('sciworld circuits', () => {
  it('lights the bulb through a conductive object (aluminum foil in the workshop)', () => {
    const { bulbOn, texts } = wireUp(0, 'aluminum foil'); // variation 0: aluminum foil, workshop, red light bulb
    expect(texts[0]).toBe('anode on battery is now connected to terminal 1 on orange wire');
    expect(bulbOn).toBe(true);
  });

  it('leaves the bulb off through a nonconductive object (apricot in the workshop)', () => {
    const { bulbOn, texts } = wireUp(75, 'apricot'); // entry 3 = apricot in the workshop
    expect(texts.every((t) => t !== NO_MATCH)).toBe(true);
    expect(bulbOn).toBe(false);
  });

  it('has no connect action outside the electrical tasks', () => {
    const env = loadTask('boil', 0);
    env.step('teleport to workshop');
    expect(env.step('connect battery anode to red wire terminal 1').observation).toBe(NO_MATCH);
  });
});
