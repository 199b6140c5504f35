// Every WebAssembly kernel against the reference (float64) on random inputs at sizes that are not SIMD
// multiples, in both variants, on 1 and 2 threads; the 1- and 2-thread results must agree bit for bit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from './index.ts';
import { kernelCases, type KernelCase, type Kernels } from './kernel-cases.ts';
import { biasAdd, biasBackward } from './reference-bias.ts';
import * as ref from './reference.ts';
import { closeness, randomSource } from './test-helpers.ts';
import { existsSync } from 'node:fs';
import { loadNativeAddon } from './native-loader.ts';
import { kernelFile, loadKernels, type WasmVariant } from './wasm-loader.ts';

const SIZES = [1, 3, 17, 33, 130];

interface Inputs { floats: Record<string, Float64Array>; ints: Record<string, Int32Array> }

function makeInputs(c: KernelCase, seed: number): Inputs {
  const random = randomSource(seed);
  const floats: Record<string, Float64Array> = {};
  for (const [name, spec] of Object.entries(c.floats)) {
    const scale = spec.scale ?? 1;
    // v (AdamW second moment) and rstd must be positive; scale 0 means "start at zero"
    floats[name] = Float64Array.from({ length: spec.length }, () => Math.fround(name === 'rstd' ? 0.5 + random() : (random() * 2 - 1) * scale));
  }
  const ints: Record<string, Int32Array> = {};
  for (const [name, spec] of Object.entries(c.ints ?? {})) {
    const min = spec.min ?? 0;
    ints[name] = Int32Array.from({ length: spec.length }, () => (spec.negatives && random() < 0.2 ? -1 : min + Math.floor(random() * (spec.below - min))));
  }
  return { floats, ints };
}

function runReference(c: KernelCase, inputs: Inputs): { outputs: Record<string, Float64Array>; result: number | void } {
  const floats = Object.fromEntries(Object.entries(inputs.floats).map(([name, array]) => [name, array.slice()]));
  const ints = Object.fromEntries(Object.entries(inputs.ints).map(([name, array]) => [name, array.slice()]));
  const result = c.call({ ...ref, biasAdd, biasBackward }, floats, ints);
  return { outputs: floats, result };
}

function runEngine(engine: Engine, c: KernelCase, inputs: Inputs): { outputs: Record<string, Float32Array>; result: number | void } {
  const mark = engine.mark();
  const floats: Record<string, Float32Array> = {};
  for (const [name, array] of Object.entries(inputs.floats)) (floats[name] = engine.alloc(array.length)).set(array);
  const ints: Record<string, Int32Array> = {};
  for (const [name, array] of Object.entries(inputs.ints)) (ints[name] = engine.allocInt32(array.length)).set(array);
  const result = c.call(engine as unknown as Kernels, floats, ints);
  const outputs = Object.fromEntries(Object.entries(floats).map(([name, array]) => [name, array.slice()]));
  engine.release(mark);
  return { outputs, result };
}

describe('wasm build', () => {
  it('built both kernel variants (npm ci runs scripts/build-wasm.mjs)', () => {
    expect(existsSync(kernelFile('relaxed-simd')) && existsSync(kernelFile('simd'))).toBe(true);
  });
});

// a runtime without (relaxed) SIMD skips its variant; a missing build fails above. The native backend (its
// matrix products in C++, the rest WebAssembly) runs the same cases where its addon is built (native.test.ts).
const available = (variant: 'native' | WasmVariant): boolean =>
  variant === 'native' ? !('unavailable' in loadNativeAddon()) && !('unavailable' in loadKernels('simd'))
    : !('unavailable' in loadKernels(variant));
