// DPO losses as pure functions of per-sequence summed log-probs (no model in here).
// sigmoid (ETO, Eq. 11): −log σ(β·[(πc − refc) − (πr − refr)]); IPO: ((πc − refc) − (πr − refr) − 1/(2β))².
// The loss is the mean over pairs; `grads` are d loss / d policy log-prob per sequence, for backward().

export type DpoLossType = 'sigmoid' | 'ipo';

export interface DpoInputs {
  policyChosen: Float64Array; // (P) Σ log π(chosen tokens)
  policyRejected: Float64Array; // (P)
  refChosen: Float64Array; // (P) same sums under the frozen reference
  refRejected: Float64Array; // (P)
}

export interface DpoOutput {
  loss: number;
  grads: { chosen: Float64Array; rejected: Float64Array }; // (P) each
  /** Mean implicit rewards β·(log π − log π_ref) of each side, their mean margin, and pair accuracy. */
  chosenReward: number;
  rejectedReward: number;
  margin: number;
  accuracy: number;
}

export function dpoLoss(inputs: DpoInputs, beta: number, type: DpoLossType = 'sigmoid'): DpoOutput {
  const pairs = inputs.policyChosen.length;
  if (pairs === 0) throw new RangeError('dpoLoss: no pairs');
  if (!(beta > 0)) throw new RangeError(`dpoLoss: beta must be > 0, got ${beta}`);
  const chosenGrads = new Float64Array(pairs);
  const rejectedGrads = new Float64Array(pairs);
  let loss = 0;
  let chosenReward = 0;
  let rejectedReward = 0;
  let correct = 0;
  for (let i = 0; i < pairs; i++) {
    const chosenRatio = at(inputs.policyChosen, i) - at(inputs.refChosen, i);
    const rejectedRatio = at(inputs.policyRejected, i) - at(inputs.refRejected, i);
    const h = chosenRatio - rejectedRatio;
    let dh: number; // d loss_i / d h
    if (type === 'sigmoid') {
      const z = beta * h;
      loss += softplus(-z); // −log σ(z)
      dh = -beta * sigmoid(-z);
    } else {
      const gap = h - 1 / (2 * beta);
      loss += gap * gap;
      dh = 2 * gap;
    }
    chosenGrads[i] = dh / pairs;
    rejectedGrads[i] = -dh / pairs;
    chosenReward += beta * chosenRatio;
    rejectedReward += beta * rejectedRatio;
    if (h > 0) correct += 1;
  }
  return {
    loss: loss / pairs,
    grads: { chosen: chosenGrads, rejected: rejectedGrads },
    chosenReward: chosenReward / pairs,
    rejectedReward: rejectedReward / pairs,
    margin: (chosenReward - rejectedReward) / pairs,
    accuracy: correct / pairs,
  };
}

/**
 * Per-token NLL of the chosen sequences (IPR's extra term): −Σ log π(chosen) / Σ tokens.
 * `grads` are d nll / d policyChosen per sequence.
 */
export function chosenNll(policyChosen: Float64Array, chosenTokens: ArrayLike<number>): { nll: number; grads: Float64Array } {
  let tokens = 0;
  let sum = 0;
  for (let i = 0; i < policyChosen.length; i++) {
    tokens += chosenTokens[i] ?? 0;
    sum += at(policyChosen, i);
  }
  const denominator = Math.max(1, tokens);
  return { nll: -sum / denominator, grads: new Float64Array(policyChosen.length).fill(-1 / denominator) };
}

/** log(1 + e^x) without overflow. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

function at(values: Float64Array, index: number): number {
  return values[index] as number;
}
