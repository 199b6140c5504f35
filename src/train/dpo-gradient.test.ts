// The DPO gradient through the model (dpoStep: sequenceLogProbs → dpoLoss + NLL → backward) against
// central finite differences of the same loss, on the `tiny` preset with the reference engine.
import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine/index.ts';
import { centralDifference } from '../engine/test-helpers.ts';
import { presets, type LlamaConfig } from '../model/config.ts';
import { createModel, zeroGrads, type LlamaModel } from '../model/llama.ts';
import { Rng } from '../rng.ts';
import { dpoStep } from './dpo-step.ts';
import type { EncodedPair, EncodedSequence } from './encode.ts';

const config: LlamaConfig = { ...presets.tiny, maxPositionEmbeddings: 64, bosTokenId: 1, eosTokenId: 2, padTokenId: 0 };

function sequence(rng: Rng, length: number, promptLength: number): EncodedSequence {
  const ids = Int32Array.from({ length }, () => 3 + rng.int(config.vocabSize - 3));
  // scored: after the prompt, with an unscored "observation" stretch in the middle
  const mask = Uint8Array.from({ length }, (_, t) => (t >= promptLength && (t < promptLength + 4 || t >= promptLength + 7) ? 1 : 0));
  return { ids, mask };
}

function lossOf(model: LlamaModel, pairs: EncodedPair[], reference: Map<string, { id: string; chosen: number; rejected: number }>, settings: Parameters<typeof dpoStep>[3]): number {
  zeroGrads(model);
  return dpoStep(model, pairs, reference, settings).loss;
}

describe('DPO gradient through the model', () => {
  it('matches finite differences for sigmoid + NLL and for IPO', async () => {
    const engine = await createEngine({ backend: 'reference', threads: 1 });
    const model = createModel(engine, config, { seed: 11 });
    const rng = new Rng(4);
    const pairs: EncodedPair[] = [0, 1, 2].map((i) => ({ id: `p${i}`, chosen: sequence(rng, 14 + i, 3), rejected: sequence(rng, 18 - i, 3) }));
    // references away from the policy so the sigmoid is not at its symmetric point
    const reference = new Map(pairs.map((p, i) => [p.id, { id: p.id, chosen: -40 - 3 * i, rejected: -35 + 2 * i }]));
    for (const settings of [{ beta: 0.5, loss: 'sigmoid' as const, nllWeight: 1 }, { beta: 0.2, loss: 'ipo' as const, nllWeight: 0 }]) {
      zeroGrads(model);
      dpoStep(model, pairs, reference, settings);
      const analytic = new Float64Array(model.flatGrads);
      // check the coordinates with the largest gradients (best signal-to-noise in float32)
      const order = Array.from(analytic.keys()).sort((a, b) => Math.abs(analytic[b]!) - Math.abs(analytic[a]!)).slice(0, 6);
      for (const index of order) {
        const numeric = centralDifference(model.flatParams, index, () => lossOf(model, pairs, reference, settings), 1e-2);
        expect(Math.abs(analytic[index]! - numeric)).toBeLessThan(0.03 * Math.abs(numeric) + 1e-3);
      }
    }
    engine.dispose();
  });
});
