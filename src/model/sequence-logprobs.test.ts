import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine/index.ts';
import { argmaxAbs, centralDifference } from '../engine/test-helpers.ts';
import { Rng } from '../rng.ts';
import { presets, type LlamaConfig } from './config.ts';
import { createModel, zeroGrads, type LlamaModel } from './llama.ts';
import { createAdamW } from './optimizer.ts';
import { sequenceLogProbs, type ScoredBatch, type SequenceLogProbsOptions } from './sequence-logprobs.ts';
import { randomIds, randomParams, testConfig } from './test-models.ts';

let engine: Engine;
let model: LlamaModel;
const config = testConfig();

beforeAll(async () => {
  engine = await createEngine({ threads: 1 });
  model = createModel(engine, config, { params: randomParams(config, 21) });
});
afterAll(() => engine.dispose());

/** Three sequences of different lengths: a prompt part (mask 0) then a scored part, one with a gap. */
function batch(): ScoredBatch {
  const rng = new Rng(4);
  const ids = [12, 5, 20].map((n) => randomIds(rng, n, config.vocabSize));
  const mask = [
    Uint8Array.from({ length: 12 }, (_, t) => (t >= 4 ? 1 : 0)),
    Uint8Array.from({ length: 5 }, (_, t) => (t >= 1 ? 1 : 0)),
    Uint8Array.from({ length: 20 }, (_, t) => ((t >= 3 && t < 9) || t >= 14 ? 1 : 0)),
  ];
  // trailing unscored tokens must not matter
  mask[2]![19] = 0;
  return { ids, mask };
}

/** How many forward linears `run` makes (a backward makes none unless it recomputes a forward). */
function linearCalls(run: () => void): number {
  let count = 0;
  const linear = engine.linear;
  engine.linear = (...args) => {
    count++;
    linear.apply(engine, args);
  };
  try {
    run();
  } finally {
    engine.linear = linear;
  }
  return count;
}

function gradsCopy(): Float64Array {
  return Float64Array.from(model.flatGrads);
}

