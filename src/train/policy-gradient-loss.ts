// The clipped policy-gradient surrogate of PPO/GRPO over assistant tokens, as a pure function of per-token
// log-probs (no model in here), with a KL penalty to the frozen reference by the k3 estimator.
// Per scored token t: ρ = exp(logπ − logπ_old), surrogate_t = −min(ρA, clip(ρ, 1−εlow, 1+εhigh)·A),
// k3_t = exp(ref − logπ) − (ref − logπ) − 1 (unbiased, always ≥ 0), loss_t = surrogate_t + β·k3_t.
// The loss is the token mean over every scored token of the batch (verl's "token-mean" aggregation).

export interface PolicyGradientInputs {
  logProbs: Float64Array; // (N) log π of each scored token under the policy being trained
  oldLogProbs: Float64Array; // (N) the same tokens under the policy that sampled them
  refLogProbs: Float64Array; // (N) the same tokens under the frozen reference
  advantages: Float64Array; // (N) the advantage of each token (its episode's, or its step's for GiGPO)
}

export interface PolicyGradientSettings {
  clipLow: number; // ε_low, e.g. 0.2
  clipHigh: number; // ε_high, e.g. 0.2 (DAPO's clip-higher raises it to 0.28)
  klCoefficient: number; // β
}

export interface PolicyGradientOutput {
  loss: number;
  grads: Float64Array; // (N) d loss / d logπ per token, for backward()
  /** Share of tokens whose ratio the clip held, and the mean k3 KL to the reference. */
  clipFraction: number;
  meanKl: number;
}

/** The k3 estimator of KL(π ‖ ref) from one sample's log-probs: exp(r) − r − 1 with r = ref − logπ. */
export function klK3(logProb: number, refLogProb: number): number {
  const r = refLogProb - logProb;
  return Math.expm1(r) - r;
}

export function policyGradientLoss(
  inputs: PolicyGradientInputs,
  settings: PolicyGradientSettings,
): PolicyGradientOutput {
  const tokens = inputs.logProbs.length;
  if (tokens === 0) throw new RangeError('policyGradientLoss: no scored tokens');
  const { clipLow, clipHigh, klCoefficient: beta } = settings;
  const grads = new Float64Array(tokens);
  let loss = 0;
  let clipped = 0;
  let kl = 0;
  for (let t = 0; t < tokens; t++) {
    const logProb = inputs.logProbs[t]!;
    const advantage = inputs.advantages[t]!;
    const ratio = Math.exp(logProb - inputs.oldLogProbs[t]!);
    const bounded = Math.min(Math.max(ratio, 1 - clipLow), 1 + clipHigh);
    const unclippedTerm = ratio * advantage;
    const clippedTerm = bounded * advantage;
    // min picks the clipped term only when it is smaller; it is then constant in logπ (no gradient)
    const usesClip = clippedTerm < unclippedTerm;
    if (usesClip) clipped += 1;
    const k3 = klK3(logProb, inputs.refLogProbs[t]!);
    loss += -(usesClip ? clippedTerm : unclippedTerm) + beta * k3;
    kl += k3;
    // d(ρA)/dlogπ = ρA; d k3/dlogπ = 1 − exp(ref − logπ)
    const dSurrogate = usesClip ? 0 : -unclippedTerm;
    const dKl = 1 - Math.exp(inputs.refLogProbs[t]! - logProb);
    grads[t] = (dSurrogate + beta * dKl) / tokens;
  }
  return { loss: loss / tokens, grads, clipFraction: clipped / tokens, meanKl: kl / tokens };
}
