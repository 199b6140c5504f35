// Per unit (a chunk of ≤ 8 rows of one cache slot, one head): scores of 16 keys at a time per row (16 partial
// dot products reduced together into one vector), a masked softmax with a vector exp, then softmax·V with every
// value row loaded once for all rows of the chunk.
#include "attention.h"

#include <algorithm>
#include <cmath>
#include <vector>

#ifdef __AVX512F__
#include <immintrin.h>
#endif

namespace eto {

#ifdef __AVX512F__
namespace {

constexpr int RB = 8;     // rows per chunk
constexpr int MAX_NV = 16;  // hs ≤ 256

// lane i = Σ lanes of v[i]
inline __m512 sum16(__m512 v[16]) {
  __m512 t[8], u[4];
  for (int i = 0; i < 8; i++) {
    t[i] = _mm512_add_ps(_mm512_unpacklo_ps(v[2 * i], v[2 * i + 1]), _mm512_unpackhi_ps(v[2 * i], v[2 * i + 1]));
  }
  for (int i = 0; i < 4; i++) {
    u[i] = _mm512_add_ps(_mm512_shuffle_ps(t[2 * i], t[2 * i + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                         _mm512_shuffle_ps(t[2 * i], t[2 * i + 1], _MM_SHUFFLE(3, 2, 3, 2)));
  }
  const __m512 x0 = _mm512_add_ps(_mm512_shuffle_f32x4(u[0], u[1], _MM_SHUFFLE(1, 0, 1, 0)),
                                  _mm512_shuffle_f32x4(u[0], u[1], _MM_SHUFFLE(3, 2, 3, 2)));
  const __m512 x1 = _mm512_add_ps(_mm512_shuffle_f32x4(u[2], u[3], _MM_SHUFFLE(1, 0, 1, 0)),
                                  _mm512_shuffle_f32x4(u[2], u[3], _MM_SHUFFLE(3, 2, 3, 2)));
  return _mm512_add_ps(_mm512_shuffle_f32x4(x0, x1, _MM_SHUFFLE(2, 0, 2, 0)),
                       _mm512_shuffle_f32x4(x0, x1, _MM_SHUFFLE(3, 1, 3, 1)));
}

// e^x for x ≤ 0 (Cephes' expf polynomial on x − n·ln 2, scaled by 2^n)
inline __m512 exp16(__m512 x) {
  x = _mm512_max_ps(x, _mm512_set1_ps(-87.3f));
  const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                        _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
  __m512 p = _mm512_set1_ps(1.9875691500e-4f);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
  const __m512 y = _mm512_add_ps(_mm512_fmadd_ps(_mm512_mul_ps(p, r), r, r), _mm512_set1_ps(1.0f));
  return _mm512_scalef_ps(y, n);
}

struct Job {
  DecodeArgs a;
  std::vector<int64_t> chunks;  // first row of each chunk, then B
};

void runUnit(const void* raw, int64_t unit) {
  const Job& job = *static_cast<const Job*>(raw);
  const DecodeArgs& a = job.a;
  const int64_t chunk = unit / a.H, h = unit % a.H;
  const int64_t b0 = job.chunks[chunk], rows = job.chunks[chunk + 1] - b0;
  const int64_t kvh = h / (a.H / a.KVH), nv = a.hs / 16, stride = a.KVH * a.hs;
  const int64_t slot = a.slots ? a.slots[b0] : b0;
  const float* keys = a.k + (slot * a.maxT * a.KVH + kvh) * a.hs;
  const float* values = a.v + (slot * a.maxT * a.KVH + kvh) * a.hs;
  // positions below `shared` are read from the prefix slot (every row of a chunk has the same prefix)
  const int64_t shared = a.prefixLengths ? a.prefixLengths[b0] : 0;
  const int64_t prefixSlot = shared > 0 ? a.prefixSlots[b0] : slot;
  const float* prefixKeys = a.k + (prefixSlot * a.maxT * a.KVH + kvh) * a.hs;
  const float* prefixValues = a.v + (prefixSlot * a.maxT * a.KVH + kvh) * a.hs;
  int64_t longest = 0;
  for (int64_t r = 0; r < rows; r++) longest = std::max<int64_t>(longest, a.lengths[b0 + r]);
  const int64_t padded = (longest + 15) & ~int64_t{15};
  static thread_local std::vector<float> scoreBuffer;
  if (static_cast<int64_t>(scoreBuffer.size()) < RB * padded) scoreBuffer.resize(RB * padded);
  float sums[RB];
  const __m512 scale = _mm512_set1_ps(a.scale);
  for (int64_t r = 0; r < rows; r++) {
    const float* q = a.q + ((b0 + r) * a.H + h) * a.hs;
    float* scores = scoreBuffer.data() + r * padded;
    const int64_t length = a.lengths[b0 + r];
    __m512 qv[MAX_NV];
    for (int64_t d = 0; d < nv; d++) qv[d] = _mm512_loadu_ps(q + 16 * d);
    __m512 best = _mm512_set1_ps(-INFINITY);
    for (int64_t j0 = 0; j0 < length; j0 += 16) {
      __m512 dots[16];
      for (int jj = 0; jj < 16; jj++) {
        const int64_t j = std::min<int64_t>(j0 + jj, length - 1);
        const float* key = (j < shared ? prefixKeys : keys) + j * stride;
        __m512 acc = _mm512_mul_ps(qv[0], _mm512_loadu_ps(key));
        for (int64_t d = 1; d < nv; d++) acc = _mm512_fmadd_ps(qv[d], _mm512_loadu_ps(key + 16 * d), acc);
        dots[jj] = acc;
      }
      const __mmask16 valid = length - j0 >= 16 ? 0xffff : static_cast<__mmask16>((1u << (length - j0)) - 1);
      const __m512 s = _mm512_mask_mov_ps(_mm512_set1_ps(-INFINITY), valid, _mm512_mul_ps(sum16(dots), scale));
      _mm512_storeu_ps(scores + j0, s);
      best = _mm512_max_ps(best, s);
    }
    const __m512 top = _mm512_set1_ps(_mm512_reduce_max_ps(best));
    __m512 total = _mm512_setzero_ps();
    for (int64_t j0 = 0; j0 < padded; j0 += 16) {
      // past this row's length (and past the chunk's longest): weight 0
      const __mmask16 valid = j0 >= length ? 0 : length - j0 >= 16 ? 0xffff
        : static_cast<__mmask16>((1u << (length - j0)) - 1);
      const __m512 e = _mm512_maskz_mov_ps(valid, exp16(_mm512_sub_ps(_mm512_loadu_ps(scores + j0), top)));
      _mm512_storeu_ps(scores + j0, e);
      total = _mm512_add_ps(total, e);
    }
    sums[r] = _mm512_reduce_add_ps(total);
  }
  // out[r] = Σ_j p[r][j] · v_j / sums[r], 32 output floats (2 vectors) at a time
  for (int64_t d0 = 0; d0 < a.hs; d0 += 32) {
    const bool pair = d0 + 32 <= a.hs;
    __m512 acc[RB][2];
    for (int r = 0; r < RB; r++) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
    for (int64_t j = 0; j < longest; j++) {
      const float* value = (j < shared ? prefixValues : values) + j * stride + d0;
      const __m512 v0 = _mm512_loadu_ps(value);
      const __m512 v1 = pair ? _mm512_loadu_ps(value + 16) : _mm512_setzero_ps();
      for (int64_t r = 0; r < rows; r++) {
        const __m512 p = _mm512_set1_ps(scoreBuffer[r * padded + j]);
        acc[r][0] = _mm512_fmadd_ps(p, v0, acc[r][0]);
        acc[r][1] = _mm512_fmadd_ps(p, v1, acc[r][1]);
      }
    }
    for (int64_t r = 0; r < rows; r++) {
      float* out = a.out + ((b0 + r) * a.H + h) * a.hs + d0;
      const __m512 inv = _mm512_set1_ps(1.0f / sums[r]);
      _mm512_storeu_ps(out, _mm512_mul_ps(acc[r][0], inv));
      if (pair) _mm512_storeu_ps(out + 16, _mm512_mul_ps(acc[r][1], inv));
    }
  }
}

}  // namespace

bool decodeSupported(int64_t hs) { return hs > 0 && hs % 16 == 0 && hs <= 16 * MAX_NV; }

// whether rows b − 1 and b promise the same shared prefix (one chunk reads one prefix)
bool samePrefix(const DecodeArgs& a, int64_t b) {
  if (!a.prefixLengths) return true;
  const int32_t length = a.prefixLengths[b];
  return length == a.prefixLengths[b - 1] && (length == 0 || a.prefixSlots[b] == a.prefixSlots[b - 1]);
}

void attentionDecode(Pool& pool, const DecodeArgs& a, bool parallel) {
  Job job{a, {}};
  for (int64_t b = 0; b < a.B; b++) {
    const bool fresh = b == 0 || !a.slots || a.slots[b] != a.slots[b - 1] || b - job.chunks.back() == RB ||
                       !samePrefix(a, b);
    if (fresh) job.chunks.push_back(b);
  }
  const int64_t chunks = static_cast<int64_t>(job.chunks.size());
  job.chunks.push_back(a.B);
  pool.run(runUnit, &job, chunks * a.H, parallel);
}

#else

bool decodeSupported(int64_t) { return false; }
void attentionDecode(Pool&, const DecodeArgs&, bool) {}

#endif

}  // namespace eto
