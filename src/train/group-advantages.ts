// GRPO's credit assignment as a pure function: each training task is played G times by the current policy, and an
// episode's advantage is its reward relative to its own group's, so no value model is needed.
// 'std': A_i = (r_i − mean) / (std + eps), std the population std (verl's GRPO with norm_adv_by_std_in_grpo);
// 'mean-only': A_i = r_i − mean (Dr. GRPO, which drops the std to avoid favouring low-variance tasks).

export type AdvantageNorm = 'std' | 'mean-only';

export interface GroupAdvantages {
  advantages: Float64Array; // (G) one per episode of the group
  /** All rewards equal: every advantage is 0 and the group teaches nothing (dynamic sampling skips it). */
  zeroVariance: boolean;
}

export function groupAdvantages(rewards: readonly number[], norm: AdvantageNorm = 'std', eps = 1e-6): GroupAdvantages {
  const size = rewards.length;
  if (size === 0) throw new RangeError('groupAdvantages: an empty group');
  for (const r of rewards) if (!Number.isFinite(r)) throw new RangeError(`groupAdvantages: reward ${r} is not finite`);
  // equal rewards are tested exactly: their float mean can differ from them by an ulp, which eps would amplify
  if (rewards.every((r) => r === rewards[0])) return { advantages: new Float64Array(size), zeroVariance: true };
  const mean = rewards.reduce((sum, r) => sum + r, 0) / size;
  const variance = rewards.reduce((sum, r) => sum + (r - mean) ** 2, 0) / size;
  const std = Math.sqrt(variance);
  const scale = norm === 'std' ? 1 / (std + eps) : 1;
  const advantages = Float64Array.from(rewards, (r) => (r - mean) * scale);
  return { advantages, zeroVariance: false };
}
