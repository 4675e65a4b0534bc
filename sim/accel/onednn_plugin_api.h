#pragma once
// The C interface between fast mode's GEMM (fast_gemm.cpp) and the oneDNN plugin
// (onednn_plugin/onednn_gemm_plugin.cpp, the shared library librcsim_onednn.so). oneDNN is ~40 MB
// of code whose relocation and static initialization cost every rcsim process ~10 ms of CPU at
// start-up, so rcsim does not link it: the plugin, which does, is dlopen'ed on the first fast-mode
// GEMM that can use it (onednn_plugin.h). Plain C types only, so the plugin and the simulator
// need not share a C++ ABI; kOneDnnPluginVersion guards against a stale plugin.
#include <cstdint>

extern "C" {

/// A prepared u8×s8→s32 batched matmul: B batches of [M×Kc] (X^T chunks) times [Kc×N] weights.
typedef struct RcsimOneDnnMatmul RcsimOneDnnMatmul;

struct RcsimOneDnnApi {
  int version;  ///< kOneDnnPluginVersion of the plugin
  /// 1 when oneDNN runs u8×s8 products on this CPU with VNNI (exact int32 sums), else 0.
  int (*has_vnni)();
  /// Prepares the matmul: source X^T [B·Kc][M] (element (b, m, kc) at (b·Kc + kc)·M + m), weights
  /// w8 = W^T rows [N][Kpad] seen as B×Kc×N with strides (Kc, 1, Kpad) (copied and reordered
  /// here), destination [B][M][N]. Returns null and fills `error` (a C string, ≤ 256 bytes) on
  /// failure.
  RcsimOneDnnMatmul* (*prepare)(std::int64_t B, std::int64_t M, std::int64_t Kc, std::int64_t N,
                                std::int64_t Kpad, const std::int8_t* w8, char* error);
  /// dst = the B chunk products of xt (u8) and the prepared weights, on the calling thread only.
  /// Returns 0, or −1 with `error` filled.
  int (*run)(const RcsimOneDnnMatmul* mm, const std::uint8_t* xt, std::int32_t* dst, char* error);
  void (*release)(RcsimOneDnnMatmul* mm);
};

/// The plugin's one exported symbol: a pointer to its RcsimOneDnnApi. Declared as returning
/// `const void*` because that is the type the loader (core/plugin_loader.h) calls it through;
/// calling a function through a pointer of another type is undefined behaviour (UBSan's
/// -fsanitize=function reports it).
const void* rcsim_onednn_api();
}

namespace rcsim {
constexpr int kOneDnnPluginVersion = 1;
constexpr const char* kOneDnnPluginEntry = "rcsim_onednn_api";
}  // namespace rcsim
