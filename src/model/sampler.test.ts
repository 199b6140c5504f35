import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine/index.ts';
import { Rng } from '../rng.ts';
import { createKvDecoder, decode, prefillGroup, prefillLogits } from './kv-cache.ts';
import { createModel, weightViews, type LlamaModel } from './llama.ts';
import { argmax, generate, sampleToken, type GenerateOptions } from './sampler.ts';
import { randomIds, randomParams, testConfig } from './test-models.ts';
import { forward } from './transformer.ts';
import { createWorkspace } from './workspace.ts';

let engine: Engine;
let model: LlamaModel;
const config = testConfig({ numAttentionHeads: 4, hiddenSize: 128, numKeyValueHeads: 2 });
const promptLengths = [5, 1, 17, 9, 30];

beforeAll(async () => {
  engine = await createEngine({ threads: 1 });
  model = createModel(engine, config, { params: randomParams(config, 7) });
});
afterAll(() => engine.dispose());

function prompts(seed = 3): Int32Array[] {
  const rng = new Rng(seed);
  return promptLengths.map((n) => randomIds(rng, n, config.vocabSize));
}

/** Prompts sharing a 14-token prefix (like a system prompt), two of them identical, of different lengths. */
function sharedPrompts(): Int32Array[] {
  const rng = new Rng(5);
  const prefix = Array.from(randomIds(rng, 14, config.vocabSize));
  const own = [3, 1, 9, 3, 20].map((n) => Array.from(randomIds(rng, n, config.vocabSize)));
  own[3] = own[0]!;
  return own.map((tail) => Int32Array.from([...prefix, ...tail]));
}

const greedy: GenerateOptions = { maxNewTokens: 12, temperature: 0, topP: 1, seed: 0, stopTokenIds: [] };

/** Logits (T, V) at every position of `ids` from the training-mode forward (no cache). */
function fullLogits(ids: Int32Array): Float32Array {
  const T = ids.length;
  const mark = engine.mark();
  const ws = createWorkspace(model, T);
  for (let t = 0; t < T; t++) {
    ws.ids[t] = ids[t]!;
    ws.positions[t] = t;
    ws.scoredRows[t] = t;
    ws.targets[t] = 0;
  }
  forward(model, weightViews(model, model.params), ws, { B: 1, T, shared: 0, own: Int32Array.of(0), length: Int32Array.of(T), R: T }, T);
  const logits = ws.logits.slice(0, T * config.vocabSize);
  engine.release(mark);
  return logits;
}

describe('generate', () => {
  it('is reproducible for a seed and differs across seeds', () => {
    const options = { ...greedy, temperature: 0.9, topP: 0.95, seed: 11 };
    const a = generate(model, prompts(), options);
    const b = generate(model, prompts(), options);
    const c = generate(model, prompts(), { ...options, seed: 12 });
    expect(a).toEqual(b);
    expect(a.map((x) => x.length)).toEqual(promptLengths.map(() => 12));
    expect(c).not.toEqual(a);
  });

  it('gives the same greedy tokens batched as one prompt at a time', () => {
    for (const make of [prompts, sharedPrompts]) {
      const batched = generate(model, make(), greedy);
      const single = make().map((p) => generate(model, [p], greedy)[0]);
      expect(batched).toEqual(single);
    }
  });

  it('greedy tokens are the argmax of a cache-free forward over the growing sequence', () => {
    const all = [...prompts(), ...sharedPrompts()];
    const outputs = generate(model, all, greedy);
    all.forEach((prompt, i) => {
      const out = outputs[i]!;
      const logits = fullLogits(Int32Array.from([...prompt, ...out]));
      for (let j = 0; j < out.length; j++) {
        expect(argmax(logits, (prompt.length - 1 + j) * config.vocabSize, config.vocabSize)).toBe(out[j]);
      }
    });
  });

  it('with a vanishing top-p samples the greedy token', () => {
    const sampled = generate(model, prompts(), { ...greedy, temperature: 1, topP: 1e-9, seed: 5 });
    expect(sampled).toEqual(generate(model, prompts(), greedy));
  });

  it('ends a sequence at a stop token (excluded) and on shouldStop (included), leaving others unchanged', () => {
    const free = generate(model, prompts(), greedy);
    const stopToken = free[2]![4]!;
    const calls = promptLengths.map(() => 0);
    const stopped = generate(model, prompts(), {
      ...greedy, stopTokenIds: [stopToken], shouldStop: (index, generated) => {
        calls[index]!++;
        expect(generated.length).toBe(calls[index]);
        return index === 0 && generated.length === 3;
      },
    });
    expect(calls).toEqual(stopped.map((out) => out.length)); // once per appended token, the last one included
    free.forEach((out, i) => {
      let expected = Array.from(out);
      const at = expected.indexOf(stopToken);
      if (at >= 0) expected = expected.slice(0, at);
      if (i === 0) expected = expected.slice(0, 3);
      expect(Array.from(stopped[i]!)).toEqual(expected);
    });
    expect(stopped[2]!.length).toBeLessThanOrEqual(4);
  });

  it('stops at maxPositionEmbeddings and rejects prompts that do not fit', () => {
    const prompt = randomIds(new Rng(1), config.maxPositionEmbeddings - 3, config.vocabSize);
    const [out] = generate(model, [prompt, Int32Array.from([1, 2])], greedy);
    expect(out!.length).toBe(3);
    const tooLong = randomIds(new Rng(1), config.maxPositionEmbeddings, config.vocabSize);
    expect(() => generate(model, [tooLong], greedy)).toThrow(/maxPositionEmbeddings/);
    expect(() => generate(model, [new Int32Array(0)], greedy)).toThrow(/empty/);
    expect(generate(model, prompts(), { ...greedy, maxNewTokens: 0 }).every((o) => o.length === 0)).toBe(true);
  });
});

