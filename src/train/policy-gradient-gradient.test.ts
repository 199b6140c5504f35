// The clipped policy-gradient loss through the model (sequenceLogProbs → policyGradientLoss → backwardTokens)
// against central finite differences of the same loss, on the `tiny` preset with the reference engine.
import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine/index.ts';
import { centralDifference } from '../engine/test-helpers.ts';
import { presets, type LlamaConfig } from '../model/config.ts';
import { createModel, zeroGrads, type LlamaModel } from '../model/llama.ts';
import { sequenceLogProbs, type ScoredBatch } from '../model/sequence-logprobs.ts';
import { Rng } from '../rng.ts';
import { policyGradientLoss, type PolicyGradientSettings } from './policy-gradient-loss.ts';

const config: LlamaConfig = { ...presets.tiny, maxPositionEmbeddings: 64, bosTokenId: 1, eosTokenId: 2, padTokenId: 0 };

/** Per-token values of the batch, flattened in sequence order (all positions; the mask picks the scored ones). */
interface Rollouts {
  batch: ScoredBatch;
  oldLogProbs: Float64Array;
  refLogProbs: Float64Array;
  advantages: Float64Array;
}

function flatMask(batch: ScoredBatch): Uint8Array {
  return Uint8Array.from(batch.mask.flatMap((m) => [...m]));
}

/** Loss and per-token d loss / d log π (unflattened per sequence) at the model's current parameters. */
function evaluate(
  model: LlamaModel, rollouts: Rollouts, settings: PolicyGradientSettings, grad: boolean, maxRows?: number,
) {
  const scores = sequenceLogProbs(model, rollouts.batch, { grad, ...(maxRows === undefined ? {} : { maxRows }) });
  const logProbs = Float64Array.from(scores.tokenLogProbs.flatMap((seq) => [...seq]));
  const out = policyGradientLoss({ ...rollouts, logProbs, mask: flatMask(rollouts.batch) }, settings);
  let offset = 0;
  const tokenWeights = rollouts.batch.ids.map((seq) => {
    const w = out.grads.slice(offset, offset + seq.length);
    offset += seq.length;
    return w;
  });
  return { scores, out, tokenWeights };
}

describe('policy-gradient loss through the model', () => {
  it('backwardTokens of the clipped loss + KL matches finite differences', async () => {
    const engine = await createEngine({ backend: 'reference', threads: 1 });
    const model = createModel(engine, config, { seed: 5 });
    const rng = new Rng(9);
    const batch: ScoredBatch = { ids: [], mask: [] };
    for (const length of [13, 16, 11]) {
      batch.ids.push(Int32Array.from({ length }, () => 3 + rng.int(config.vocabSize - 3)));
      // assistant tokens after a 3-token prompt, with an unscored observation stretch in the middle
      batch.mask.push(Uint8Array.from({ length }, (_, t) => (t >= 3 && (t < 7 || t >= 9) ? 1 : 0)));
    }
    // rollout-time log-probs: ratios 1.05 (inside), 1.6 and 0.5 (outside the clip range) so both branches
    // occur, far enough from the bounds 0.8 / 1.28 that a parameter step of 1e-2 cannot cross them
    const start = sequenceLogProbs(model, batch).tokenLogProbs.flatMap((seq) => [...seq]);
    const ratios = [1.05, 1.6, 0.5];
    const oldLogProbs = Float64Array.from(start, (lp, t) => lp - Math.log(ratios[t % 3]!));
    const refLogProbs = Float64Array.from(start, (lp) => lp + rng.next() - 0.5);
    // a per-sequence episode advantage broadcast over its tokens, signs mixed
    const perSequence = [1.3, -0.7, 0.4];
    const advantages = Float64Array.from(batch.ids.flatMap((seq, s) => Array.from(seq, () => perSequence[s]!)));
    const rollouts: Rollouts = { batch, oldLogProbs, refLogProbs, advantages };
    const settings = { clipLow: 0.2, clipHigh: 0.28, beta: 0.1 };

    zeroGrads(model);
    const { scores, out, tokenWeights } = evaluate(model, rollouts, settings, true);
    expect(out.clipFraction).toBeGreaterThan(0);
    expect(out.clipFraction).toBeLessThan(1);
    scores.backwardTokens(tokenWeights);
    const analytic = new Float64Array(model.flatGrads);
    // the same gradient when the batch runs in chunks (backward recomputes the earlier chunks' forward)
    zeroGrads(model);
    const chunked = evaluate(model, rollouts, settings, true, 20);
    chunked.scores.backwardTokens(chunked.tokenWeights);
    const largest = analytic.reduce((most, g) => Math.max(most, Math.abs(g)), 0);
    model.flatGrads.forEach((g, i) => expect(Math.abs(g - analytic[i]!)).toBeLessThan(1e-4 * largest));
    const lossOf = () => evaluate(model, rollouts, settings, false).out.loss;
    // check the coordinates with the largest gradients (best signal-to-noise in float32)
    const order = Array.from(analytic.keys())
      .sort((a, b) => Math.abs(analytic[b]!) - Math.abs(analytic[a]!))
      .slice(0, 6);
    expect(Math.abs(analytic[order[0]!]!)).toBeGreaterThan(1e-3);
    for (const index of order) {
      const numeric = centralDifference(model.flatParams, index, lossOf, 1e-2);
      expect(Math.abs(analytic[index]! - numeric)).toBeLessThan(0.03 * Math.abs(numeric) + 1e-3);
    }
    engine.dispose();
  });
});
