import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng.ts';
import { alfworld, AlfWorldEnv } from './index.ts';

const JUNK_PIECES = ['', ' ', '\u0000', '\u0007', '\t', '\r\n', 'é', '漢字', '🙂', '\u202e', 'Action:', 'go', 'to', 'take', 'from', 'in/on', 'in', 'on', '1', '99', '-1', 'nothing'];

/** A near miss of a real command: changed case, a dropped or doubled character, a wrong number, extra words. */
function nearMiss(rng: Rng, command: string): string {
  switch (rng.int(7)) {
    case 0: return command.toUpperCase();
    case 1: {
      const at = rng.int(command.length);
      return command.slice(0, at) + command.slice(at + 1);
    }
    case 2: return command.replace(/\d+/, (n) => String(Number(n) + 7));
    case 3: return `${command} please`;
    case 4: return `the ${command}`;
    case 5: return command.replace(' ', '  ');
    default: return `Action: ${command}`;
  }
}

function junk(rng: Rng): string {
  switch (rng.int(4)) {
    case 0: return '';
    case 1: return 'x'.repeat(10_240);
    case 2: return Array.from({ length: 1 + rng.int(6) }, () => rng.pick(JUNK_PIECES)).join(rng.pick([' ', '', '\n']));
    default: return String.fromCharCode(...Array.from({ length: rng.int(40) }, () => rng.int(0x3000)));
  }
}

describe('alfworld fuzzing', () => {
  it('random strings never throw and never change the state; valid commands still work afterwards', () => {
    const rng = new Rng(42);
    const env = alfworld.create() as AlfWorldEnv;
    let invalid = 0;
    for (let episode = 0; episode < 60; episode++) {
      let info = env.reset({ split: rng.pick(['train', 'seen', 'unseen']), task: rng.int(134) }).info;
      for (let i = 0; i < 120; i++) {
        const valid = info.validActions ?? [];
        const roll = rng.next();
        const action = roll < 0.4 ? junk(rng) : roll < 0.8 ? nearMiss(rng, rng.pick(valid)) : rng.pick(valid);
        const isValid = valid.includes(action.trim());
        const before = env.snapshot();
        const result = env.step(action);
        if (!isValid) {
          invalid += 1;
          expect(result.observation).toBe('Nothing happens.');
          expect(result.info.invalidAction).toBe(true);
          expect(result.info.validActions).toEqual(valid);
          expect(isDeepStrictEqual(env.snapshot(), before)).toBe(true);
        } else {
          expect(result.info.invalidAction).toBe(false);
        }
        info = result.info;
        if (result.terminated || result.truncated) break;
      }
    }
    expect(invalid).toBeGreaterThan(2000);
  });
});
