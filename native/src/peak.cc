// The core's fp32 FMA peak, measured: 16 independent chains of the widest vector FMA this build has, so the
// loop is bound by FMA throughput, not latency. GFLOP/s of the calling thread.
#include <chrono>

#include "gemm.h"

namespace eto {

double fmaPeakGflops(int64_t iterations) {
  typedef float v16 __attribute__((vector_size(64)));
  v16 acc[16];
  for (int i = 0; i < 16; i++) acc[i] = v16{} + static_cast<float>(i) * 1e-3f;
  const v16 mul = v16{} + 0.999999f, add = v16{} + 1e-7f;
  const auto start = std::chrono::steady_clock::now();
  for (int64_t n = 0; n < iterations; n++) {
    // no asm barrier here: one on array elements kept them in memory, and the loop measured store latency
    // (41.8 GFLOP/s on a 115 GFLOP/s core); a chain of FMAs cannot be folded, so the loop stays as written
    for (int i = 0; i < 16; i++) acc[i] = acc[i] * mul + add;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  float sink = 0;
  for (int i = 0; i < 16; i++) sink += acc[i][0];
  __asm__ volatile("" : : "x"(sink));
  return static_cast<double>(iterations) * 16 * 16 * 2 / seconds / 1e9;
}

}  // namespace eto