for (const variant of ['relaxed-simd', 'simd', 'native'] as const) {
  describe.skipIf(!available(variant))(`${variant === 'native' ? '' : 'wasm '}${variant}`, () => {
    let one: Engine;
    let two: Engine;
    beforeAll(async () => {
      one = await createEngine({ backend: variant, threads: 1 });
      two = await createEngine({ backend: variant, threads: 2, parallelMinWork: 0 });
    });
    afterAll(() => { one.dispose(); two.dispose(); });

    it('reports its backend and threads', () => {
      expect([one.backend, one.threads, two.backend, two.threads]).toEqual([variant, 1, variant, 2]);
    });
    for (const size of SIZES) {
      it(`matches the reference at size ${size}, identically on 1 and 2 threads`, () => {
        for (const [index, c] of kernelCases(size).entries()) {
          const inputs = makeInputs(c, 1000 * size + index);
          const expected = runReference(c, inputs);
          const single = runEngine(one, c, inputs);
          const split = runEngine(two, c, inputs);
          for (const name of c.outputs) {
            const worst = closeness(single.outputs[name]!, expected.outputs[name]!, 2e-5, 2e-4);
            expect(worst, `${c.name}: ${name}`).toBeLessThan(1);
            expect(split.outputs[name], `${c.name}: ${name} on 2 threads`).toEqual(single.outputs[name]);
          }
          if (typeof expected.result === 'number') {
            expect(closeness([single.result as number], [expected.result], 0, 1e-12), c.name).toBeLessThan(1);
            expect(split.result, c.name).toBe(single.result);
          }
        }
      });
    }
    it('matches the reference past 2 GiB of engine memory (wasm32 addresses up to 4 GiB, pointers unsigned)', () => {
      const mark = two.mark();
      two.alloc(Math.floor((2.1 * 2 ** 30) / 4)); // untouched pages: address space, not resident memory
      for (const [index, c] of kernelCases(17).entries()) {
        const inputs = makeInputs(c, 7 + index);
        const expected = runReference(c, inputs);
        const high = runEngine(two, c, inputs);
        for (const name of c.outputs) {
          const worst = closeness(high.outputs[name]!, expected.outputs[name]!, 2e-5, 2e-4);
          expect(worst, `${c.name}: ${name}`).toBeLessThan(1);
        }
      }
      const probe = two.alloc(1);
      expect(probe.byteOffset).toBeGreaterThan(2 ** 31);
      two.release(mark);
    });
    it('AdamW reproduces the hand-computed torch.optim.AdamW steps (as in reference.test.ts)', () => {
      const p = one.alloc(2); const g = one.alloc(2); const m = one.alloc(2); const v = one.alloc(2);
      p.set([1, -2]); g.set([0.5, 0.1]);
      const o = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 0.1, weightDecay: 0.01, step: 1 };
      one.adamw(p, g, m, v, 2, o);
      expect(closeness(p, [0.999 - 0.05 / 0.6, -1.998 - 0.01 / 0.2], 1e-6, 0)).toBeLessThan(1);
      g.set([-0.3, 0.2]);
      one.adamw(p, g, m, v, 2, { ...o, step: 2 });
      expect(closeness(p, [0.8993394793216449, -2.105079989464172], 1e-6, 0)).toBeLessThan(1);
    });
    it('linear with inDim 0 gives zeros', () => {
      const out = one.alloc(6).fill(5);
      one.linear(out, one.alloc(0), one.alloc(0), 2, 0, 3);
      expect([...out]).toEqual([0, 0, 0, 0, 0, 0]);
    });
    it('refuses work after dispose', async () => {
      const engine = await createEngine({ backend: variant, threads: 2 });
      const x = engine.alloc(8);
      engine.dispose();
      engine.dispose(); // twice is harmless
      expect(() => engine.scale(x, 2, 8)).toThrow(/disposed/);
    });
    it('rejects arrays too short for the call and ids outside the table', () => {
      const x = one.alloc(4);
      expect(() => one.linear(one.alloc(4), x, one.alloc(4), 2, 4, 2)).toThrow(/x holds 4 floats/);
      expect(() => one.embedding(one.alloc(2), one.alloc(6), one.allocInt32(1).fill(3), 1, 2)).toThrow(/outside the table/);
      expect(() => one.scale(new Float32Array(4), 2, 4)).toThrow(/not allocated by this engine/);
      expect(() => one.logSoftmaxTargets(one.alloc(1), one.alloc(1), one.alloc(2), Int32Array.of(0), 1, 2)).toThrow(/targets was not allocated/);
    });
  });
}
