#pragma once
// The C interface between fast mode's GEMM (fast_gemm.cpp) and the oneDNN plugin
// (onednn_plugin/onednn_gemm_plugin.cpp, the shared library librcsim_onednn.so). oneDNN is ~40 MB
// of code whose relocation and static initialization cost every rcsim process ~10 ms of CPU at
// start-up, so rcsim does not link it: the plugin, which does, is dlopen'ed on the first fast-mode
// GEMM that can use it (onednn_plugin.h). Plain C types only, so the plugin and the simulator
// need not share a C++ ABI; kOneDnnPluginVersion guards against a stale plugin.
#include <cstdint>

extern "C" {

/// A prepared s8×s8→s32 matmul of fixed shape and strides, its operands given per call:
/// dst[n·ldc + m] = Σ_{k<K} a[n·lda + k]·b[k·ldb + m] for n < N, m < M. In fast mode a is the
/// weights W^T (read where they lie, in the network's own tensor: nothing is packed) and b the
/// operand X^T, so dst is the output channel-major, as the activation buffer stores it.
typedef struct RcsimOneDnnMatmul RcsimOneDnnMatmul;

struct RcsimOneDnnApi {
  int version;  ///< kOneDnnPluginVersion of the plugin
  /// 1 when oneDNN runs int8 products on this CPU with VNNI (exact int32 sums), else 0.
  int (*has_vnni)();
  /// Prepares the matmul for one shape and strides (oneDNN's primitive cache shares the code between
  /// equal shapes), or, with every argument 0, one for any shape given per call (slower on small
  /// shapes, but one primitive serves every GEMM instead of tens of KB per shape).
  /// Returns null and fills `error` (a C string, ≤ 256 bytes) on failure.
  RcsimOneDnnMatmul* (*prepare)(std::int64_t N, std::int64_t K, std::int64_t M, std::int64_t lda, std::int64_t ldb,
                                std::int64_t ldc, char* error);
  /// dst = a × b on the calling thread only, with the shape and strides of the call (they must be
  /// the prepared ones unless the matmul is for any shape). Returns 0, or −1 with `error` filled.
  int (*run)(const RcsimOneDnnMatmul* mm, std::int64_t N, std::int64_t K, std::int64_t M, std::int64_t lda,
             std::int64_t ldb, std::int64_t ldc, const std::int8_t* a, const std::int8_t* b, std::int32_t* dst,
             char* error);
  void (*release)(RcsimOneDnnMatmul* mm);
};

/// The plugin's one exported symbol: a pointer to its RcsimOneDnnApi. Declared as returning
/// `const void*` because that is the type the loader (core/plugin_loader.h) calls it through;
/// calling a function through a pointer of another type is undefined behaviour (UBSan's
/// -fsanitize=function reports it).
const void* rcsim_onednn_api();
}

namespace rcsim {
constexpr int kOneDnnPluginVersion = 4;
constexpr const char* kOneDnnPluginEntry = "rcsim_onednn_api";
}  // namespace rcsim
