// ETO's pair rule (eto-method.md §1.4): per task, compare the explored trajectory's reward with the
// expert's. Agent worse → (expert chosen, agent rejected); agent better → flipped; ties dropped.
// The rejected side is cut to at most the expert's length + 5 rounds; both sides must end with an assistant turn.
import type { Message, Pair, Trajectory } from '../data/schemas.ts';

/** Messages before the trajectory proper: instruction, "OK", task message. */
const PROMPT_LENGTH = 3;
/** ETO lets the rejected trajectory be at most 5 rounds (10 messages) longer than the expert's. */
const EXTRA_REJECTED_MESSAGES = 10;

export interface PairOptions {
  /** 'trajectory' (ETO) or 'step': shared prefix up to the first differing assistant turn, one turn each. */
  kind: 'trajectory' | 'step';
}

export interface PairStats {
  lose: number;
  win: number;
  tie: number;
  /** Pairs dropped because a side was empty or did not end with an assistant turn. */
  malformed: number;
  /** Explored tasks without an expert trajectory. */
  noExpert: number;
}

export function buildPairs(
  experts: readonly Trajectory[],
  explored: readonly Trajectory[],
  options: PairOptions = { kind: 'trajectory' },
): { pairs: Pair[]; stats: PairStats } {
  const expertByTask = new Map(experts.map((trajectory) => [trajectory.task, trajectory]));
  const stats: PairStats = { lose: 0, win: 0, tie: 0, malformed: 0, noExpert: 0 };
  const pairs: Pair[] = [];
  for (const agent of explored) {
    const expert = expertByTask.get(agent.task);
    if (!expert) {
      stats.noExpert += 1;
      continue;
    }
    if (agent.reward === expert.reward) {
      stats.tie += 1;
      continue;
    }
    const agentWins = agent.reward > expert.reward;
    const winner = agentWins ? agent : expert;
    const loser = agentWins ? expert : agent;
    const expertTurns = trajectoryTurns(expert.messages);
    const chosen = trajectoryTurns(winner.messages);
    const rejected = endWithAssistant(trajectoryTurns(loser.messages).slice(0, expertTurns.length + EXTRA_REJECTED_MESSAGES));
    const pair: Pair = {
      id: `${agent.id}-pair`,
      task: agent.task,
      prompt: winner.messages.slice(0, PROMPT_LENGTH),
      chosen,
      rejected,
      chosenReward: winner.reward,
      rejectedReward: loser.reward,
      kind: 'trajectory',
    };
    const finalPair = options.kind === 'step' ? toStepPair(pair) : pair;
    if (!finalPair || !isWellFormed(finalPair)) {
      stats.malformed += 1;
      continue;
    }
    if (agentWins) stats.win += 1;
    else stats.lose += 1;
    pairs.push(finalPair);
  }
  return { pairs, stats };
}

/** The turns after the prompt, without a trailing observation. */
function trajectoryTurns(messages: readonly Message[]): Message[] {
  return endWithAssistant(messages.slice(PROMPT_LENGTH));
}

function endWithAssistant(messages: Message[]): Message[] {
  const out = messages.slice();
  while (out.length > 0 && out.at(-1)?.role !== 'assistant') out.pop();
  return out;
}

function isWellFormed(pair: Pair): boolean {
  return (
    pair.chosen.length > 0 &&
    pair.rejected.length > 0 &&
    pair.chosen[0]?.role === 'assistant' &&
    pair.rejected[0]?.role === 'assistant' &&
    pair.chosen.at(-1)?.role === 'assistant' &&
    pair.rejected.at(-1)?.role === 'assistant'
  );
}

/**
 * Step-level pair: the shared prefix (identical turns) joins the prompt; chosen and rejected are the first
 * differing assistant turns. Null when one side is a prefix of the other (nothing to contrast).
 */
export function toStepPair(pair: Pair): Pair | null {
  let shared = 0;
  const limit = Math.min(pair.chosen.length, pair.rejected.length);
  while (shared < limit && sameMessage(pair.chosen[shared], pair.rejected[shared])) shared++;
  // the first difference must be an assistant turn; observations differ only after differing actions
  if (shared >= limit || pair.chosen[shared]?.role !== 'assistant') return null;
  const chosenTurn = pair.chosen[shared] as Message;
  const rejectedTurn = pair.rejected[shared] as Message;
  return {
    ...pair,
    id: `${pair.id}-step${Math.floor(shared / 2)}`,
    prompt: [...pair.prompt, ...pair.chosen.slice(0, shared)],
    chosen: [chosenTurn],
    rejected: [rejectedTurn],
    kind: 'step',
  };
}

function sameMessage(a: Message | undefined, b: Message | undefined): boolean {
  return a !== undefined && b !== undefined && a.role === b.role && a.content === b.content;
}
