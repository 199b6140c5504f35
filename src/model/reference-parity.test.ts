// The engine-backed model against the independent float64 reference forward (reference.ts): log-prob parity on
// random checkpoints, and the analytic gradient against central differences of the reference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine/index.ts';
import { argmaxAbs, centralDifference } from '../engine/test-helpers.ts';
import { Rng } from '../rng.ts';
import { presets, type LlamaConfig } from './config.ts';
import { createModel, zeroGrads } from './llama.ts';
import { referenceTokenLogProbs } from './reference.ts';
import { sequenceLogProbs, type ScoredBatch } from './sequence-logprobs.ts';
import { randomIds, randomParams, testConfig } from './test-models.ts';

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine({ threads: 1 });
});
afterAll(() => engine.dispose());

/** Random sequences whose first `shared` tokens are common (as a system prompt would be), with random masks. */
function randomBatch(config: LlamaConfig, seed: number, lengths: number[], shared = 0): ScoredBatch {
  const rng = new Rng(seed);
  const prefix = randomIds(rng, shared, config.vocabSize);
  const ids = lengths.map((n) => {
    const seq = randomIds(rng, n, config.vocabSize);
    seq.set(prefix.subarray(0, Math.min(shared, n)));
    return seq;
  });
  const mask = lengths.map((n) => Uint8Array.from({ length: n }, (_, t) => (t > 0 && rng.next() < 0.7 ? 1 : 0)));
  return { ids, mask };
}

/** Reference per-token log-probs (aligned with ids, 0 where unscored) of one sequence, in float64. */
function maskedReferenceLogProbs(config: LlamaConfig, params: Map<string, Float32Array | Float64Array>, ids: Int32Array,
  mask: Uint8Array): Float64Array {
  return referenceTokenLogProbs(config, params, ids).map((logProb, t) => (mask[t] ? logProb : 0));
}

const cases: [string, LlamaConfig][] = [
  ['tied, kv heads < heads', testConfig({ tieWordEmbeddings: true, numAttentionHeads: 4, numKeyValueHeads: 2, hiddenSize: 128 })],
  ['untied, kv heads < heads', testConfig({ tieWordEmbeddings: false, numAttentionHeads: 2, numKeyValueHeads: 1 })],
  ['untied, kv heads = heads, 3 layers', testConfig({ tieWordEmbeddings: false, numHiddenLayers: 3, numKeyValueHeads: 2 })],
];

describe('forward parity with the float64 reference', () => {
  for (const [label, config] of cases) {
    it(`agrees to 1e-4 relative on log-probs, with and without a shared prefix (${label})`, () => {
      const params = randomParams(config, 31);
      const model = createModel(engine, config, { params });
      for (const shared of [0, 7]) {
      const batch = randomBatch(config, 5, [23, 9, 40], shared);
      const scores = sequenceLogProbs(model, batch);
      batch.ids.forEach((ids, s) => {
        const want = maskedReferenceLogProbs(config, params, ids, batch.mask[s]!);
        let total = 0;
        for (let t = 0; t < ids.length; t++) {
          expect(Math.abs(scores.tokenLogProbs[s]![t]! - want[t]!)).toBeLessThanOrEqual(1e-4 * Math.abs(want[t]!));
          total += want[t]!;
        }
        expect(Math.abs(scores.logProbs[s]! - total)).toBeLessThanOrEqual(1e-4 * Math.abs(total));
      });
      }
    });
  }
});

describe('full-model gradient check (tiny preset)', () => {
  for (const tieWordEmbeddings of [true, false]) {
    it(`analytic d(Σ w·logp)/dθ matches central differences of the reference (tied=${tieWordEmbeddings})`, () => {
      const config: LlamaConfig = { ...presets.tiny, tieWordEmbeddings, bosTokenId: 0, eosTokenId: 1, padTokenId: 2 };
      const params32 = randomParams(config, 41, 0.2);
      const model = createModel(engine, config, { params: params32 });
      const batch = randomBatch(config, 6, [9, 6, 8], 4); // a shared prefix is computed once, its gradient summed
      const weights = Float64Array.of(0.8, -1.3, 0.6);
      zeroGrads(model);
      sequenceLogProbs(model, batch, { grad: true }).backward(weights);

      const params64 = new Map([...params32].map(([name, values]) => [name, Float64Array.from(values)]));
      const objective = (): number => batch.ids.reduce((sum, ids, s) =>
        sum + weights[s]! * maskedReferenceLogProbs(config, params64, ids, batch.mask[s]!).reduce((a, b) => a + b, 0), 0);
      const gmax = model.flatGrads.reduce((m, g) => Math.max(m, Math.abs(g)), 0);
      const rng = new Rng(7);
      const h = 1e-4;
      let checked = 0;
      for (const [name, values] of params64) {
        const analytic = model.grads.get(name)!;
        // the largest-gradient entry of each tensor plus two random ones
        for (const i of [argmaxAbs(analytic), rng.int(values.length), rng.int(values.length)]) {
          const numeric = centralDifference(values, i, objective, h);
          expect(Math.abs(analytic[i]! - numeric), `${name}[${i}]: analytic ${analytic[i]} numeric ${numeric}`)
            .toBeLessThanOrEqual(2e-3 * Math.abs(numeric) + 1e-4 * gmax);
          checked++;
        }
      }
      expect(checked).toBe(3 * params64.size);
      expect(gmax).toBeGreaterThan(0.01);
    });
  }
});
