// LoRA beside a frozen weight: the adapted projection equals the plain one on the merged weight (mergeInto), B = 0
// (PEFT's start) merges to the base exactly, and projectBackward's dx, dW, dA and dB match central finite
// differences of L = Σ c ⊙ project(x) (reference engine; L is linear in each of x, W, A and B alone, so a
// central difference is exact up to float32 rounding).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine/index.ts';
import { centralDifference } from '../engine/test-helpers.ts';
import { Rng } from '../rng.ts';
import { mergeInto } from './lora-merge.ts';
import { allocLoraScratch, project, projectBackward, type LoraSlot } from './lora-projection.ts';

const [R, n, m, r, s] = [4, 7, 5, 3, 16 / 3]; // rows, in, out, rank, alpha / r

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine({ backend: 'reference', threads: 1 });
});
afterAll(() => engine.dispose());

function random(length: number, rng: Rng, scale: number): Float32Array {
  const out = engine.alloc(length);
  for (let i = 0; i < length; i++) out[i] = scale * rng.normal();
  return out;
}

function setup() {
  const rng = new Rng(5);
  const x = random(R * n, rng, 1);
  const w = random(m * n, rng, 0.3);
  const lora: LoraSlot = {
    a: random(r * n, rng, 0.3), b: random(m * r, rng, 0.3), // B nonzero, so dA is not trivially 0
    gradA: engine.alloc(r * n), gradB: engine.alloc(m * r), rank: r, scale: s,
  };
  const c = random(R * m, rng, 1); // d L / d out
  return { x, w, lora, c, scratch: allocLoraScratch(engine, R, r, m) };
}

describe('LoRA projection', () => {
  it('equals the plain projection on the merged weight, and B = 0 merges to the base exactly', () => {
    const { x, w, lora, scratch } = setup();
    const adapted = engine.alloc(R * m);
    project(engine, adapted, x, w, lora, scratch, R, n, m);
    const merged = engine.alloc(m * n);
    mergeInto(merged, w, lora.a, lora.b, m, n, r, s);
    const plain = engine.alloc(R * m);
    engine.linear(plain, x, merged, R, n, m);
    for (let i = 0; i < R * m; i++) expect(adapted[i]).toBeCloseTo(plain[i]!, 5);
    const base = engine.alloc(m * n);
    mergeInto(base, w, lora.a, engine.alloc(m * r), m, n, r, s);
    expect(base).toEqual(w);
  });

  it('backward: dx, dW, dA and dB match central finite differences', () => {
    const { x, w, lora, c, scratch } = setup();
    const out = engine.alloc(R * m);
    const loss = (): number => {
      project(engine, out, x, w, lora, scratch, R, n, m);
      let sum = 0;
      for (let i = 0; i < R * m; i++) sum += c[i]! * out[i]!;
      return sum;
    };
    const dx = engine.alloc(R * n);
    const dw = engine.alloc(m * n);
    projectBackward(engine, dx, dw, lora, scratch, c, x, w, R, n, m);
    const cases: [string, Float32Array, Float32Array][] = [['x', x, dx], ['W', w, dw], ['A', lora.a, lora.gradA],
      ['B', lora.b, lora.gradB]];
    for (const [label, values, grads] of cases) {
      for (let i = 0; i < values.length; i++) {
        const numeric = centralDifference(values, i, loss, 1e-2);
        expect(Math.abs(grads[i]! - numeric), `${label}[${i}]`).toBeLessThan(1e-3 * Math.max(1, Math.abs(numeric)));
      }
    }
  });

  it('a frozen weight (dw null) still gets the same input and adapter gradients', () => {
    const { x, w, lora, c, scratch } = setup();
    const withW = { dx: engine.alloc(R * n), dw: engine.alloc(m * n) };
    projectBackward(engine, withW.dx, withW.dw, lora, scratch, c, x, w, R, n, m);
    const [gradA, gradB] = [Float32Array.from(lora.gradA), Float32Array.from(lora.gradB)];
    lora.gradA.fill(0);
    lora.gradB.fill(0);
    const frozenDx = engine.alloc(R * n);
    projectBackward(engine, frozenDx, null, lora, scratch, c, x, w, R, n, m);
    expect(frozenDx).toEqual(withW.dx);
    expect(lora.gradA).toEqual(gradA);
    expect(lora.gradB).toEqual(gradB);
  });
});
