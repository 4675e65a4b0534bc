#include "accel/fast_gemm.h"

#include "core/errors.h"
#include "host/int_gemm.h"

namespace rcsim {

FastGemm::FastGemm(const GemmJob& job) {
  if (job.w_stride != intgemm::round_up(int(job.g.K), intgemm::kColAlign))
    throw InternalError("FastGemm: the job's weights are not padded for the GEMM kernel");
}

void FastGemm::outputs(const GemmJob& job, const std::vector<std::int32_t>& in, std::vector<std::int32_t>& acc) const {
  const std::int64_t M = job.g.M, K = job.g.K, N = job.g.N;
  // The GEMM itself through the host's vectorized int16 kernels (int32 wrap-around; any
  // summation order gives the hardware's result).
  const std::int64_t Kp = job.w_stride, Mp = intgemm::round_up(int(M), intgemm::kRowAlign);
  std::vector<std::int16_t> x(std::size_t(Mp * Kp), 0);
  for (std::int64_t m = 0; m < M; ++m)
    for (std::int64_t k = 0; k < K; ++k) {
      const std::int32_t a = job.x.addr(m, k);
      x[std::size_t(m * Kp + k)] = a < 0 ? 0 : std::int16_t(in[std::size_t(a)]);
    }
  std::vector<std::int32_t> y(std::size_t(N * M));
  if (M == 1)
    intgemm::gemv(int(N), int(K), job.w.data(), std::size_t(Kp), x.data(), job.bias.data(), y.data());
  else
    intgemm::gemm_abt(int(N), int(M), int(K), job.w.data(), std::size_t(Kp), x.data(), std::size_t(Kp),
                      job.bias.data(), y.data(), std::size_t(M));
  for (std::int64_t n = 0; n < N; ++n)
    for (std::int64_t m = 0; m < M; ++m) acc[std::size_t(m * N + n)] = y[std::size_t(n * M + m)];
}

}  // namespace rcsim
