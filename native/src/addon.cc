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

// One call's arguments: the context, `count` integers after it, then the JS values that follow them.
struct Call {
  Context* context = nullptr;
  int64_t v[13] = {};
  napi_value rest[2] = {};
};

// reads ctx + `count` int64s + 2 trailing values; false (with a JS error thrown) when they are missing
bool readCall(napi_env env, napi_callback_info info, const char* name, size_t count, Call& call) {
  size_t argc = 16;
  napi_value argv[16];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < count + 3) {
    fail(env, name);
    return false;
  }
  void* raw;
  if (napi_get_value_external(env, argv[0], &raw) != napi_ok || raw == nullptr) {
    fail(env, "the first argument is not a native context");
    return false;
  }
  call.context = static_cast<Context*>(raw);
  if (call.context->pool == nullptr) {
    fail(env, "the native context was released (engine.dispose())");
    return false;
  }
  for (size_t i = 0; i < count; i++) napi_get_value_int64(env, argv[i + 1], &call.v[i]);
  call.rest[0] = argv[count + 1];
  call.rest[1] = argv[count + 2];
  return true;
}

// gemm(ctx, c, ldc, a, sai, sak, b, sbk, sbj, M, N, K, accumulate, parallel); pointers are byte offsets
napi_value Gemm(napi_env env, napi_callback_info info) {
  Call call;
  if (!readCall(env, info, "gemm needs 14 arguments", 11, call)) return nullptr;
  const int64_t* v = call.v;
  uint8_t* base = call.context->base;
  bool accumulate = false, parallel = false;
  napi_get_value_bool(env, call.rest[0], &accumulate);
  napi_get_value_bool(env, call.rest[1], &parallel);
  eto::GemmArgs g{reinterpret_cast<float*>(base + v[0]), v[1],
                  reinterpret_cast<const float*>(base + v[2]), v[3], v[4],
                  reinterpret_cast<const float*>(base + v[5]), v[6], v[7],
                  v[8], v[9], v[10], accumulate};
  eto::gemm(*call.context->pool, g, parallel);
  return nullptr;
}

// attentionDecode(ctx, out, q, k, v, lengths, slots, prefixSlots, prefixLengths, B, maxT, H, KVH, hs, scale,
// parallel); pointers are byte offsets, −1 for an absent one
napi_value AttentionDecode(napi_env env, napi_callback_info info) {
  Call call;
  if (!readCall(env, info, "attentionDecode needs 16 arguments", 13, call)) return nullptr;
  const int64_t* v = call.v;
  double scale = 0;
  napi_get_value_double(env, call.rest[0], &scale);
  bool parallel = false;
  napi_get_value_bool(env, call.rest[1], &parallel);
  auto at = [&](int64_t offset) { return call.context->base + offset; };
  eto::DecodeArgs a{reinterpret_cast<float*>(at(v[0])), reinterpret_cast<const float*>(at(v[1])),
                    reinterpret_cast<const float*>(at(v[2])), reinterpret_cast<const float*>(at(v[3])),
                    reinterpret_cast<const int32_t*>(at(v[4])),
                    v[5] < 0 ? nullptr : reinterpret_cast<const int32_t*>(at(v[5])),
                    v[6] < 0 ? nullptr : reinterpret_cast<const int32_t*>(at(v[6])),
                    v[7] < 0 ? nullptr : reinterpret_cast<const int32_t*>(at(v[7])),
                    v[8], v[9], v[10], v[11], v[12], static_cast<float>(scale)};
  if (!eto::decodeSupported(a.hs)) return fail(env, "attentionDecode: head size not supported by this build");
  eto::attentionDecode(*call.context->pool, a, parallel);
  return nullptr;
}

// releaseContext(ctx): stops its threads now rather than at garbage collection; later calls on it throw
napi_value ReleaseContext(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  void* raw = nullptr;
  if (argc < 1 || napi_get_value_external(env, argv[0], &raw) != napi_ok || raw == nullptr)
    return fail(env, "releaseContext needs a native context");
  auto* context = static_cast<Context*>(raw);
  delete context->pool;
  context->pool = nullptr;
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
      {"releaseContext", nullptr, ReleaseContext, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]), properties);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
