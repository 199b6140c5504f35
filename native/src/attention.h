// KV-cache attention for decoding and for chunks of new tokens (the Engine's attentionDecode): q (B,H,hs),
// caches (slots,maxT,KVH,hs), lengths (B), row b reads slot slots[b] (or b). Consecutive rows of one slot (a
// chunk of new tokens) are taken up to 8 at a time, so each key and value row is read once for all of them.
// A row's shared prefix (DecodeArgs.prefixSlots) is read from the slot that holds it for every row.
#pragma once
#include <cstdint>

#include "pool.h"

namespace eto {

struct DecodeArgs {
  float* out;
  const float* q;
  const float* k;
  const float* v;
  const int32_t* lengths;
  const int32_t* slots;  // null: row b reads slot b
  // null, or the promise that positions [0, prefixLengths[b]) of row b's slot equal those of slot prefixSlots[b]:
  // rows sharing a prefix then read it from one place (which stays in the CPU cache)
  const int32_t* prefixSlots;
  const int32_t* prefixLengths;
  int64_t B, maxT, H, KVH, hs;
  float scale;
};

/** Whether this build has the kernel for head size hs (AVX-512, hs a multiple of 16 up to 256). */
bool decodeSupported(int64_t hs);

void attentionDecode(Pool& pool, const DecodeArgs& args, bool parallel);

}  // namespace eto
