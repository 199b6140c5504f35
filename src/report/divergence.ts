// Where a chosen and a rejected trajectory part ways: the first aligned turn at which an assistant
// message differs (turn i of one side faces turn i of the other). It does not diff within a message.
import type { Message } from '../data/schemas.ts';

/**
 * Index of the first differing assistant turn, aligning `chosen[i]` with `rejected[i]`; a turn that one side
 * lacks counts as different. -1 when no assistant turn differs (identical sides, or only observations differ).
 */
export function firstDivergentTurn(chosen: readonly Message[], rejected: readonly Message[]): number {
  const length = Math.max(chosen.length, rejected.length);
  for (let turn = 0; turn < length; turn++) {
    const a = chosen[turn];
    const b = rejected[turn];
    const involvesAssistant = a?.role === 'assistant' || b?.role === 'assistant';
    const same = a !== undefined && b !== undefined && a.role === b.role && a.content === b.content;
    if (involvesAssistant && !same) return turn;
  }
  return -1;
}
