import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine/index.ts';
import { Rng } from '../rng.ts';
import { createModel, type LlamaModel } from './llama.ts';
import { clipGradNorm, createAdamW } from './optimizer.ts';
import { testConfig } from './test-models.ts';

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine({ threads: 1 });
});
afterAll(() => engine.dispose());

const config = testConfig({ tieWordEmbeddings: true });
const hyper = { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 };

function fillGrads(model: LlamaModel, rng: Rng): void {
  for (let i = 0; i < model.flatGrads.length; i++) model.flatGrads[i] = rng.normal() * 0.01;
}

describe('createAdamW', () => {
  it('matches a float64 torch-style AdamW, without weight decay on norm weights', () => {
    const model = createModel(engine, config, { seed: 1 });
    const names = [...model.params.keys()];
    const p = new Map(names.map((n) => [n, Float64Array.from(model.params.get(n)!)]));
    const m = new Map(names.map((n) => [n, new Float64Array(model.params.get(n)!.length)]));
    const v = new Map(names.map((n) => [n, new Float64Array(model.params.get(n)!.length)]));
    const optimizer = createAdamW(model, hyper);
    const rng = new Rng(2);
    const lrs = [1e-3, 5e-4, 2e-3];
    lrs.forEach((lr, k) => {
      fillGrads(model, rng);
      const t = k + 1;
      for (const name of names) {
        const decay = name.endsWith('norm.weight') ? 0 : hyper.weightDecay;
        const [pp, mm, vv, g] = [p.get(name)!, m.get(name)!, v.get(name)!, model.grads.get(name)!];
        for (let i = 0; i < pp.length; i++) {
          pp[i] = pp[i]! * (1 - lr * decay);
          mm[i] = hyper.beta1 * mm[i]! + (1 - hyper.beta1) * g[i]!;
          vv[i] = hyper.beta2 * vv[i]! + (1 - hyper.beta2) * g[i]! ** 2;
          const mHat = mm[i]! / (1 - hyper.beta1 ** t);
          const vHat = vv[i]! / (1 - hyper.beta2 ** t);
          pp[i] = pp[i]! - (lr * mHat) / (Math.sqrt(vHat) + hyper.eps);
        }
      }
      optimizer.step(lr);
    });
    for (const name of names) {
      const got = model.params.get(name)!;
      const want = p.get(name)!;
      for (let i = 0; i < got.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-6 + 1e-5 * Math.abs(want[i]!));
    }
    expect(optimizer.state().step).toBe(3);
    // norm weights moved only by the Adam update: without decay they stay near 1 + lr·steps
    const norm = model.params.get('model.norm.weight')!;
    expect(Math.max(...norm.map((x) => Math.abs(x - 1)))).toBeLessThan(4e-3);
  });

  it('resumes exactly from a saved state', () => {
    const a = createModel(engine, config, { seed: 3 });
    const b = createModel(engine, config, { seed: 3 });
    const optA = createAdamW(a, hyper);
    const rng = new Rng(4);
    for (let k = 0; k < 2; k++) {
      fillGrads(a, rng);
      optA.step(1e-3);
    }
    b.flatParams.set(a.flatParams);
    const saved = optA.state();
    const optB = createAdamW(b, hyper);
    optB.load({ m: saved.m.slice(), v: saved.v.slice(), step: saved.step });
    fillGrads(a, rng);
    b.flatGrads.set(a.flatGrads);
    optA.step(1e-3);
    optB.step(1e-3);
    expect(Array.from(b.flatParams)).toEqual(Array.from(a.flatParams));
    expect(() => optB.load({ m: new Float32Array(3), v: new Float32Array(3), step: 1 })).toThrow(/moments/);
  });
});

describe('clipGradNorm', () => {
  it('returns the global norm and scales the gradients down to maxNorm only when above it', () => {
    const model = createModel(engine, config, { seed: 5 });
    fillGrads(model, new Rng(6));
    let ss = 0;
    for (const g of model.grads.values()) for (const x of g) ss += x * x;
    const norm = Math.sqrt(ss);
    const before = model.flatGrads.slice();
    expect(clipGradNorm(model, norm * 2)).toBeCloseTo(norm, 6);
    expect(model.flatGrads).toEqual(before);
    expect(clipGradNorm(model, norm / 4)).toBeCloseTo(norm, 6);
    const after = Math.sqrt(model.flatGrads.reduce((s, x) => s + x * x, 0));
    expect(after).toBeCloseTo(norm / 4, 5);
    expect(model.flatGrads[10]! / before[10]!).toBeCloseTo(0.25, 4);
  });
});
