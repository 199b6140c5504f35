import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.ts';
import { commonPrefix, MIN_SHARED } from './prefix-plan.ts';
import { sharedReads } from './shared-reads.ts';

const run = (start: number, length: number): number[] => Array.from({ length }, (_, i) => start + i);

describe('sharedReads', () => {
  it('reads a prefix the batch shares from the earliest slot, a longer one from the prompt it shares it with', () => {
    const instruction = run(0, 40);
    const prompts = [
      [...instruction, ...run(100, 30)], // slot 7: the first holder of everything
      [...instruction, ...run(200, 30)], // slot 3: the instruction from slot 7
      [...instruction, ...run(200, 20), 9, 9], // slot 5: 60 positions shared with prompt 1 (slot 3)
      [...run(500, 10), ...instruction], // slot 1: nothing shared at its start
      [...instruction.slice(0, MIN_SHARED - 1), 999], // slot 0: too short a prefix to be worth it
    ].map((p) => Int32Array.from(p));
    const reads = sharedReads(prompts, [7, 3, 5, 1, 0]);
    expect(reads).toEqual({ slot: [7, 7, 3, 1, 0], length: [0, 40, 60, 0, 0] });
  });

  it('never promises more than both prompts hold, and the named slot holds that prefix (random batches)', () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 20; trial++) {
      const stems = [0, 1, 2].map(() => Array.from({ length: 10 + rng.int(40) }, () => rng.int(4)));
      const prompts = Array.from({ length: 12 }, () => {
        const stem = stems[rng.int(3)]!.slice(0, 5 + rng.int(40));
        return Int32Array.from([...stem, ...Array.from({ length: 1 + rng.int(9) }, () => rng.int(4))]);
      });
      const slotOf = prompts.map((_, i) => (i * 5) % 12);
      const reads = sharedReads(prompts, slotOf);
      prompts.forEach((prompt, i) => {
        const length = reads.length[i]!;
        if (length === 0) return expect(reads.slot[i]).toBe(slotOf[i]);
        expect(length).toBeGreaterThanOrEqual(MIN_SHARED);
        const source = prompts[slotOf.indexOf(reads.slot[i]!)]!;
        expect(commonPrefix(prompt, source, Infinity)).toBeGreaterThanOrEqual(length);
        // as long as the best earlier prompt offers
        const best = Math.max(0, ...prompts.slice(0, i).map((p) => commonPrefix(prompt, p, Infinity)));
        expect(length).toBe(best);
      });
    }
  });
});