describe('sequenceLogProbs', () => {
  it('scores each sequence as if alone, sums the masked token log-probs and counts them', () => {
    const b = batch();
    const all = sequenceLogProbs(model, b);
    b.ids.forEach((ids, i) => {
      const alone = sequenceLogProbs(model, { ids: [ids], mask: [b.mask[i]!] });
      expect(all.logProbs[i]).toBeCloseTo(alone.logProbs[0]!, 4);
      const tokens = all.tokenLogProbs[i]!;
      expect(tokens.length).toBe(ids.length);
      let sum = 0;
      let count = 0;
      tokens.forEach((value, t) => {
        if (b.mask[i]![t]) {
          expect(value).toBeLessThan(0);
          sum += value;
          count++;
        } else {
          expect(value).toBe(0);
        }
        expect(value).toBeCloseTo(alone.tokenLogProbs[0]![t]!, 4);
      });
      expect(all.tokenCounts[i]).toBe(count);
      expect(all.logProbs[i]).toBeCloseTo(sum, 4);
    });
  });

  it('backward of a weighted batch equals the weighted sum of single-sequence gradients', () => {
    const b = batch();
    const weights = Float64Array.from([0.7, -1.3, 0.25]);
    zeroGrads(model);
    sequenceLogProbs(model, b, { grad: true }).backward(weights);
    const together = gradsCopy();
    const summed = new Float64Array(together.length);
    b.ids.forEach((ids, i) => {
      zeroGrads(model);
      sequenceLogProbs(model, { ids: [ids], mask: [b.mask[i]!] }, { grad: true })
        .backward(Float64Array.of(weights[i]!));
      const g = gradsCopy();
      for (let j = 0; j < g.length; j++) summed[j]! += g[j]!;
    });
    const scale = Math.max(...summed.map(Math.abs));
    expect(scale).toBeGreaterThan(0);
    for (let j = 0; j < summed.length; j++) expect(Math.abs(together[j]! - summed[j]!)).toBeLessThan(1e-4 * scale);
    zeroGrads(model);
  });

  it('gives the same scores and gradients when a small row budget splits the batch into chunks', () => {
    const b = batch();
    const weights = Float64Array.from([-0.4, 1.1, 0.9]);
    zeroGrads(model);
    const whole = sequenceLogProbs(model, b, { grad: true });
    whole.backward(weights);
    const wholeGrads = gradsCopy();
    zeroGrads(model);
    const chunked = sequenceLogProbs(model, b, { grad: true, maxRows: 20 }); // inputs 11, 4, 18: three chunks
    chunked.backward(weights);
    const chunkedGrads = gradsCopy();
    for (let i = 0; i < 3; i++) {
      expect(chunked.logProbs[i]).toBeCloseTo(whole.logProbs[i]!, 4);
      const expected = Array.from(whole.tokenLogProbs[i]!).map((x) => expect.closeTo(x, 4));
      expect(Array.from(chunked.tokenLogProbs[i]!)).toEqual(expected);
    }
    const scale = Math.max(...wholeGrads.map(Math.abs));
    for (let j = 0; j < wholeGrads.length; j++) {
      expect(Math.abs(chunkedGrads[j]! - wholeGrads[j]!)).toBeLessThan(1e-5 * scale);
    }
    zeroGrads(model);
  });

  /** The shared model's scores and gradients vs a same-weights twin scored with `options` (its own workspace). */
  function againstTwin(weights: Float64Array, options: SequenceLogProbsOptions) {
    const b = batch();
    zeroGrads(model);
    const whole = sequenceLogProbs(model, b, { grad: true });
    whole.backward(weights);
    const wholeGrads = gradsCopy();
    zeroGrads(model);
    const twin = createModel(engine, config, { params: randomParams(config, 21) });
    const other = sequenceLogProbs(twin, b, { ...options, grad: true });
    other.backward(weights);
    let largest = 0;
    for (let j = 0; j < wholeGrads.length; j++) {
      largest = Math.max(largest, Math.abs(twin.flatGrads[j]! - wholeGrads[j]!));
    }
    return { whole, other, gradError: largest / Math.max(...wholeGrads.map(Math.abs)) };
  }

  it('recomputes layer activations (checkpointing) past the row budget, with the same scores and gradients', () => {
    // checkpointing, once chosen, stays with the twin's workspace; the 18-input sequence is past 10 rows
    const { whole, other, gradError } = againstTwin(Float64Array.from([0.7, -1.3, 0.5]), { maxRows: 10 });
    for (let i = 0; i < 3; i++) expect(other.logProbs[i]).toBeCloseTo(whole.logProbs[i]!, 4);
    expect(gradError).toBeLessThan(1e-5);
  });

  it('a training pass after a checkpointing forward keeps every layer: no layer forward in its backward', () => {
    const b = batch();
    const weights = Float64Array.from([0.3, 1.4, -0.6]);
    zeroGrads(model);
    sequenceLogProbs(model, b, { grad: true }).backward(weights);
    const wholeGrads = gradsCopy();
    zeroGrads(model);
    const twin = createModel(engine, config, { params: randomParams(config, 21) });
    sequenceLogProbs(twin, b, { maxRows: 10 }); // a scoring pass past 10 rows: its workspace checkpoints
    const scores = sequenceLogProbs(twin, b, { grad: true }); // fits the default budget whole
    // a checkpointing backward runs each layer's q/k/v, o, MLP forward again
    expect(linearCalls(() => scores.backward(weights))).toBe(0);
    let largest = 0;
    for (let j = 0; j < wholeGrads.length; j++) {
      largest = Math.max(largest, Math.abs(twin.flatGrads[j]! - wholeGrads[j]!));
    }
    expect(largest / Math.max(...wholeGrads.map(Math.abs))).toBeLessThan(1e-5);
  });

  it('runs a batch past the 384 MiB budget as one chunk when a third of the free engine memory holds it', () => {
    // ~3.5 MB of activations per row (a 96k-wide MLP): 2 × 100 rows are past 384 MiB (~116 rows), not past a third
    // of the ~4 GiB engine; an explicit maxRows still chunks it (and recomputes the first chunk in backward)
    const wide = testConfig({ hiddenSize: 16, intermediateSize: 96_000, maxPositionEmbeddings: 128 });
    const rng = new Rng(9);
    const ids = [randomIds(rng, 101, wide.vocabSize), randomIds(rng, 101, wide.vocabSize)];
    const b: ScoredBatch = { ids, mask: ids.map((seq) => Uint8Array.from(seq, (_, t) => (t > 0 ? 1 : 0))) };
    const forwardsInBackward = (options: SequenceLogProbsOptions): number => {
      const mark = engine.mark();
      try {
        const wideModel = createModel(engine, wide, { params: randomParams(wide, 5) });
        const scores = sequenceLogProbs(wideModel, b, { ...options, grad: true });
        return linearCalls(() => scores.backward(Float64Array.from([1, -1])));
      } finally {
        engine.release(mark);
      }
    };
    expect(forwardsInBackward({})).toBe(0);
    expect(forwardsInBackward({ maxRows: 170 })).toBeGreaterThan(0);
  });

  it('slices the lm head over scored rows (logits recomputed in backward) with the same scores and gradients', () => {
    const { whole, other, gradError } = againstTwin(Float64Array.from([1.2, 0.4, -0.8]), { logitRows: 3 }); // 9 slices
    for (let i = 0; i < 3; i++) {
      const expected = Array.from(whole.tokenLogProbs[i]!).map((x) => expect.closeTo(x, 5));
      expect(Array.from(other.tokenLogProbs[i]!)).toEqual(expected);
    }
    expect(gradError).toBeLessThan(1e-5);
  });

  it('backward matches central differences of its own forward on the tiny preset (float32, coarse step, ' +
    'dense layout)', () => {
    const tiny: LlamaConfig = { ...presets.tiny, bosTokenId: 0, eosTokenId: 1, padTokenId: 2 };
    const m = createModel(engine, tiny, { params: randomParams(tiny, 41, 0.2) });
    const rng = new Rng(3);
    // equal lengths, last token scored, no common prefix: the dense (copy-free) layout
    const ids = [randomIds(rng, 9, tiny.vocabSize), randomIds(rng, 9, tiny.vocabSize)];
    const scored = (t: number): number => (t === 8 || (t > 0 && rng.next() < 0.7) ? 1 : 0);
    const fd: ScoredBatch = { ids, mask: ids.map((seq) => Uint8Array.from(seq, (_, t) => scored(t))) };
    const weights = Float64Array.of(0.8, -1.3);
    zeroGrads(m);
    sequenceLogProbs(m, fd, { grad: true }).backward(weights);
    const objective = (): number => {
      const r = sequenceLogProbs(m, fd).logProbs;
      return weights[0]! * r[0]! + weights[1]! * r[1]!;
    };
    const h = 1e-2; // float32 forward: a coarse step keeps rounding noise ≪ the differences
    for (const [name, values] of m.params) {
      const analytic = m.grads.get(name)!;
      for (const i of [argmaxAbs(analytic), rng.int(values.length)]) {
        const numeric = centralDifference(values, i, objective, h);
        expect(Math.abs(analytic[i]! - numeric), `${name}[${i}]`).toBeLessThanOrEqual(0.03 * Math.abs(numeric) + 1e-3);
      }
    }
  });

  it('refuses bad input and a backward that is stale, repeated or not requested', () => {
    const b = batch();
    expect(() => sequenceLogProbs(model, { ids: b.ids, mask: b.mask.slice(1) })).toThrow(/masks/);
    expect(() => sequenceLogProbs(model, { ids: [Int32Array.of(1, 2)], mask: [Uint8Array.of(1, 1)] }))
      .toThrow(/mask\[0\]/);
    expect(() => sequenceLogProbs(model, { ids: [Int32Array.of(1, config.vocabSize)], mask: [Uint8Array.of(0, 1)] }))
      .toThrow(/vocabulary/);
    const long = new Int32Array(config.maxPositionEmbeddings + 1);
    expect(() => sequenceLogProbs(model, { ids: [long], mask: [new Uint8Array(long.length)] }))
      .toThrow(/maxPositionEmbeddings/);
    const weights = Float64Array.of(1, 1, 1);
    expect(() => sequenceLogProbs(model, b).backward(weights)).toThrow(/grad: true/);
    const first = sequenceLogProbs(model, b, { grad: true });
    sequenceLogProbs(model, b);
    expect(() => first.backward(weights)).toThrow(/another forward/);
    const second = sequenceLogProbs(model, b, { grad: true });
    second.backward(weights);
    expect(() => second.backward(weights)).toThrow(/already/);
    zeroGrads(model);
  });

  it('handles sequences with nothing to score', () => {
    const empty: ScoredBatch = {
      ids: [Int32Array.of(3), new Int32Array(0)], mask: [Uint8Array.of(0), new Uint8Array(0)],
    };
    const scores = sequenceLogProbs(model, empty, { grad: true });
    expect(Array.from(scores.logProbs)).toEqual([0, 0]);
    expect(Array.from(scores.tokenCounts)).toEqual([0, 0]);
    scores.backward(Float64Array.of(1, 1));
    expect(model.flatGrads.every((x) => x === 0)).toBe(true);
  });

  it('learns: a few AdamW steps on one sequence raise its log-probability', () => {
    const trainee = createModel(engine, config, { seed: 8 });
    const optimizer = createAdamW(trainee, { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0 });
    const b = batch();
    const tokens = b.mask.reduce((n, m) => n + m.reduce((s, x) => s + x, 0), 0);
    const losses: number[] = [];
    for (let step = 0; step < 30; step++) {
      zeroGrads(trainee);
      const scores = sequenceLogProbs(trainee, b, { grad: true });
      losses.push(-scores.logProbs.reduce((s, x) => s + x, 0) / tokens);
      scores.backward(new Float64Array(3).fill(-1 / tokens));
      optimizer.step(1e-2);
    }
    expect(losses[0]).toBeCloseTo(Math.log(config.vocabSize), 1);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.5);
  });
});
