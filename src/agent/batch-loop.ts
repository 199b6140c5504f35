// The batched episode loop: many episodes at once, one policy.act call per turn over every live
// conversation, finished episodes handed to `onFinished` at once (the caller streams them to JSONL).
// It does not know about files or resume: callers pass only the tasks still to do.
import type { Message, Trajectory } from '../data/schemas.ts';
import type { Env, EnvModule } from '../env/types.ts';
import { policyContext } from './conversation.ts';
import { abortEpisode, addUsage, applyReply, failEpisode, startEpisode, toTrajectory, type EpisodeState } from './episode.ts';
import { isDetailedPolicy, type ActOptions, type Policy, type PolicyTurn } from './policy.ts';

export interface EpisodeTask {
  /** Trajectory id, unique within the output file (resume skips ids already there). */
  id: string;
  split: string;
  task: number;
  seed: number;
}

export interface EpisodeProgress {
  finished: number;
  total: number;
  /** Assistant turns taken so far across all episodes. */
  turns: number;
  successes: number;
}

export interface RunEpisodesOptions {
  module: EnvModule;
  envOptions?: Record<string, unknown>;
  tasks: readonly EpisodeTask[];
  policy: Policy;
  act: ActOptions;
  /** Put the env's one-shot example in the policy's context (ETO does for exploration and evaluation). */
  withExample: boolean;
  source: Trajectory['source'];
  iteration: number;
  /** Optional lower step cap than the env's own (small presets). */
  maxSteps?: number;
  /** Most episodes played at once (the policy's batch size). */
  maxLive: number;
  onFinished(trajectory: Trajectory): void;
  onProgress?(progress: EpisodeProgress): void;
}

interface LiveEpisode {
  task: EpisodeTask;
  env: Env;
  state: EpisodeState;
}

/** Messages of the stored conversation that are never dropped: instruction, "OK", task message. */
const HEAD = 3;

/**
 * The policy's context for a stored conversation: the one-shot example after "OK", old turns dropped
 * (oldest assistant/observation pair first) until it fits, then without the example; null if nothing fits.
 */
export function fitContext(
  options: Pick<RunEpisodesOptions, 'module' | 'policy' | 'withExample' | 'act'>,
  stored: Message[],
): Message[] | null {
  const harness = options.module.harness;
  const fits = options.policy.fits;
  if (!fits) return policyContext(harness, stored, options.withExample);
  const fitsContext = (messages: Message[]): boolean => fits.call(options.policy, messages, options.act.maxNewTokens);
  for (const withExample of options.withExample ? [true, false] : [false]) {
    for (let dropped = 0; dropped === 0 || HEAD + dropped < stored.length; dropped += 2) {
      const kept = [...stored.slice(0, HEAD), ...stored.slice(HEAD + dropped)];
      const context = policyContext(harness, kept, withExample);
      if (fitsContext(context)) return context;
    }
  }
  return null;
}

export async function runEpisodes(options: RunEpisodesOptions): Promise<void> {
  const queue = [...options.tasks];
  const spareEnvs: Env[] = [];
  const live: LiveEpisode[] = [];
  const progress: EpisodeProgress = { finished: 0, total: options.tasks.length, turns: 0, successes: 0 };
  let round = 0;

  const finish = (episode: LiveEpisode): void => {
    const trajectory = toTrajectory(episode.state, {
      id: episode.task.id,
      source: options.source,
      iteration: options.iteration,
      policy: options.policy.name,
    });
    progress.finished += 1;
    if (trajectory.success) progress.successes += 1;
    spareEnvs.push(episode.env);
    options.onFinished(trajectory);
  };

  options.onProgress?.({ ...progress });
  while (queue.length > 0 || live.length > 0) {
    // refill the batch with new episodes as old ones end
    while (live.length < options.maxLive && queue.length > 0) {
      const task = queue.shift() as EpisodeTask;
      const env = spareEnvs.pop() ?? options.module.create(options.envOptions);
      const state = startEpisode(options.module, env, { split: task.split, task: task.task, seed: task.seed }, options.maxSteps);
      live.push({ task, env, state });
    }
    // contexts that no longer fit end the episode before the policy is called
    const acting: LiveEpisode[] = [];
    const contexts = [];
    for (const episode of live) {
      const context = fitContext(options, episode.state.messages);
      if (context === null) {
        abortEpisode(episode.state, 'context_overflow');
        continue;
      }
      acting.push(episode);
      contexts.push(context);
    }
    if (acting.length > 0) {
      const turns = await actTurns(options.policy, contexts, { ...options.act, seed: options.act.seed + round });
      acting.forEach((episode, index) => {
        const turn = turns[index] ?? { text: '' };
        if (turn.usage) addUsage(episode.state, turn.usage);
        if (turn.failure === undefined) applyReply(episode.state, turn.text);
        else failEpisode(episode.state, turn.failure);
      });
      progress.turns += acting.length;
    }
    round += 1;
    const ended = live.filter((episode) => episode.state.done);
    for (const episode of ended) live.splice(live.indexOf(episode), 1);
    ended.forEach(finish);
    options.onProgress?.({ ...progress });
  }
}

/** The policy's turns: `actTurns` of a remote policy (usage, failures), else plain replies. */
async function actTurns(policy: Policy, contexts: Message[][], act: ActOptions): Promise<PolicyTurn[]> {
  if (isDetailedPolicy(policy)) return policy.actTurns(contexts, act);
  return (await policy.act(contexts, act)).map((text) => ({ text }));
}
