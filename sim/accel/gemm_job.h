#pragma once
// One GEMM the array executes: out[m][n] = bias[n] + Σ_k W[k][n]·X[m][k], with X gathered from
// the activation buffer through a table. Dataflow plug-ins (sim/accel/dataflow/) see only this,
// never a network layer: a conv/fc layer at width k is one job (layer_operands.h); a grouped
// conv's per-group GEMMs or a tile of a layer are jobs of the same shape.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "mapper/gemm_view.h"

namespace rcsim {

struct GemmJob {
  GemmView g;                         ///< M, K, N
  std::vector<std::int32_t> w;        ///< [K][N] row-major: w[k*N + n]
  std::vector<std::int32_t> bias;     ///< [N]
  std::vector<std::int32_t> gather;   ///< [M][K]: activation address of X[m][k], −1 for zero padding (never read)
  std::vector<std::int64_t> inbounds_per_k;  ///< [K]: number of m with gather ≥ 0
  /// Where W lives in the weight SRAM (its reads are counted per bank): row k, column n of W is
  /// reduction row k, output channel n of this network layer's weights (mapper/weight_layout.h).
  std::size_t layer = 0;

  std::int32_t W(std::int64_t k, std::int64_t n) const { return w[k * g.N + n]; }
  std::int32_t X(const std::vector<std::int32_t>& in, std::int64_t m, std::int64_t k) const {
    const std::int32_t a = gather[m * g.K + k];
    return a < 0 ? 0 : in[a];
  }
};

}  // namespace rcsim
