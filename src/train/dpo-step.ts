// One DPO step through the model: policy log-probs of chosen and rejected in one batch, the frozen
// reference's stored log-probs, sigmoid or IPO loss plus the optional NLL on chosen, then backward.
import type { LlamaModel } from '../model/llama.ts';
import { sequenceLogProbs } from '../model/sequence-logprobs.ts';
import { chosenNll, dpoLoss, type DpoLossType } from './dpo-loss.ts';
import { pairBatch, type EncodedPair } from './encode.ts';

export interface DpoSettings {
  beta: number;
  loss: DpoLossType;
  nllWeight: number;
}

export interface DpoStepOutput {
  loss: number;
  tokens: number;
  extra: { chosenReward: number; rejectedReward: number; margin: number; accuracy: number; nll?: number };
}

/** Reference log-probs of one pair (one line of ref-logprobs.jsonl). */
export interface PairReference {
  id: string;
  chosen: number;
  rejected: number;
}

/** Loss and gradient of one DPO batch. The batch holds the P chosen sequences, then the P rejected. */
export function dpoStep(model: LlamaModel, pairs: readonly EncodedPair[], reference: ReadonlyMap<string, PairReference>, settings: DpoSettings): DpoStepOutput {
  const P = pairs.length;
  const scores = sequenceLogProbs(model, pairBatch(pairs), { grad: true });
  const refChosen = new Float64Array(P);
  const refRejected = new Float64Array(P);
  pairs.forEach((pair, i) => {
    const ref = reference.get(pair.id);
    if (!ref) throw new Error(`dpoStep: no reference log-probs for pair ${pair.id}`);
    refChosen[i] = ref.chosen;
    refRejected[i] = ref.rejected;
  });
  const policyChosen = scores.logProbs.slice(0, P);
  const out = dpoLoss({ policyChosen, policyRejected: scores.logProbs.slice(P), refChosen, refRejected }, settings.beta, settings.loss);
  const weights = new Float64Array(2 * P);
  weights.set(out.grads.chosen, 0);
  weights.set(out.grads.rejected, P);
  let loss = out.loss;
  let nll: number | undefined;
  if (settings.nllWeight > 0) {
    const term = chosenNll(policyChosen, scores.tokenCounts.slice(0, P));
    nll = term.nll;
    loss += settings.nllWeight * term.nll;
    for (let i = 0; i < P; i++) weights[i] = (weights[i] as number) + settings.nllWeight * (term.grads[i] as number);
  }
  scores.backward(weights);
  let tokens = 0;
  for (const count of scores.tokenCounts) tokens += count;
  return {
    loss,
    tokens,
    extra: { chosenReward: out.chosenReward, rejectedReward: out.rejectedReward, margin: out.margin, accuracy: out.accuracy, ...(nll === undefined ? {} : { nll }) },
  };
}
