// SFT loss as a pure function of per-sequence log-probs: mean NLL per scored (assistant) token over
// the batch. Masking happens before, in the chat encoder's assistant mask given to sequenceLogProbs.

export interface SftOutput {
  loss: number;
  /** d loss / d logProbs[s] for every sequence: −1 / (tokens in the batch). */
  grads: Float64Array;
  tokens: number;
}

export function sftLoss(logProbs: Float64Array, tokenCounts: ArrayLike<number>): SftOutput {
  let tokens = 0;
  let sum = 0;
  for (let s = 0; s < logProbs.length; s++) {
    tokens += tokenCounts[s] ?? 0;
    sum += logProbs[s] as number;
  }
  const denominator = Math.max(1, tokens);
  return { loss: -sum / denominator, grads: new Float64Array(logProbs.length).fill(-1 / denominator), tokens };
}
