// The Policy interface: anything that continues chat conversations with an assistant message.
// Batched on purpose: the local model samples all conversations in one pass; a remote policy
// runs the requests concurrently.
import type { Message } from '../data/schemas.ts';

export interface ActOptions {
  /** 0 = greedy. */
  temperature: number;
  topP: number;
  maxNewTokens: number;
  /** Generation stops before any of these strings (ETO: "\nObservation:", "\nTask:", "\n---"). */
  stop: string[];
  seed: number;
}

export interface Policy {
  /** A short name recorded in trajectories (e.g. a checkpoint path or a served model name). */
  readonly name: string;
  act(conversations: Message[][], options: ActOptions): Promise<string[]>;
  /**
   * Optional: the context to send for a conversation that may be too long for the policy — the same
   * messages, a version with old turns dropped, or null when even that does not fit (the episode then
   * ends with `context_overflow`). Policies without a context limit leave it out.
   */
  fitContext?(conversation: Message[], maxNewTokens: number): Message[] | null;
}

export const ETO_STOP_STRINGS = ['\nObservation:', '\nTask:', '\n---'];
