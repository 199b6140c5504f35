// Checks of attentionDecode's arguments shared by the WebAssembly and native engines: every array sized for
// its shape, lengths in 1..maxT, slots non-negative, and the caches large enough for the highest slot read;
// a prefix promise's slots likewise and its lengths in 0..the row's length.

import type { ArrayCheck } from './memory.ts';
import type { DecodePrefix } from './types.ts';

export function checkDecodeArgs(need: ArrayCheck, out: Float32Array, q: Float32Array, kCache: Float32Array,
  vCache: Float32Array, lengths: Int32Array, B: number, maxT: number, H: number, KVH: number, hs: number,
  slots: Int32Array | null, prefix: DecodePrefix | null = null): void {
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
  if (prefix) {
    need(prefix.slots, B, 'prefix.slots'); need(prefix.lengths, B, 'prefix.lengths');
    for (let b = 0; b < B; b++) {
      const slot = prefix.slots[b]!;
      const length = prefix.lengths[b]!;
      if (!(slot >= 0)) throw new RangeError(`prefix.slots[${b}] = ${slot} is negative`);
      if (!(length >= 0 && length <= lengths[b]!)) {
        throw new RangeError(`prefix.lengths[${b}] = ${length} is outside 0..lengths[${b}] (${lengths[b]})`);
      }
      if (length > 0) cacheSlots = Math.max(cacheSlots, slot + 1);
    }
  }
  need(kCache, cacheSlots * maxT * KVH * hs, 'kCache'); need(vCache, cacheSlots * maxT * KVH * hs, 'vCache');
  for (let b = 0; b < B; b++) {
    const length = lengths[b]!;
    if (!(length >= 1 && length <= maxT)) throw new RangeError(`lengths[${b}] = ${length} is outside 1..${maxT}`);
  }
}
