// PPO/GRPO clipped surrogate as a pure function of per-token log-probs (no model in here).
// Per assistant token t (mask 1): ρ_t = exp(log π − log π_old),
//   loss_t = −min(ρ_t·A_t, clip(ρ_t, 1 − ε_low, 1 + ε_high)·A_t) + β·k3_t,
//   k3_t = exp(ref − log π) − (ref − log π) − 1 (Schulman's unbiased, always ≥ 0 estimator of KL(π ‖ ref)).
// The loss is the token-mean: Σ_t mask_t·loss_t / Σ_t mask_t over the whole batch, so long answers weigh more
// than in a per-sequence mean (as DAPO / verl's "token-mean"). Observation and prompt tokens (mask 0) get no loss.
// `grads` are d loss / d log π per token, for a per-token backward.

export interface PolicyGradientInputs {
  logProbs: Float64Array; // (N) log π(token) under the policy being trained, flattened over the batch's tokens
  oldLogProbs: Float64Array; // (N) log π_old(token) of the policy that sampled the rollouts
  advantages: Float64Array; // (N) A_t: the episode / step advantage broadcast to its tokens
  mask: ArrayLike<number>; // (N) 1 = assistant token (scored), 0 = prompt / observation / padding
  refLogProbs?: Float64Array; // (N) log π_ref(token) of the frozen reference; needed when β > 0
}

export interface PolicyGradientSettings {
  /** lower clip range ε_low (default 0.2) */
  clipLow?: number;
  /** upper clip range ε_high (default 0.2; DAPO's clip-higher uses 0.28) */
  clipHigh?: number;
  /** KL weight β (default 0: no reference needed) */
  beta?: number;
}

export interface PolicyGradientOutput {
  loss: number;
  grads: Float64Array; // (N) d loss / d logProbs; 0 where mask is 0
  /** fraction of masked tokens where the clipped term is the one taken (its gradient is 0) */
  clipFraction: number;
  /** token-mean of k3 over masked tokens (0 without a reference) */
  kl: number;
  tokens: number;
}

/** k3 = e^(ref − logp) − (ref − logp) − 1: ≥ 0 since e^x ≥ 1 + x, and 0 exactly when logp = ref. */
export function k3(logp: number, ref: number): number {
  const x = ref - logp;
  return Math.expm1(x) - x; // expm1 keeps precision when x is tiny
}

export function policyGradientLoss(
  inputs: PolicyGradientInputs,
  settings: PolicyGradientSettings = {},
): PolicyGradientOutput {
  const clipLow = settings.clipLow ?? 0.2;
  const clipHigh = settings.clipHigh ?? 0.2;
  const beta = settings.beta ?? 0;
  const { logProbs, oldLogProbs, advantages, mask, refLogProbs } = inputs;
  const N = logProbs.length;
  for (const [name, array] of [['oldLogProbs', oldLogProbs], ['advantages', advantages], ['mask', mask]] as const) {
    if (array.length !== N) {
      throw new RangeError(`policyGradientLoss: ${name} has ${array.length} entries, logProbs ${N}`);
    }
  }
  if (!(clipLow >= 0 && clipLow < 1) || !(clipHigh >= 0)) {
    const got = `got ${clipLow}, ${clipHigh}`;
    throw new RangeError(`policyGradientLoss: clip ranges need 0 ≤ ε_low < 1, ε_high ≥ 0; ${got}`);
  }
  if (!(beta >= 0)) throw new RangeError(`policyGradientLoss: beta must be ≥ 0, got ${beta}`);
  if (beta > 0 && refLogProbs?.length !== N) {
    throw new RangeError('policyGradientLoss: beta > 0 needs refLogProbs (N)');
  }

  let tokens = 0;
  for (let t = 0; t < N; t++) if (mask[t]) tokens++;
  const grads = new Float64Array(N);
  // an all-masked batch has nothing to learn from: zero loss and gradients rather than 0/0
  if (tokens === 0) return { loss: 0, grads, clipFraction: 0, kl: 0, tokens: 0 };

  let loss = 0;
  let clipped = 0;
  let kl = 0;
  for (let t = 0; t < N; t++) {
    if (!mask[t]) continue;
    const logp = logProbs[t] as number;
    const a = advantages[t] as number;
    const ratio = Math.exp(logp - (oldLogProbs[t] as number));
    const bounded = Math.min(Math.max(ratio, 1 - clipLow), 1 + clipHigh);
    const unclippedLoss = -ratio * a;
    const clippedLoss = -bounded * a;
    let token: number;
    let dToken: number; // d loss_t / d log π
    if (clippedLoss > unclippedLoss) {
      // the ratio left the trust region in the direction the advantage pushes: constant, no gradient
      token = clippedLoss;
      dToken = 0;
      clipped++;
    } else {
      token = unclippedLoss;
      dToken = unclippedLoss; // d(−ρA)/d log π = −ρA since dρ/d log π = ρ
    }
    if (refLogProbs) {
      const ref = refLogProbs[t] as number;
      const value = k3(logp, ref);
      kl += value;
      // d k3 / d log π = −e^(ref − logp) + 1
      if (beta > 0) {
        token += beta * value;
        dToken += beta * -Math.expm1(ref - logp);
      }
    }
    loss += token;
    grads[t] = dToken / tokens;
  }
  return { loss: loss / tokens, grads, clipFraction: clipped / tokens, kl: kl / tokens, tokens };
}
