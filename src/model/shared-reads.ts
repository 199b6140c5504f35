// Which slot each prompt's decode steps read its shared prefix from (pure). Prompts of one batch often begin
// alike (the instruction, the task type's example); each slot holds its own copy, but attention that reads one
// copy for every row finds it in the CPU cache instead of streaming a copy per row from memory.
import { commonPrefix, MIN_SHARED } from './prefix-plan.ts';

export interface SharedReads {
  /** Per prompt: the slot to read positions [0, length[i]) from (its own slot when length is 0). */
  slot: number[];
  length: number[];
}

/**
 * prompts[i] sits in slot slotOf[i] and holds its prompt's tokens there through the call (decoding only appends).
 * Each prompt reads its longest prefix shared with an earlier prompt from the earliest slot holding it, so a
 * prefix the whole batch shares is read from one slot. Prefixes shorter than MIN_SHARED are read in place.
 */
export function sharedReads(prompts: readonly Int32Array[], slotOf: readonly number[]): SharedReads {
  const B = prompts.length;
  const anchor = new Array<number>(B).fill(-1); // prompt index read from, −1: own slot
  const length = new Array<number>(B).fill(0);
  for (let i = 1; i < B; i++) {
    let best = -1;
    let bestLength = MIN_SHARED - 1;
    for (let j = 0; j < i; j++) {
      const shared = commonPrefix(prompts[i]!, prompts[j]!, Infinity);
      if (shared > bestLength) [best, bestLength] = [j, shared];
    }
    if (best < 0) continue;
    // follow the chain to the earliest prompt that still holds all of it
    while (anchor[best]! >= 0 && length[best]! >= bestLength) best = anchor[best]!;
    anchor[i] = best;
    length[i] = bestLength;
  }
  return {
    slot: anchor.map((j, i) => slotOf[j >= 0 ? j : i]!),
    length,
  };
}
