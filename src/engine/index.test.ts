// createEngine: memory behaviour (shared views, zeroing, marks) and that the reference backend computes.
import { describe, expect, it } from 'vitest';
import { createEngine } from './index.ts';

describe('createEngine memory', () => {
  it('hands out zeroed, aligned views of one shared WebAssembly memory that survive growth', async () => {
    const engine = await createEngine({ backend: 'reference' });
    const a = engine.alloc(3);
    const ids = engine.allocInt32(5);
    expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(ids.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(a.byteOffset % 64).toBe(0);
    expect(ids.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + 12);
    a.set([1, 2, 3]);
    const big = engine.alloc(8 << 20); // forces the memory to grow by 32 MiB
    big[big.length - 1] = 5;
    expect([...a]).toEqual([1, 2, 3]);
    expect(big[big.length - 1]).toBe(5);
    engine.dispose();
  });
  it('release(mark) frees scratch, and reused scratch comes back zeroed', async () => {
    const engine = await createEngine({ backend: 'reference' });
    const keep = engine.alloc(4);
    const mark = engine.mark();
    const scratch = engine.alloc(16);
    scratch.fill(7);
    engine.release(mark);
    const again = engine.alloc(16);
    expect(again.byteOffset).toBe(scratch.byteOffset);
    expect([...again].every((value) => value === 0)).toBe(true);
    expect(keep.byteOffset).toBeLessThan(mark);
    expect(() => engine.release(mark + 1 << 20)).toThrow(RangeError);
    engine.dispose();
  });
  it('rejects bad options', async () => {
    await expect(createEngine({ threads: 0 })).rejects.toThrow(/threads/);
  });
});

describe('reference backend', () => {
  it('runs a linear layer on engine memory', async () => {
    const engine = await createEngine({ backend: 'reference' });
    expect(engine.backend).toBe('reference');
    const x = engine.alloc(2); const w = engine.alloc(4); const out = engine.alloc(2);
    x.set([1, 2]); w.set([3, 4, 5, 6]);
    engine.linear(out, x, w, 1, 2, 2);
    expect([...out]).toEqual([11, 17]);
    engine.dispose();
  });
});
