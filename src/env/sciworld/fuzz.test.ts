import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng.ts';
import { FAMILIES } from './families.ts';
import { SciWorldEnv } from './sciworld-env.ts';
import { TEMPLATES } from './parser.ts';
import { allThings } from './world.ts';

describe('sciworld fuzzing', () => {
  it('never throws on random actions built from its own vocabulary', () => {
    const rng = new Rng(123);
    const env = new SciWorldEnv(FAMILIES);
    const triggers = ['look around', 'look at', 'pick up', 'put down', 'move', 'pour', 'focus on', 'mix', 'use', 'activate',
      'deactivate', 'open', 'close', 'teleport to', 'go to', 'wait', 'wait1', 'inventory', 'task', 'eat', 'dunk', 'read', 'flush', 'reset task',
      'connect', 'disconnect'];
    const glue = ['to', 'in', 'into', 'on', 'with', 'containing', 'the', 'and', '0', '1', '', '17', 'a', 'anode', 'terminal 1 to'];
    expect(TEMPLATES.length).toBeGreaterThan(20);
    let steps = 0;
    for (let episode = 0; episode < 2 * FAMILIES.length; episode++) {
      const family = FAMILIES[episode % FAMILIES.length] as (typeof FAMILIES)[number];
      env.load(family, rng.int(family.variations), 'fuzz');
      for (let i = 0; i < 40 && !env.done; i++) {
        const names = allThings(env.world).map((t) => t.name);
        const parts = [rng.pick(triggers), rng.pick(names)];
        if (rng.next() < 0.5) parts.push(rng.pick(glue), rng.pick(names));
        if (rng.next() < 0.1) parts.splice(0, parts.length, String(rng.int(4)));
        const result = env.step(parts.join(' '));
        expect(typeof result.observation).toBe('string');
        expect(result.observation).toBe(result.observation.trim());
        expect(Number.isFinite(result.info.score)).toBe(true);
        steps += 1;
      }
    }
    expect(steps).toBeGreaterThan(500);
  });
});
