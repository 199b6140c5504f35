import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng.ts';
import { webshop } from './index.ts';
import type { WebShopEnv } from './webshop-env.ts';

const JUNK = ['click[', 'search[', ']]][[', 'click[]]', 'search[ ]', 'click[Buy Now', 'CLICK[buy now]', '\u0000', 'search[\u{1F600}]', 'click[next >]]', 'search[a]b]', '[x]', 'click[<]'];

function randomText(rng: Rng): string {
  const alphabet = 'abc []<>\n$.,\'"\\/🙂é';
  return Array.from({ length: rng.int(30) }, () => alphabet[rng.int(alphabet.length)]).join('');
}

describe('fuzzed actions', () => {
  it('never throw, and keep the observation a non-empty string', () => {
    const rng = new Rng(11);
    const env = webshop.create() as WebShopEnv;
    const splits = webshop.splits();
    let steps = 0;
    for (let episode = 0; episode < 60; episode++) {
      const split = rng.pick(splits);
      env.reset({ split: split.name, task: rng.int(split.size) });
      for (let i = 0; i < 40 && !env.done; i++) {
        const roll = rng.next();
        const valid = env.clickables;
        let action: string;
        if (roll < 0.3) action = rng.pick(JUNK);
        else if (roll < 0.45) action = randomText(rng);
        else if (roll < 0.6) action = `search[${randomText(rng)}]`;
        else if (valid.length === 0) action = `search[${rng.pick(['shoes', 'tea', 'red chair', 'x'])}]`;
        else if (roll < 0.65) action = `click[${rng.pick(valid).toUpperCase()}]`;
        else action = `click[${rng.pick(valid)}]`;
        const result = env.step(action);
        steps++;
        expect(typeof result.observation).toBe('string');
        expect(result.observation.length).toBeGreaterThan(0);
        expect(result.reward).toBeGreaterThanOrEqual(0);
        expect(result.reward).toBeLessThanOrEqual(1);
      }
    }
    expect(steps).toBeGreaterThan(500);
  });
});
