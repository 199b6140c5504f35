import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine/index.ts';
import { parameterCount, parameterShapes, presets } from './config.ts';
import { createModel, INIT_STD, parameterLayout, zeroGrads } from './llama.ts';
import { randomParams, testConfig } from './test-models.ts';

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine({ threads: 1 });
});
afterAll(() => engine.dispose());

const tiny = { ...presets.tiny, bosTokenId: 0, eosTokenId: 1, padTokenId: 2 };

describe('createModel', () => {
  it('lays out every HF parameter as a view into one flat buffer, norms last', () => {
    const model = createModel(engine, tiny, { seed: 1 });
    const shapes = parameterShapes(tiny);
    expect([...model.params.keys()]).toEqual([...shapes.keys()]);
    expect(model.flatParams.length).toBe(parameterCount(tiny));
    const layout = parameterLayout(tiny);
    for (const [name, view] of model.params) {
      expect(view.buffer).toBe(model.flatParams.buffer);
      expect(view.length).toBe(shapes.get(name)!.reduce((a, b) => a * b, 1));
      const [offset] = layout.slots.get(name)!;
      expect(view.byteOffset).toBe(model.flatParams.byteOffset + offset * 4);
      expect(model.grads.get(name)!.byteOffset).toBe(model.flatGrads.byteOffset + offset * 4);
      expect(offset >= layout.decayLength).toBe(name.endsWith('norm.weight'));
    }
  });

  it('initialises HF-style from a seed, reproducibly', () => {
    const a = createModel(engine, tiny, { seed: 5 });
    const b = createModel(engine, tiny, { seed: 5 });
    const c = createModel(engine, tiny, { seed: 6 });
    expect(Array.from(a.flatParams)).toEqual(Array.from(b.flatParams));
    expect(Array.from(a.flatParams)).not.toEqual(Array.from(c.flatParams));
    for (const [name, view] of a.params) {
      if (name.endsWith('norm.weight')) {
        expect(view.every((x) => x === 1)).toBe(true);
      } else {
        const mean = view.reduce((s, x) => s + x, 0) / view.length;
        const std = Math.sqrt(view.reduce((s, x) => s + (x - mean) ** 2, 0) / view.length);
        expect(Math.abs(mean)).toBeLessThan(0.002);
        expect(Math.abs(std - INIT_STD) / INIT_STD).toBeLessThan(0.05);
      }
    }
    expect(a.flatGrads.every((x) => x === 0)).toBe(true);
  });

  it('copies given parameters and checks their names and sizes', () => {
    const config = testConfig();
    const params = randomParams(config, 3);
    const model = createModel(engine, config, { params });
    for (const [name, values] of params) expect(Array.from(model.params.get(name)!)).toEqual(Array.from(values));
    expect(model.params.get('lm_head.weight')).not.toBe(params.get('lm_head.weight'));
    const missing = new Map(params);
    missing.delete('lm_head.weight');
    expect(() => createModel(engine, config, { params: missing })).toThrow(/lm_head.weight.*missing/);
    const wrong = new Map(params).set('model.norm.weight', new Float32Array(3));
    expect(() => createModel(engine, config, { params: wrong })).toThrow(/model.norm.weight/);
    expect(() => createModel(engine, { ...config, tieWordEmbeddings: true }, { params })).toThrow(/unexpected parameter 'lm_head.weight'/);
    expect(() => createModel(engine, { ...config, numKeyValueHeads: 3 }, { seed: 1 })).toThrow(/divisible/);
  });

  it('zeroGrads clears every gradient', () => {
    const model = createModel(engine, tiny, { seed: 1 });
    model.flatGrads.fill(0.5);
    zeroGrads(model);
    expect(model.grads.get('model.norm.weight')!.every((x) => x === 0)).toBe(true);
  });
});
