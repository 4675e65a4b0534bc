#pragma once
// A dense conv/fc layer at width k seen as a GEMM: out[m][n] = bias[n] + Σ_k W[k][n]·X[m][k]
// with M output pixels, K = Kh·Kw·Cin_k reduction length and N = Cout_k output channels.
// Only active channels appear: the GEMM of width k is the top-left corner of the full one.
#include <cstddef>
#include <cstdint>

#include "core/network.h"

namespace rcsim {

struct GemmView {
  std::int64_t M = 0;  ///< output pixels (fc: 1)
  std::int64_t K = 0;  ///< reduction length Kh·Kw·Cin_k (fc: in_k)
  std::int64_t N = 0;  ///< output channels Cout_k (fc: out_k)
  std::int64_t macs() const { return M * K * N; }
};

/// The GEMM view of dense weighted layer i at width k (InternalError for nodes without weights and
/// for grouped convs, which run one GEMM per channel group: mapper/node_jobs.h).
GemmView gemm_view(const Network& net, std::size_t i, int k);

}  // namespace rcsim
