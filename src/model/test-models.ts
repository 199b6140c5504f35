// Helpers for src/model tests only: small Llama configs and seeded random checkpoints with O(1) activations
// (std well above HF's 0.02, so logits differ clearly and greedy choices are not near-ties).
import { Rng } from '../rng.ts';
import { parameterShapes, type LlamaConfig } from './config.ts';

export function testConfig(overrides: Partial<LlamaConfig> = {}): LlamaConfig {
  return {
    vocabSize: 61, hiddenSize: 64, intermediateSize: 96, numHiddenLayers: 2, numAttentionHeads: 2,
    numKeyValueHeads: 1, maxPositionEmbeddings: 64, rmsNormEps: 1e-5, ropeTheta: 10000, tieWordEmbeddings: false,
    bosTokenId: 0, eosTokenId: 1, padTokenId: 2,
    ...overrides,
  };
}

/** Matrices ~ normal(0, std), norm weights ~ 1 + normal(0, 0.1). */
export function randomParams(config: LlamaConfig, seed: number, std = 0.15): Map<string, Float32Array> {
  const rng = new Rng(seed);
  const params = new Map<string, Float32Array>();
  for (const [name, shape] of parameterShapes(config)) {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    const isNorm = name.endsWith('norm.weight');
    for (let i = 0; i < values.length; i++) values[i] = isNorm ? 1 + 0.1 * rng.normal() : std * rng.normal();
    params.set(name, values);
  }
  return params;
}

export function randomIds(rng: Rng, length: number, vocab: number): Int32Array {
  return Int32Array.from({ length }, () => rng.int(vocab));
}
