import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine/index.ts';
import { Rng } from '../rng.ts';
import { createModel, type LlamaModel } from './llama.ts';
import { createPrefixCache, generateCached } from './prefix-cache.ts';
import { commonPrefix, planPrefixes } from './prefix-plan.ts';
import { generate, type GenerateOptions } from './sampler.ts';
import { randomIds, randomParams, testConfig } from './test-models.ts';

let engine: Engine;
let model: LlamaModel;
const config = testConfig({ numAttentionHeads: 4, hiddenSize: 128, numKeyValueHeads: 2, maxPositionEmbeddings: 512 });

beforeAll(async () => {
  engine = await createEngine({ threads: 2 });
  model = createModel(engine, config, { params: randomParams(config, 11) }, { grads: false });
});
afterAll(() => engine.dispose());

const ids = (values: number[]): Int32Array => Int32Array.from(values);

describe('planPrefixes', () => {
  it('keeps each prompt in the slot holding its previous turn and borrows a longer prefix from another slot', () => {
    const held = [ids([1, 2, 3, 4, 9, 9]), ids([1, 2, 3, 7, 7, 7, 7]), ids([])];
    const prompts = [ids([1, 2, 3, 7, 7, 7, 7, 5]), ids([1, 2, 3, 4, 9, 9, 6]), ids([1, 2, 3, 7, 7, 8])];
    const plan = planPrefixes(held, prompts);
    expect(plan.slotOf).toEqual([1, 0, 2]);
    expect(plan.kept).toEqual([7, 6, 0]);
    // prompt 2 takes [0, 5) from slot 1, which prompt 0 keeps intact through the call
    expect(plan.borrowed).toEqual([{ from: 1, to: 2, start: 0, end: 5 }]);
    expect(plan.start).toEqual([7, 6, 5]);
  });
  it('computes a prefix nobody holds once: a leader first, then its followers copy it', () => {
    const prefix = Array.from({ length: 20 }, (_, i) => i + 1);
    const prompts = [ids([...prefix, 50]), ids([...prefix, 60, 61]), ids([99, 98])];
    const plan = planPrefixes([ids([]), ids([]), ids([])], prompts);
    expect(plan.leaders).toEqual([0, 2]);
    expect(plan.followers).toEqual([1]);
    expect(plan.shared).toEqual([{ from: plan.slotOf[0], to: plan.slotOf[1], start: 0, end: 20 }]);
    expect(plan.start).toEqual([0, 20, 0]);
  });
  it('takes only free slots; a busy slot lends its held prefix', () => {
    const held = [ids([7, 7, 7, 7, 7]), ids([1, 2]), ids([])];
    const plan = planPrefixes(held, [ids([7, 7, 7, 7, 8])], [false, true, true]);
    expect(plan.slotOf).toEqual([2]); // the empty free slot, not the busy one it matches
    expect(plan.borrowed).toEqual([{ from: 0, to: 2, start: 0, end: 4 }]);
    expect(() => planPrefixes(held, [ids([1]), ids([2])], [false, true, false])).toThrow(/free slots/);
  });
  it('always leaves the last prompt token to prefill', () => {
    const plan = planPrefixes([ids([4, 5, 6])], [ids([4, 5, 6])]);
    expect(plan.start).toEqual([2]);
  });
});

/**
 * Multi-turn episodes as the agent loop makes them: instruction + example shared by all, each turn appends the
 * reply (what the model generated, cut short) and a new observation; one episode drops its oldest turn midway
 * (context overflow), and one is replaced by a new episode.
 */
describe('generateCached', () => {
  const greedy: GenerateOptions = { maxNewTokens: 8, temperature: 0, topP: 1, seed: 0, stopTokenIds: [] };
  for (const seed of [1, 2, 3]) {
    it(`gives generate()'s greedy tokens turn after turn, prefilling only new tokens (seed ${seed})`, () => {
      const rng = new Rng(seed);
      const shared = Array.from(randomIds(rng, 40, config.vocabSize));
      const newEpisode = (): number[][] => [shared, Array.from(randomIds(rng, 6, config.vocabSize))];
      let episodes = [newEpisode(), newEpisode(), newEpisode()];
      const cache = createPrefixCache(model);
      let previous: Int32Array[] = [];
      for (let turn = 0; turn < 5; turn++) {
        if (turn === 2) episodes[1] = newEpisode(); // an episode ended and a new one took its place
        if (turn === 3) episodes[0] = [episodes[0]![0]!, ...episodes[0]!.slice(3)]; // overflow: oldest turn dropped
        const prompts = episodes.map((parts) => Int32Array.from(parts.flat()));
        const expected = generate(model, prompts, { ...greedy, seed: turn });
        const got = generateCached(cache, prompts, { ...greedy, seed: turn });
        expect(got.map((o) => Array.from(o))).toEqual(expected.map((o) => Array.from(o)));
        // prefilled = the prompt minus the longest prefix any earlier call left in the cache
        prompts.forEach((prompt, i) => {
          const cached = Math.max(0, ...previous.map((p) => commonPrefix(prompt, p, prompt.length - 1)));
          if (turn > 0) expect(cache.lastPrefilled[i]).toBe(prompt.length - cached);
        });
        previous = prompts.map((p, i) => Int32Array.from([...p, ...got[i]!.subarray(0, got[i]!.length - 1)]));
        const observation = (): number[] => Array.from(randomIds(rng, 5, config.vocabSize));
        episodes = episodes.map((parts, i) => [...parts, Array.from(got[i]!), observation()]);
      }
      // the shared 40 tokens were computed once in the first call (one leader, two followers)
      expect(cache.stats.copiedTokens).toBeGreaterThanOrEqual(2 * 40);
      expect(cache.stats.prefilledTokens).toBeLessThan(cache.stats.promptTokens / 3);
    });
  }
  it('reads the shared prefix from one slot and samples exactly what reading each slot gives', () => {
    const rng = new Rng(13);
    const shared = Array.from(randomIds(rng, 48, config.vocabSize));
    const prompts = [0, 1, 2, 3].map(() => Int32Array.from([...shared, ...randomIds(rng, 3 + rng.int(9),
      config.vocabSize)]));
    const options = { ...greedy, maxNewTokens: 12, temperature: 0.8, topP: 0.95, seed: 2 };
    const [own, read] = [false, true].map((sharedReads) => {
      const cache = createPrefixCache(model, { sharedReads });
      const outputs = [0, 1].map(() => generateCached(cache, prompts, options).map((o) => Array.from(o)));
      return { outputs, stats: cache.stats };
    });
    expect(read!.outputs).toEqual(own!.outputs);
    expect(own!.stats.sharedReadTokens).toBe(0);
    expect(read!.stats.sharedReadTokens).toBe(2 * 3 * 48); // prompts 1..3 read slot 0's 48 tokens, both calls
  });
  it('samples the same tokens as generate() at temperature 1', () => {
    const rng = new Rng(9);
    const prompts = [randomIds(rng, 12, config.vocabSize), randomIds(rng, 30, config.vocabSize)];
    const options = { ...greedy, temperature: 1, topP: 0.9, seed: 4 };
    const cache = createPrefixCache(model);
    generateCached(cache, prompts, options);
    expect(generateCached(cache, prompts, options).map((o) => Array.from(o)))
      .toEqual(generate(model, prompts, options).map((o) => Array.from(o)));
  });
});
