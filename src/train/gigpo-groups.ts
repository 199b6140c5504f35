// GiGPO step-level credit as pure functions of scripted episodes (no model in here).
// Episode level: the episode rewards of each task group normalised as in GRPO (group-advantages.ts).
// Step level: R_t = Σ_{k≥t} γ^{k−t} r_k per episode; steps of one task group whose observation text (the env state)
// is identical are an anchor state, and their returns are normalised within that step group, so the step that
// acted better from the same state gets the credit. A state met once (a singleton step group) gives 0.
// Combined per step: A_t = A_episode + ω · A_step. Steps are grouped across all episodes of the task group,
// including a state revisited within one episode (as in the GiGPO paper).
import { normalizeInGroup, type NormalizeOptions } from './group-advantages.ts';

export interface GigpoStep {
  /** the env state the agent acted from, as the text it saw */
  observation: string;
  reward: number;
}

export interface GigpoEpisode {
  taskId: string;
  steps: readonly GigpoStep[];
  /** episode reward for the episode-level advantage (default: Σ step rewards, undiscounted) */
  reward?: number;
}

export interface StepRef {
  episode: number; // index into the episodes array
  step: number; // index into that episode's steps
}

export interface StepGroup {
  taskId: string;
  observation: string;
  members: StepRef[]; // in episode order, then step order
}

export interface GigpoOptions extends NormalizeOptions {
  /** discount γ of the step returns (default 1) */
  gamma?: number;
  /** weight ω of the step advantage (default 1) */
  omega?: number;
}

export interface GigpoAdvantages {
  episodeAdvantages: Float64Array; // (E)
  returns: Float64Array[]; // (E)(T_e) discounted step returns
  groups: StepGroup[]; // every anchor state, singletons included
  stepAdvantages: Float64Array[]; // (E)(T_e)
  combined: Float64Array[]; // (E)(T_e) episode advantage + ω · step advantage
}

/** (T) R_t = Σ_{k≥t} γ^{k−t} r_k, computed backwards: R_t = r_t + γ·R_{t+1}. */
export function discountedReturns(rewards: ArrayLike<number>, gamma: number): Float64Array {
  if (!(gamma >= 0 && gamma <= 1)) throw new RangeError(`discountedReturns: gamma must be in [0, 1], got ${gamma}`);
  const out = new Float64Array(rewards.length);
  let next = 0;
  for (let t = rewards.length - 1; t >= 0; t--) {
    next = (rewards[t] as number) + gamma * next;
    out[t] = next;
  }
  return out;
}

/** Anchor-state step groups: same task id and identical observation text, in first-seen order. */
export function stepGroups(episodes: readonly GigpoEpisode[]): StepGroup[] {
  const byKey = new Map<string, StepGroup>();
  episodes.forEach((episode, e) => {
    episode.steps.forEach((step, t) => {
      // JSON keeps (task, observation) pairs apart whatever characters either holds
      const key = JSON.stringify([episode.taskId, step.observation]);
      let group = byKey.get(key);
      if (!group) {
        group = { taskId: episode.taskId, observation: step.observation, members: [] };
        byKey.set(key, group);
      }
      group.members.push({ episode: e, step: t });
    });
  });
  return [...byKey.values()];
}

/** Episode advantages normalised within each task group: (E), aligned with episodes. */
export function episodeAdvantages(episodes: readonly GigpoEpisode[], options: NormalizeOptions = {}): Float64Array {
  const byTask = new Map<string, number[]>();
  episodes.forEach((episode, e) => {
    const members = byTask.get(episode.taskId) ?? [];
    members.push(e);
    byTask.set(episode.taskId, members);
  });
  const out = new Float64Array(episodes.length);
  for (const members of byTask.values()) {
    const advantages = normalizeInGroup(members.map((e) => episodeReward(episodes[e]!)), options);
    members.forEach((e, i) => (out[e] = advantages[i]!));
  }
  return out;
}

export function gigpoAdvantages(episodes: readonly GigpoEpisode[], options: GigpoOptions = {}): GigpoAdvantages {
  const gamma = options.gamma ?? 1;
  const omega = options.omega ?? 1;
  const normalize: NormalizeOptions = {
    ...(options.normalize === undefined ? {} : { normalize: options.normalize }),
    ...(options.eps === undefined ? {} : { eps: options.eps }),
  };
  const episodeAdv = episodeAdvantages(episodes, normalize);
  const returns = episodes.map((episode) => discountedReturns(episode.steps.map((s) => s.reward), gamma));
  const groups = stepGroups(episodes);
  const stepAdvantages = episodes.map((episode) => new Float64Array(episode.steps.length));
  for (const group of groups) {
    const advantages = normalizeInGroup(group.members.map((m) => returns[m.episode]![m.step]!), normalize);
    group.members.forEach((m, i) => (stepAdvantages[m.episode]![m.step] = advantages[i]!));
  }
  const combined = stepAdvantages.map((steps, e) => steps.map((a) => episodeAdv[e]! + omega * a));
  return { episodeAdvantages: episodeAdv, returns, groups, stepAdvantages, combined };
}

function episodeReward(episode: GigpoEpisode): number {
  return episode.reward ?? episode.steps.reduce((sum, step) => sum + step.reward, 0);
}
