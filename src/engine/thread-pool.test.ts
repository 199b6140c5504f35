// The thread pool's chunking tiles every run exactly, and its join loses or repeats no chunk, also when
// workers wake late and are closed out of runs (more threads than cores make that happen all the time).
import { describe, expect, it } from 'vitest';
import { chunkEnd, shareShift } from './claim.mjs';
import { createEngine } from './index.ts';
import { loadKernels } from './wasm-loader.ts';

describe('guided chunks', () => {
  it('share about 1/(2·threads) of what is left', () => {
    expect([1, 2, 3, 4, 5, 8].map(shareShift)).toEqual([1, 2, 3, 3, 4, 4]); // 2·threads rounded up to 2^shift
  });

  it('tile [0, total) in aligned, shrinking chunks no smaller than `least`', () => {
    for (const total of [1, 3, 4, 17, 130, 512, 4099]) {
      for (const threads of [2, 3, 8]) {
        for (const align of [1, 4]) {
          for (const least of [align, 4 * align]) {
            const shift = shareShift(threads);
            const sizes: number[] = [];
            let start = 0;
            while (start < total) {
              expect(start % align).toBe(0);
              const end = chunkEnd(start, total, shift, least, align);
              sizes.push(end - start);
              start = end;
            }
            expect(start).toBe(total);
            expect(sizes[0]).toBeLessThanOrEqual(Math.max(least, Math.ceil(total / 2 ** shift / align) * align));
            sizes.slice(0, -1).forEach((size, i) => {
              expect(size).toBeGreaterThanOrEqual(least);
              expect(size).toBeGreaterThanOrEqual(sizes[i + 1]!);
            });
          }
        }
      }
    }
  });
});

describe.skipIf('unavailable' in loadKernels('simd'))('thread pool join', () => {
  it('runs every chunk exactly once over thousands of tiny runs with late workers', async () => {
    // x += 1 and then w += 1 per round, two arrays of different sizes: a lost chunk leaves a short count, a
    // chunk run twice (or by a worker reading the other run's arguments) an extra one; integer-valued floats
    // keep the sums exact
    const rounds = 2000;
    for (const threads of [2, 3]) {
      const engine = await createEngine({ threads, parallelMinWork: 0 });
      for (const n of [8, 64, 1000, 4099]) {
        const x = engine.alloc(n); const w = engine.alloc(n + 5); const one = engine.alloc(n + 5).fill(1);
        for (let round = 0; round < rounds; round++) {
          engine.add(x, x, one, n);
          engine.add(w, w, one, n + 5);
        }
        for (const [name, array] of [['x', x], ['w', w]] as const) {
          const wrong = array.findIndex((value) => value !== rounds);
          expect(wrong, `${threads} threads, n ${n}: ${name}[${wrong}] = ${array[wrong]}`).toBe(-1);
        }
      }
      engine.dispose();
    }
  });
});
