// The native backend's GEMM against the float64 reference on shapes that cross its blocking (K past one 256-deep
// slice, rows past one 256-row block, columns not a multiple of the 32-wide panel), and the backend choice.
// wasm.test.ts runs every kernel case on it too. Where the addon is not built, the reason is printed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from './index.ts';
import { loadNativeAddon } from './native-loader.ts';
import * as ref from './reference.ts';
import { closeness, randomSource } from './test-helpers.ts';

const addon = loadNativeAddon();
const unavailable = 'unavailable' in addon ? addon.unavailable : '';
if (unavailable) console.warn(`native.test.ts: the native backend is not tested here: ${unavailable}`);

function random(length: number, seed: number): Float64Array {
  const next = randomSource(seed);
  return Float64Array.from({ length }, () => Math.fround(next() * 2 - 1));
}

describe.skipIf(unavailable !== '')('native backend', () => {
  let one: Engine;
  let two: Engine;
  beforeAll(async () => {
    one = await createEngine({ backend: 'native', threads: 1 });
    two = await createEngine({ backend: 'native', threads: 2, parallelMinWork: 0 });
  });
  afterAll(() => { one.dispose(); two.dispose(); });

  it('is what auto picks, and names its vector width', async () => {
    const auto = await createEngine({ threads: 1 });
    expect(auto.backend).toBe('native');
    auto.dispose();
    expect([128, 256, 512]).toContain((addon as { vectorBits(): number }).vectorBits());
  });

  for (const [rows, inDim, outDim] of [[300, 520, 70], [257, 33, 513], [40, 1030, 97]] as const) {
    it(`linear and its backward ${rows}×${inDim}→${outDim} match the reference, the same on 1 and 2 threads`, () => {
      const x = random(rows * inDim, rows), w = random(outDim * inDim, inDim), dout = random(rows * outDim, outDim);
      const dx0 = random(rows * inDim, 1), dw0 = random(outDim * inDim, 2);
      const out = new Float64Array(rows * outDim);
      ref.linear(out, x, w, rows, inDim, outDim);
      const dx = dx0.slice(), dw = dw0.slice();
      ref.linearBackward(dx, dw, dout, x, w, rows, inDim, outDim);
      const results = [one, two].map((engine) => {
        const mark = engine.mark();
        const [ex, ew, edout, edx, edw, eout] = [x, w, dout, dx0, dw0, out].map((a) => engine.alloc(a.length));
        ex!.set(x); ew!.set(w); edout!.set(dout); edx!.set(dx0); edw!.set(dw0);
        engine.linear(eout!, ex!, ew!, rows, inDim, outDim);
        engine.linearBackward(edx!, edw!, edout!, ex!, ew!, rows, inDim, outDim);
        const copies = [eout!.slice(), edx!.slice(), edw!.slice()];
        engine.release(mark);
        return copies;
      });
      for (const [index, expected] of [out, dx, dw].entries()) {
        expect(closeness(results[0]![index]!, expected, 2e-5, 2e-4), ['out', 'dx', 'dw'][index]).toBeLessThan(1);
        expect(results[1]![index], `${['out', 'dx', 'dw'][index]} on 2 threads`).toEqual(results[0]![index]);
      }
    });
  }

  it('a frozen weight (dw null) and an input without gradient (dx null) are skipped', () => {
    const mark = one.mark();
    const dout = one.alloc(64 * 8), x = one.alloc(64 * 8), w = one.alloc(64), dx = one.alloc(64 * 8);
    dout.fill(1); x.fill(1); w.fill(0.5);
    one.linearBackward(dx, null, dout, x, w, 64, 8, 8);
    expect(dx[0]).toBe(4); // Σ over 8 outputs of 1 · 0.5
    one.linearBackward(null, null, dout, x, w, 64, 8, 8);
    one.release(mark);
  });
});

describe('backend choice', () => {
  it("'wasm' never picks native, and a missing native addon is an error naming why", async () => {
    const wasm = await createEngine({ backend: 'wasm', threads: 1 });
    expect(['relaxed-simd', 'simd']).toContain(wasm.backend);
    wasm.dispose();
    if (unavailable) await expect(createEngine({ backend: 'native' })).rejects.toThrow(/native/);
  });
});
