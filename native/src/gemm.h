// C (M,N) (+)= A·B with general strides, as the WebAssembly engine's gemm (src/engine/wasm-engine.ts):
// A(i,k) = a[i·sai + k·sak], B(k,j) = b[k·sbk + j·sbj], C row-major with leading dimension ldc.
#pragma once
#include <cstdint>

#include "pool.h"

namespace eto {

struct GemmArgs {
  float* c;
  int64_t ldc;
  const float* a;
  int64_t sai, sak;
  const float* b;
  int64_t sbk, sbj;
  int64_t M, N, K;
  bool accumulate;
};

void gemm(Pool& pool, const GemmArgs& args, bool parallel);

/** The widest vectors this build's kernels use (bits): 512 with AVX-512, 256 with AVX2, else 128. */
int vectorBits();

/** GFLOP/s of a throughput-bound FMA loop on the calling thread (16 chains × 16 floats × iterations). */
double fmaPeakGflops(int64_t iterations);

}  // namespace eto
