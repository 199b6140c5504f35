// The arena's bounds: allocations are aligned and zeroed, and running past the engine's 4 GiB is a clear,
// user-facing ResourceError (exit 2, names the flags that shrink a step), not an internal RangeError.
import { describe, expect, it } from 'vitest';
import { AppError, ResourceError } from '../errors.ts';
import { createArena, MAX_MEMORY_PAGES } from './memory.ts';

describe('engine arena', () => {
  it('hands out 64-byte-aligned zeroed memory and reuses released scratch zeroed', () => {
    const arena = createArena({ baseBytes: 100 });
    const mark = arena.mark();
    const a = arena.alloc(10);
    expect(a.byteOffset % 64).toBe(0);
    a.fill(7);
    arena.release(mark);
    const b = arena.alloc(10);
    expect(b.byteOffset).toBe(a.byteOffset);
    expect([...b]).toEqual(new Array(10).fill(0));
  });

  it('refuses more than the engine holds with a ResourceError naming what to shrink', () => {
    const arena = createArena({ baseBytes: 0 });
    const tooMuch = MAX_MEMORY_PAGES * 65536 + 1;
    let error: unknown;
    try {
      arena.reserve(tooMuch);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ResourceError);
    expect((error as AppError).exitCode).toBe(2);
    const message = (error as Error).message;
    expect(message).toMatch(/4\.00 GiB needed.*holds 4\.00 GiB/);
    expect(message).toMatch(/--sft-batch-tokens.*--trainer accelerate/);
  });
});
