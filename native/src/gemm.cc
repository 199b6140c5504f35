// Register-blocked GEMM: a unit is one NR-column panel of C over MC rows. For every KC-deep slice of K it packs
// the panel's B rows contiguously (KC × NR, zero-padded past N; B = wᵀ by 16 × 16 register transposes under
// AVX-512) and runs an MR × NR micro-kernel down the rows.
// GCC's vector extensions lower the 16-float vectors to one AVX-512 register, or two AVX2 ones.
#include "gemm.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#ifdef __AVX512F__
#include <immintrin.h>
#endif

namespace eto {
namespace {

typedef float v16 __attribute__((vector_size(64)));

#ifdef __AVX512F__
constexpr int MR = 8;  // 16 accumulators of 32 registers
#else
constexpr int MR = 3;  // 6 accumulators (12 AVX2 registers of 16)
#endif
constexpr int NR = 32;
constexpr int KC = 256;
constexpr int MC = 256;

inline v16 load(const float* p) {
  v16 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(float* p, v16 v) { std::memcpy(p, &v, sizeof v); }

struct Job {
  GemmArgs g;
  int64_t panels, rowBlocks;
};

#ifdef __AVX512F__
// dst(k, c) = src(c, k) for a 16 × 16 block: src rows c are ldSrc apart, dst rows k are ldDst apart
inline void transpose16(float* dst, int64_t ldDst, const float* src, int64_t ldSrc) {
  __m512 r[16], t[16];
  for (int c = 0; c < 16; c++) r[c] = _mm512_loadu_ps(src + c * ldSrc);
  for (int c = 0; c < 16; c += 2) {
    t[c] = _mm512_unpacklo_ps(r[c], r[c + 1]);
    t[c + 1] = _mm512_unpackhi_ps(r[c], r[c + 1]);
  }
  // r[4i + c], 128-bit lane L: column 4L + c of rows 4i .. 4i+3
  for (int i = 0; i < 16; i += 4) {
    r[i] = _mm512_shuffle_ps(t[i], t[i + 2], 0x44);
    r[i + 1] = _mm512_shuffle_ps(t[i], t[i + 2], 0xEE);
    r[i + 2] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0x44);
    r[i + 3] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
  }
  // a 4 × 4 transpose of 128-bit lanes among r[c], r[4 + c], r[8 + c], r[12 + c]
  for (int c = 0; c < 4; c++) {
    const __m512 x0 = _mm512_shuffle_f32x4(r[c], r[4 + c], 0x44), x1 = _mm512_shuffle_f32x4(r[c], r[4 + c], 0xEE);
    const __m512 x2 = _mm512_shuffle_f32x4(r[8 + c], r[12 + c], 0x44);
    const __m512 x3 = _mm512_shuffle_f32x4(r[8 + c], r[12 + c], 0xEE);
    _mm512_storeu_ps(dst + c * ldDst, _mm512_shuffle_f32x4(x0, x2, 0x88));
    _mm512_storeu_ps(dst + (4 + c) * ldDst, _mm512_shuffle_f32x4(x0, x2, 0xDD));
    _mm512_storeu_ps(dst + (8 + c) * ldDst, _mm512_shuffle_f32x4(x1, x3, 0x88));
    _mm512_storeu_ps(dst + (12 + c) * ldDst, _mm512_shuffle_f32x4(x1, x3, 0xDD));
  }
}
#endif

// B(k0 .. k0+kl, j0 .. j0+NR) → dst (kl, NR), zero past N
void packPanel(float* dst, const GemmArgs& g, int64_t k0, int64_t kl, int64_t j0) {
  const int64_t width = std::min<int64_t>(NR, g.N - j0);
  if (g.sbj == 1) {
    for (int64_t k = 0; k < kl; k++) {
      const float* src = g.b + (k0 + k) * g.sbk + j0;
      float* row = dst + k * NR;
      std::memcpy(row, src, width * sizeof(float));
      std::memset(row + width, 0, (NR - width) * sizeof(float));
    }
    return;
  }
  // B columns contiguous in k (linear: B = wᵀ): walk each source column once
  for (int64_t k = 0; k < kl; k++) std::memset(dst + k * NR + width, 0, (NR - width) * sizeof(float));
  int64_t j = 0;
#ifdef __AVX512F__
  if (g.sbk == 1) {
    // whole 16-column groups, 16 k at a time, by register transposes
    const int64_t k16 = kl & ~int64_t{15};
    for (; j + 16 <= width; j += 16) {
      const float* src = g.b + k0 + (j0 + j) * g.sbj;
      for (int64_t k = 0; k < k16; k += 16) transpose16(dst + k * NR + j, NR, src + k, g.sbj);
      for (int64_t k = k16; k < kl; k++)
        for (int64_t c = 0; c < 16; c++) dst[k * NR + j + c] = src[c * g.sbj + k];
    }
  }
#endif
  for (; j < width; j++) {
    const float* src = g.b + k0 * g.sbk + (j0 + j) * g.sbj;
    for (int64_t k = 0; k < kl; k++) dst[k * NR + j] = src[k * g.sbk];
  }
}

// acc (MR, NR) = Σ_k A(rows, k) · panel(k, :)
inline void microKernel(v16 acc[MR][2], const float* const rows[MR], int64_t sak, const float* panel, int64_t kl) {
  for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = v16{};
  int64_t ka = 0;
  for (int64_t k = 0; k < kl; k++, ka += sak) {
    const v16 b0 = load(panel + k * NR), b1 = load(panel + k * NR + 16);
    for (int r = 0; r < MR; r++) {
      const float s = rows[r][ka];
      acc[r][0] += s * b0;
      acc[r][1] += s * b1;
    }
  }
}

void runUnit(const void* raw, int64_t unit) {
  const Job& job = *static_cast<const Job*>(raw);
  const GemmArgs& g = job.g;
  const int64_t j0 = (unit % job.panels) * NR;
  const int64_t i0 = (unit / job.panels) * MC;
  const int64_t iEnd = std::min(g.M, i0 + MC);
  const int64_t width = std::min<int64_t>(NR, g.N - j0);
  alignas(64) static thread_local float panel[KC * NR];
  for (int64_t k0 = 0; k0 < g.K; k0 += KC) {
    const int64_t kl = std::min<int64_t>(KC, g.K - k0);
    const bool add = g.accumulate || k0 > 0;
    packPanel(panel, g, k0, kl, j0);
    for (int64_t i = i0; i < iEnd; i += MR) {
      const int64_t height = std::min<int64_t>(MR, iEnd - i);
      const float* rows[MR];
      // rows past M read the last row again (never stored)
      for (int r = 0; r < MR; r++) rows[r] = g.a + std::min(i + r, g.M - 1) * g.sai + k0 * g.sak;
      v16 acc[MR][2];
      microKernel(acc, rows, g.sak, panel, kl);
      for (int64_t r = 0; r < height; r++) {
        float* out = g.c + (i + r) * g.ldc + j0;
        if (width == NR) {
          if (add) {
            store(out, load(out) + acc[r][0]);
            store(out + 16, load(out + 16) + acc[r][1]);
          } else {
            store(out, acc[r][0]);
            store(out + 16, acc[r][1]);
          }
          continue;
        }
        alignas(64) float tile[NR];
        store(tile, acc[r][0]);
        store(tile + 16, acc[r][1]);
        for (int64_t j = 0; j < width; j++) out[j] = add ? out[j] + tile[j] : tile[j];
      }
    }
  }
}

}  // namespace

void gemm(Pool& pool, const GemmArgs& g, bool parallel) {
  if (g.M <= 0 || g.N <= 0) return;
  if (g.K <= 0) {
    // an empty sum: C = 0, or unchanged when accumulating
    if (!g.accumulate) for (int64_t i = 0; i < g.M; i++) std::memset(g.c + i * g.ldc, 0, g.N * sizeof(float));
    return;
  }
  Job job{g, (g.N + NR - 1) / NR, (g.M + MC - 1) / MC};
  pool.run(runUnit, &job, job.panels * job.rowBlocks, parallel);
}

int vectorBits() {
#if defined(__AVX512F__)
  return 512;
#elif defined(__AVX2__)
  return 256;
#else
  return 128;
#endif
}

}  // namespace eto
