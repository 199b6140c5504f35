// ETO's conversation layout (benchmarks.md §0.1): instruction, "OK", [one-shot example], task, turns.
// Stored trajectories never contain the example; it is inserted only into the policy's context.
import type { Message } from '../data/schemas.ts';
import type { EtoHarness } from '../env/types.ts';

/** instruction (user), "OK" (assistant), task message (user): the start of every stored trajectory. */
export function conversationStart(harness: EtoHarness, taskMessage: string): Message[] {
  return [
    { role: 'user', content: harness.instruction },
    { role: 'assistant', content: 'OK' },
    { role: 'user', content: taskMessage },
  ];
}

/** The policy's context: the stored conversation with the one-shot example after "OK" when asked for. */
export function policyContext(harness: EtoHarness, stored: Message[], withExample: boolean): Message[] {
  if (!withExample || harness.iclExample.length === 0) return stored;
  return [...stored.slice(0, 2), ...harness.iclExample, ...stored.slice(2)];
}
