#pragma once
// Fast mode's output GEMM: a job's accumulators (bias + Σ w·x, int32 wrap-around) computed
// without the array. Everything else sees only this class.
//
// Two kernels, both exact (docs/performance.md, "Fast mode's GEMM" has the measurement that chose
// them): oneDNN's u8×s8→s32 matmul (X + 128 against the weights, in reduction chunks whose sums
// stay exact, fast_gemm.cpp says why) when every weight of the job is an int8 value and the CPU
// has VNNI (vpdpbusd sums u8·s8 products in int32; without VNNI oneDNN's vpmaddubsw path can
// saturate at int16), and the
// host's int16 kernels (host/int_gemm.h) otherwise — int16 networks, older CPUs, rcsim built
// without libdnnl-dev, or an image whose activations leave the int8 range.
#include <cstdint>
#include <memory>
#include <vector>

#include "accel/gemm_job.h"

namespace rcsim {

class FastGemm {
 public:
  /// Prepares the job once (per layer and width, cached by the controller): the int8 weights in
  /// oneDNN's own layout and its primitive, when the oneDNN kernel applies.
  explicit FastGemm(const GemmJob& job);
  ~FastGemm();
  FastGemm(const FastGemm&) = delete;
  FastGemm& operator=(const FastGemm&) = delete;
  /// acc[m*N + n] = bias[n] + Σ_k W[k][n]·X[m][k] for the input activations `in`.
  /// Not reentrant: one controller thread calls it (the operand buffers are reused).
  void outputs(const GemmJob& job, const std::vector<std::int32_t>& in, std::vector<std::int32_t>& acc) const;
  /// "onednn" or "int16": the kernel outputs() uses for int8 activations.
  const char* kernel() const;

  struct OneDnn;  // the prepared oneDNN matmul (fast_gemm.cpp)

 private:
  void int16_outputs(const GemmJob& job, const std::vector<std::int32_t>& in, std::vector<std::int32_t>& acc) const;
  /// The job's window geometry flattened once: X[m][k] = in[pix_off[m] + k_off[k]] for every
  /// m whose window lies inside the planes (interior[m]); the others go through OperandGather.
  std::vector<std::int32_t> pix_off_, k_off_;
  std::vector<std::uint8_t> interior_;
  std::unique_ptr<OneDnn> dnnl_;
  mutable std::vector<std::uint8_t> x8_;  // X + 128, [M][Kpad]
  mutable std::vector<std::int16_t> x16_;
};

/// Whether this build and CPU run fast mode's int8 GEMMs on oneDNN (VNNI present, libdnnl-dev
/// found at configure time).
bool fast_gemm_uses_onednn();

}  // namespace rcsim
