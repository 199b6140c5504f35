// Checks of attentionDecode's arguments shared by the WebAssembly and native engines: every array sized for
// its shape, lengths in 1..maxT, slots non-negative, and the caches large enough for the highest slot read.

import type { ArrayCheck } from './memory.ts';

export function checkDecodeArgs(need: ArrayCheck, out: Float32Array, q: Float32Array, kCache: Float32Array,
  vCache: Float32Array, lengths: Int32Array, B: number, maxT: number, H: number, KVH: number, hs: number,
  slots: Int32Array | null): void {
  if (!(KVH >= 1 && H % KVH === 0)) throw new RangeError(`heads ${H} must be a multiple of kv heads ${KVH}`);
  need(out, B * H * hs, 'out'); need(q, B * H * hs, 'q'); need(lengths, B, 'lengths');
  let cacheSlots = B;
  if (slots) {
    need(slots, B, 'slots');
    cacheSlots = 0;
    for (let b = 0; b < B; b++) {
      const slot = slots[b]!;
      if (!(slot >= 0)) throw new RangeError(`slots[${b}] = ${slot} is negative`);
      cacheSlots = Math.max(cacheSlots, slot + 1);
    }
  }
  need(kCache, cacheSlots * maxT * KVH * hs, 'kCache'); need(vCache, cacheSlots * maxT * KVH * hs, 'vCache');
  for (let b = 0; b < B; b++) {
    const length = lengths[b]!;
    if (!(length >= 1 && length <= maxT)) throw new RangeError(`lengths[${b}] = ${length} is outside 1..${maxT}`);
  }
}
