#pragma once
// Fast mode's output GEMM: a job's accumulators (bias + Σ w·x, int32 wrap-around) computed
// without the array. Everything else sees only this class, so a library GEMM can replace the
// body of these functions without touching the controller or any dataflow.
#include <cstdint>
#include <vector>

#include "accel/gemm_job.h"

namespace rcsim {

class FastGemm {
 public:
  /// The job's weights are already in the kernel's layout (GemmJob::w: [N][w_stride] int16,
  /// rows padded to intgemm::kColAlign): nothing to pack, nothing held twice.
  explicit FastGemm(const GemmJob& job);
  /// acc[m*N + n] = bias[n] + Σ_k W[k][n]·X[m][k] for the input activations `in`.
  void outputs(const GemmJob& job, const std::vector<std::int32_t>& in, std::vector<std::int32_t>& acc) const;
};

}  // namespace rcsim
