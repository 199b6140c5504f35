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
   * Optional: whether a context plus `maxNewTokens` fits the policy's window. The episode loop then
   * drops the oldest turns (and finally the one-shot example) until it does, or ends the episode with
   * `context_overflow`. Policies without a context limit leave it out.
   */
  fits?(conversation: Message[], maxNewTokens: number): boolean;
}

/** A policy opened for one stage; `close()` frees what it holds (engine memory, connections). */
export interface OpenedPolicy {
  policy: Policy;
  close(): void;
}

/**
 * The Policy seam: how stages get a policy for "the model in this checkpoint dir". `local` opens it in our
 * engine; a remote backend (an OpenAI-compatible server) plays the model it serves. Stages see only this.
 */
export interface PolicyFactory {
  readonly kind: string;
  open(modelDir: string): Promise<OpenedPolicy>;
}

export const ETO_STOP_STRINGS = ['\nObservation:', '\nTask:', '\n---'];

/** What serving one reply cost (remote policies): summed into the episode's `usage`. */
export interface TurnUsage {
  /** The model name the server answered with. */
  model: string;
  /** HTTP requests sent, retries included. */
  requests: number;
  retries: number;
  promptTokens: number;
  completionTokens: number;
}

/** One reply with what it cost; `failure` says why there is no reply (the episode ends with `policy_error`). */
export interface PolicyTurn {
  text: string;
  failure?: string;
  usage?: TurnUsage;
}

/**
 * Optional richer `act` (remote policies): a reply per conversation with its usage, or a failure for the
 * conversations whose requests kept failing. The episode loop prefers it to `act` when present.
 */
export interface DetailedPolicy extends Policy {
  actTurns(conversations: Message[][], options: ActOptions): Promise<PolicyTurn[]>;
}

export function isDetailedPolicy(policy: Policy): policy is DetailedPolicy {
  return typeof (policy as Partial<DetailedPolicy>).actTurns === 'function';
}
