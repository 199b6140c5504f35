// The native backend's GEMM against the float64 reference on shapes that cross its blocking (K past one 256-deep
// slice, rows past one 256-row block, columns not a multiple of the 32-wide panel), and the backend choice.
// wasm.test.ts runs every kernel case on it too. Where the addon is not built, the reason is printed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from './index.ts';
import { loadNativeAddon } from './native-loader.ts';
import { attentionDecode as referenceDecode } from './reference-attention.ts';
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

  it('stops its threads at dispose(); a product after that throws instead of touching freed memory', async () => {
    const engine = await createEngine({ backend: 'native', threads: 2, parallelMinWork: 0 });
    const [rows, inDim, outDim] = [32, 8, 8];
    const x = engine.alloc(rows * inDim).fill(1);
    const w = engine.alloc(outDim * inDim).fill(0.5);
    const out = engine.alloc(rows * outDim);
    engine.linear(out, x, w, rows, inDim, outDim);
    expect(out[0]).toBe(4); // 8 × 1 × 0.5
    engine.dispose();
    expect(() => engine.linear(out, x, w, rows, inDim, outDim)).toThrow(/released/);
  });

  // [33, 47, 50]: a last panel 18 wide (one 16-column transpose and two single columns), K 47 (a 15-deep tail)
  for (const [rows, inDim, outDim] of [[300, 520, 70], [257, 33, 513], [40, 1030, 97], [33, 47, 50]] as const) {
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

  // rows of one slot in a chunk (more than the kernel's 8), GQA, lengths not multiples of 16, one row per slot
  const decodeCases = [
    { name: 'a 13-token chunk of slot 1 and single rows', hs: 32, H: 3, KVH: 3, maxT: 70,
      slots: [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2],
      lengths: [5, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 70] },
    { name: 'GQA, head size 64, no slots', hs: 64, H: 9, KVH: 3, maxT: 33, slots: null, lengths: [1, 17, 33, 16] },
    { name: 'head size 48 (a lone 16-float tail)', hs: 48, H: 2, KVH: 1, maxT: 20, slots: [0, 0, 0],
      lengths: [18, 19, 20] },
  ];
  for (const c of decodeCases) {
    it(`attentionDecode matches the reference: ${c.name}`, () => {
      const B = c.lengths.length;
      const slotCount = c.slots ? Math.max(...c.slots) + 1 : B;
      const q = random(B * c.H * c.hs, 11), k = random(slotCount * c.maxT * c.KVH * c.hs, 12);
      const v = random(slotCount * c.maxT * c.KVH * c.hs, 13);
      const lengths = Int32Array.from(c.lengths), slots = c.slots && Int32Array.from(c.slots);
      const expected = new Float64Array(B * c.H * c.hs);
      referenceDecode(expected, q, k, v, lengths, B, c.maxT, c.H, c.KVH, c.hs, slots);
      const results = [one, two].map((engine) => {
        const mark = engine.mark();
        const [eq, ek, ev, out] = [q, k, v, expected].map((a) => engine.alloc(a.length));
        eq!.set(q); ek!.set(k); ev!.set(v);
        const el = engine.allocInt32(B); el.set(lengths);
        const es = slots && engine.allocInt32(B);
        if (es && slots) es.set(slots);
        engine.attentionDecode(out!, eq!, ek!, ev!, el, B, c.maxT, c.H, c.KVH, c.hs, es);
        const copy = out!.slice();
        engine.release(mark);
        return copy;
      });
      expect(closeness(results[0]!, expected, 2e-5, 2e-4)).toBeLessThan(1);
      expect(results[1]).toEqual(results[0]);
    });
  }

  // Rows 1..4 (slots 1..4) promise that their first 37 positions equal slot 0's; row 5 has no prefix. Kept promise:
  // the same floats as without it. Broken promise (slots 1..4 hold other data there): what the reference computes
  // on slot 0's prefix spliced into theirs, so the kernel does read the prefix from slot 0.
  it('attentionDecode with a shared-prefix promise: the same result, read from the prefix slot', () => {
    const hs = 32, H = 4, KVH = 2, maxT = 90, B = 6, P = 37;
    const lengths = Int32Array.from([50, 60, 61, 88, 40, 70]);
    const slots = Int32Array.from([0, 1, 2, 3, 4, 5]);
    const prefixSlots = Int32Array.from([0, 0, 0, 0, 0, 0]);
    const prefixLengths = Int32Array.from([0, P, P, P, P, 0]);
    const size = B * maxT * KVH * hs, row = maxT * KVH * hs, prefix = P * KVH * hs;
    const q = random(B * H * hs, 21), k = random(size, 22), v = random(size, 23);
    const kept = [k.slice(), v.slice()];
    for (const cache of kept) for (let slot = 1; slot <= 4; slot++) cache.copyWithin(slot * row, 0, prefix);
    const run = (kc: ArrayLike<number>, vc: ArrayLike<number>, withPrefix: boolean): Float32Array => {
      const mark = two.mark();
      const [eq, ek, ev, out] = [q, kc, vc, q].map((a) => two.alloc(a.length));
      eq!.set(q); ek!.set(kc); ev!.set(vc);
      const [el, es, eps, epl] = [lengths, slots, prefixSlots, prefixLengths].map((a) => {
        const copy = two.allocInt32(B);
        copy.set(a);
        return copy;
      });
      two.attentionDecode(out!, eq!, ek!, ev!, el!, B, maxT, H, KVH, hs, es,
        withPrefix ? { slots: eps!, lengths: epl! } : null);
      const result = out!.slice();
      two.release(mark);
      return result;
    };
    expect(run(kept[0]!, kept[1]!, true)).toEqual(run(kept[0]!, kept[1]!, false));
    const expected = new Float64Array(B * H * hs);
    referenceDecode(expected, q, kept[0]!, kept[1]!, lengths, B, maxT, H, KVH, hs, slots);
    expect(closeness(run(k, v, true), expected, 2e-5, 2e-4)).toBeLessThan(1);
    expect(closeness(run(k, v, false), expected, 2e-5, 2e-4)).toBeGreaterThan(1); // the broken promise matters
    const mark = two.mark();
    const bad = { slots: two.allocInt32(B), lengths: two.allocInt32(B) };
    bad.lengths[2] = 62; // longer than row 2's own 61 positions
    const args = [two.alloc(B * H * hs), two.alloc(B * H * hs), two.alloc(size), two.alloc(size)] as const;
    const el = two.allocInt32(B);
    el.set(lengths);
    expect(() => two.attentionDecode(...args, el, B, maxT, H, KVH, hs, null, bad)).toThrow(/prefix\.lengths\[2\]/);
    two.release(mark);
  });

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
