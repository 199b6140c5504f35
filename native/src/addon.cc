// Node-API glue: a context holds the engine memory's base address and a thread pool; kernels take byte offsets
// into that memory (the engine's shared WebAssembly.Memory never moves when it grows).
#include <node_api.h>

#include <cstdint>
#include <cstring>

#include "attention.h"
#include "gemm.h"
#include "pool.h"

namespace {

struct Context {
  uint8_t* base;
  size_t bytes;  // checked against at bind time only: JS checks every array against the arena
  eto::Pool* pool;
};

napi_value fail(napi_env env, const char* message) {
  napi_throw_error(env, "ETO_NATIVE", message);
  return nullptr;
}

void finalize(napi_env, void* data, void*) {
  auto* context = static_cast<Context*>(data);
  delete context->pool;
  delete context;
}

// createContext(view: Float32Array over the whole memory, threads) → external
napi_value CreateContext(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 2) return fail(env, "createContext(view, threads) needs 2 arguments");
  bool isTyped = false;
  napi_is_typedarray(env, argv[0], &isTyped);
  if (!isTyped) return fail(env, "createContext: view must be a typed array over the engine memory");
  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, argv[0], &type, &length, &data, &buffer, &offset) != napi_ok || data == nullptr)
    return fail(env, "createContext: cannot read the view's address");
  int32_t threads = 1;
  napi_get_value_int32(env, argv[1], &threads);
  auto* context = new Context{static_cast<uint8_t*>(data) - offset, length * 4, new eto::Pool(threads)};
  napi_value external;
  napi_create_external(env, context, finalize, nullptr, &external);
  return external;
}

// gemm(ctx, c, ldc, a, sai, sak, b, sbk, sbj, M, N, K, accumulate, parallel); pointers are byte offsets
napi_value Gemm(napi_env env, napi_callback_info info) {
  size_t argc = 14;
  napi_value argv[14];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 14) return fail(env, "gemm needs 14 arguments");
  void* raw;
  if (napi_get_value_external(env, argv[0], &raw) != napi_ok) return fail(env, "gemm: first argument is not a context");
  auto* context = static_cast<Context*>(raw);
  int64_t v[11];
  for (int i = 0; i < 11; i++) napi_get_value_int64(env, argv[i + 1], &v[i]);
  bool accumulate = false, parallel = false;
  napi_get_value_bool(env, argv[12], &accumulate);
  napi_get_value_bool(env, argv[13], &parallel);
  eto::GemmArgs g{reinterpret_cast<float*>(context->base + v[0]), v[1],
                  reinterpret_cast<const float*>(context->base + v[2]), v[3], v[4],
                  reinterpret_cast<const float*>(context->base + v[5]), v[6], v[7],
                  v[8], v[9], v[10], accumulate};
  eto::gemm(*context->pool, g, parallel);
  return nullptr;
}

// attentionDecode(ctx, out, q, k, v, lengths, slots (−1: none), B, maxT, H, KVH, hs, scale, parallel); byte offsets
napi_value AttentionDecode(napi_env env, napi_callback_info info) {
  size_t argc = 14;
  napi_value argv[14];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 14) return fail(env, "attentionDecode needs 14 arguments");
  void* raw;
  if (napi_get_value_external(env, argv[0], &raw) != napi_ok) return fail(env, "attentionDecode: no context");
  auto* context = static_cast<Context*>(raw);
  int64_t v[11];
  for (int i = 0; i < 11; i++) napi_get_value_int64(env, argv[i + 1], &v[i]);
  double scale = 0;
  napi_get_value_double(env, argv[12], &scale);
  bool parallel = false;
  napi_get_value_bool(env, argv[13], &parallel);
  auto at = [&](int64_t offset) { return context->base + offset; };
  eto::DecodeArgs a{reinterpret_cast<float*>(at(v[0])), reinterpret_cast<const float*>(at(v[1])),
                    reinterpret_cast<const float*>(at(v[2])), reinterpret_cast<const float*>(at(v[3])),
                    reinterpret_cast<const int32_t*>(at(v[4])),
                    v[5] < 0 ? nullptr : reinterpret_cast<const int32_t*>(at(v[5])),
                    v[6], v[7], v[8], v[9], v[10], static_cast<float>(scale)};
  if (!eto::decodeSupported(a.hs)) return fail(env, "attentionDecode: head size not supported by this build");
  eto::attentionDecode(*context->pool, a, parallel);
  return nullptr;
}

napi_value DecodeSupported(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  int64_t hs = 0;
  if (argc > 0) napi_get_value_int64(env, argv[0], &hs);
  napi_value result;
  napi_get_boolean(env, eto::decodeSupported(hs), &result);
  return result;
}

napi_value VectorBits(napi_env env, napi_callback_info) {
  napi_value result;
  napi_create_int32(env, eto::vectorBits(), &result);
  return result;
}

// fmaPeakGflops(iterations) → GFLOP/s of this thread's FMA loop
napi_value FmaPeak(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  int64_t iterations = 1 << 24;
  if (argc > 0) napi_get_value_int64(env, argv[0], &iterations);
  napi_value result;
  napi_create_double(env, eto::fmaPeakGflops(iterations), &result);
  return result;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"createContext", nullptr, CreateContext, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gemm", nullptr, Gemm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"vectorBits", nullptr, VectorBits, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"fmaPeakGflops", nullptr, FmaPeak, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"attentionDecode", nullptr, AttentionDecode, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"decodeSupported", nullptr, DecodeSupported, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, 6, properties);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
