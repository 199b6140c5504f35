// Guided chunking shared by the main thread (thread-pool.ts) and the workers (worker.mjs): each claim takes
// about 1/(2·threads) of what is left (a power-of-two share), never less than `least`, rounded up to `align`.
// Big chunks first keep the claims few; small chunks last let a thread that started late or runs slow finish
// with the others. Plain JavaScript so the workers load it as is. Integer and shift arithmetic only: the
// interpreter would box every fractional intermediate, and a chunk's end follows from its start, so claims
// allocate nothing in any tier.

/** log2 of the power of two at or above 2·threads: a claim takes remaining >> shareShift. */
export function shareShift(threads) {
  return 32 - Math.clz32(2 * threads - 1);
}

/** The end of the chunk that starts at `start`; `align` is a power of two. */
export function chunkEnd(start, total, shift, least, align) {
  const guided = (((total - start) >> shift) + align - 1) & -align;
  return Math.min(total, start + Math.max(least, guided));
}

/** Claims the next chunk from the shared counter ctl[slot]; returns its start, or `total` when none is left. */
export function claimChunk(ctl, slot, total, shift, least, align) {
  for (;;) {
    const start = Atomics.load(ctl, slot);
    if (start >= total) return total;
    if (Atomics.compareExchange(ctl, slot, start, chunkEnd(start, total, shift, least, align)) === start) return start;
  }
}

/** Runs chunks of the current run (its op, total, align and least read from ctl at `layout`'s slots) until none is left. */
export function runClaimed(ctl, layout, shift, dispatch, scratch) {
  const op = ctl[layout.op];
  const total = ctl[layout.total];
  const align = ctl[layout.align];
  const least = ctl[layout.least];
  for (let start = claimChunk(ctl, layout.next, total, shift, least, align); start < total;
    start = claimChunk(ctl, layout.next, total, shift, least, align)) {
    dispatch(op, start, chunkEnd(start, total, shift, least, align), scratch);
  }
}