describe('kv cache', () => {
  it.each([['unrelated', prompts], ['sharing a prefix', sharedPrompts]])('prefill + decode logits match the full forward at every position (%s prompts)', (_label, make) => {
    const ps = make();
    const extra = 6;
    const rng = new Rng(9);
    const continuations = ps.map(() => randomIds(rng, extra, config.vocabSize));
    const mark = engine.mark();
    const decoder = createKvDecoder(model, ps.length, 64, 256);
    prefillGroup(decoder, [ps[0]!, ps[1]!, ps[3]!], [0, 1, 3]);
    prefillGroup(decoder, [ps[2]!, ps[4]!], [2, 4]);
    prefillLogits(decoder, ps.length);
    const V = config.vocabSize;
    const full = ps.map((p, i) => fullLogits(Int32Array.from([...p, ...continuations[i]!])));
    for (let step = 0; step <= extra; step++) {
      ps.forEach((p, i) => {
        const at = (p.length - 1 + step) * V;
        const got = decoder.logits.subarray(i * V, (i + 1) * V);
        const want = full[i]!.subarray(at, at + V);
        const scale = Math.max(...want.map(Math.abs));
        for (let j = 0; j < V; j++) expect(Math.abs(got[j]! - want[j]!)).toBeLessThan(1e-4 * scale);
      });
      if (step === extra) break;
      ps.forEach((p, i) => {
        decoder.tokens[i] = continuations[i]![step]!;
        decoder.positions[i] = p.length + step;
        decoder.rowSlots[i] = i;
      });
      decode(decoder, ps.length);
    }
    engine.release(mark);
  });
});

describe('sampleToken', () => {
  it('draws from softmax(logits / T) and never outside the top-p nucleus', () => {
    const logits = Float32Array.from([2, 1, 0, -1, 0.5, -3]);
    const temperature = 0.7;
    const weights = Array.from(logits, (l) => Math.exp(l / temperature));
    const total = weights.reduce((a, b) => a + b, 0);
    const rng = new Rng(1);
    const scratch = new Float64Array(6);
    const sorted = new Float64Array(6);
    const counts = new Array(6).fill(0);
    const draws = 20000;
    for (let i = 0; i < draws; i++) counts[sampleToken(logits, 0, 6, temperature, 1, rng, scratch, sorted)]++;
    counts.forEach((c, j) => expect(Math.abs(c / draws - weights[j]! / total)).toBeLessThan(0.015));
    // nucleus for topP 0.9: tokens 0, 1 and 4 hold ≥ 0.9 of the mass (0 and 1 alone do not)
    const p = weights.map((w) => w / total);
    expect(p[0]! + p[1]!).toBeLessThan(0.9);
    expect(p[0]! + p[1]! + p[4]!).toBeGreaterThanOrEqual(0.9);
    const seen = new Set<number>();
    for (let i = 0; i < 5000; i++) seen.add(sampleToken(logits, 0, 6, temperature, 0.9, rng, scratch, sorted));
    expect([...seen].sort()).toEqual([0, 1, 4]);
  });
});
