// Log-probabilities of one logits row under the model's own distribution (temperature 1, no top-p): the sampled
// token's and the k most likely alternatives', as OpenAI's `logprobs` report them.

export interface TokenLogprob {
  token: number;
  logprob: number;
  /** the k most likely tokens, most likely first (ties: lower id first) */
  top: { token: number; logprob: number }[];
}

/** Row = logits[offset .. offset+V). */
export function tokenLogprob(logits: Float32Array, offset: number, V: number, token: number, k: number): TokenLogprob {
  let max = -Infinity;
  for (let j = 0; j < V; j++) if (logits[offset + j]! > max) max = logits[offset + j]!;
  let total = 0;
  for (let j = 0; j < V; j++) total += Math.exp(logits[offset + j]! - max);
  const logZ = max + Math.log(total); // log Σ exp(logits)
  const top: { token: number; logprob: number }[] = [];
  for (let j = 0; j < V && k > 0; j++) {
    const logprob = logits[offset + j]! - logZ;
    if (top.length === k && logprob <= top[k - 1]!.logprob) continue;
    let at = top.length;
    while (at > 0 && top[at - 1]!.logprob < logprob) at--;
    top.splice(at, 0, { token: j, logprob });
    if (top.length > k) top.pop();
  }
  return { token, logprob: logits[offset + token]! - logZ, top };
}
