#pragma once
// Fast mode's output GEMM: a job's accumulators (bias + Σ w·x, int32 wrap-around) computed
// without the array. Everything else sees only this class, so a library GEMM can replace the
// body of these two functions without touching the controller or any dataflow.
#include <cstdint>
#include <vector>

#include "accel/gemm_job.h"

namespace rcsim {

class FastGemm {
 public:
  /// Prepares the job's weights once (packed for the kernel).
  explicit FastGemm(const GemmJob& job);
  /// acc[m*N + n] = bias[n] + Σ_k W[k][n]·X[m][k] for the input activations `in`.
  void outputs(const GemmJob& job, const std::vector<std::int32_t>& in, std::vector<std::int32_t>& acc) const;

 private:
  std::vector<std::int16_t> w16_;  ///< [N][Kp] int16, K zero-padded to intgemm::kColAlign
  std::int64_t Kp_ = 0;
};

}  // namespace rcsim
