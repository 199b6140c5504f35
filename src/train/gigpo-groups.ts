// GiGPO's step-level credit as pure functions: within one task's group of rollouts, steps taken from the same
// environment state (an anchor state: the same observation text, reached after different histories) form a
// step group; each step's discounted return is normalised within its step group like GRPO normalises episodes,
// and added to the episode advantage with weight ω. A state visited once gives a step advantage of 0.
import { groupAdvantages, type AdvantageNorm } from './group-advantages.ts';

export interface RolloutStep {
  /** The observation the action was taken from: equal text = the same anchor state. */
  state: string;
  reward: number;
}

export interface StepRef {
  episode: number;
  step: number;
}

/** Discounted returns R_t = Σ_{k ≥ t} γ^{k−t} r_k of one episode. */
export function discountedReturns(rewards: readonly number[], gamma: number): Float64Array {
  const returns = new Float64Array(rewards.length);
  let running = 0;
  for (let t = rewards.length - 1; t >= 0; t--) {
    running = rewards[t]! + gamma * running;
    returns[t] = running;
  }
  return returns;
}

/** Steps of a task's rollouts grouped by anchor state, in first-seen order. */
export function anchorGroups(episodes: readonly (readonly RolloutStep[])[]): Map<string, StepRef[]> {
  const groups = new Map<string, StepRef[]>();
  episodes.forEach((steps, episode) =>
    steps.forEach((s, step) => {
      const group = groups.get(s.state) ?? [];
      group.push({ episode, step });
      groups.set(s.state, group);
    }),
  );
  return groups;
}

export interface GigpoSettings {
  gamma: number;
  omega: number; // weight of the step advantage
  norm: AdvantageNorm;
}

/** Per episode, per step: episode advantage (GRPO over episode rewards) + ω · step advantage. */
export function gigpoAdvantages(
  episodes: readonly (readonly RolloutStep[])[],
  episodeRewards: readonly number[],
  settings: GigpoSettings,
): Float64Array[] {
  if (episodes.length !== episodeRewards.length) throw new RangeError('gigpoAdvantages: one reward per episode');
  const episodeAdvantages = groupAdvantages(episodeRewards, settings.norm).advantages;
  const returns = episodes.map((steps) => discountedReturns(steps.map((s) => s.reward), settings.gamma));
  const stepAdvantages = episodes.map((steps) => new Float64Array(steps.length));
  for (const group of anchorGroups(episodes).values()) {
    if (group.length < 2) continue;
    const normalised = groupAdvantages(group.map((ref) => returns[ref.episode]![ref.step]!), settings.norm).advantages;
    group.forEach((ref, i) => (stepAdvantages[ref.episode]![ref.step] = normalised[i]!));
  }
  return stepAdvantages.map((steps, e) => steps.map((a) => episodeAdvantages[e]! + settings.omega * a));
}
