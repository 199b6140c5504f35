import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.ts';
import { type LlamaConfig, parameterShapes } from './config.ts';
import { referenceLogits, referenceTokenLogProbs } from './reference.ts';

const config: LlamaConfig = {
  vocabSize: 7, hiddenSize: 4, intermediateSize: 6, numHiddenLayers: 2, numAttentionHeads: 2, numKeyValueHeads: 1,
  maxPositionEmbeddings: 16, rmsNormEps: 1e-5, ropeTheta: 10000, tieWordEmbeddings: true, bosTokenId: 0, eosTokenId: 1, padTokenId: 2,
};

function randomParams(seed: number, cfg: LlamaConfig): Map<string, Float64Array> {
  const rng = new Rng(seed);
  const params = new Map<string, Float64Array>();
  for (const [name, shape] of parameterShapes(cfg)) {
    params.set(name, Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * 0.5));
  }
  return params;
}

describe('float64 reference forward', () => {
  it('with zero attention and MLP outputs, logits are rmsnorm(embedding)·embeddingᵀ (hand-computed)', () => {
    const params = randomParams(1, config);
    for (const [name, data] of params) if (/o_proj|down_proj/.test(name)) data.fill(0);
    const embed = params.get('model.embed_tokens.weight') as Float64Array;
    const norm = params.get('model.norm.weight') as Float64Array;
    const ids = [3, 5];
    const logits = referenceLogits(config, params, ids);
    ids.forEach((id, t) => {
      const e = Array.from(embed.subarray(id * 4, id * 4 + 4));
      const rms = Math.sqrt(e.reduce((s, v) => s + v * v, 0) / 4 + 1e-5);
      const h = e.map((v, i) => (v / rms) * (norm[i] as number));
      for (let v = 0; v < 7; v++) {
        const expected = h.reduce((s, x, i) => s + x * (embed[v * 4 + i] as number), 0);
        expect(logits[t * 7 + v]).toBeCloseTo(expected, 12);
      }
    });
  });

  it('is causal: logits at t ignore tokens after t', () => {
    const params = randomParams(2, config);
    const a = referenceLogits(config, params, [1, 4, 2, 6, 3]);
    const b = referenceLogits(config, params, [1, 4, 2, 0, 5]);
    expect(Array.from(a.subarray(0, 3 * 7))).toEqual(Array.from(b.subarray(0, 3 * 7)));
    expect(Array.from(a.subarray(3 * 7))).not.toEqual(Array.from(b.subarray(3 * 7)));
  });

  it('token log-probs are normalised: logsumexp over the vocabulary is 0', () => {
    const params = randomParams(4, config);
    const ids = [0, 3, 6, 1];
    const logits = referenceLogits(config, params, ids);
    const logprobs = referenceTokenLogProbs(config, params, ids);
    for (let t = 1; t < ids.length; t++) {
      let total = 0;
      for (let v = 0; v < 7; v++) {
        const probe = [...ids.slice(0, t), v];
        total += Math.exp(referenceTokenLogProbs(config, params, probe)[t] as number);
      }
      expect(total).toBeCloseTo(1, 12);
      expect(logprobs[t]).toBeLessThan(0);
    }
    expect(logits.length).toBe(4 * 7);
  });
});
