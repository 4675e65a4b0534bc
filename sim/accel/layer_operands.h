#pragma once
// What the controller needs to execute one conv/fc layer at width k, prepared once per layer:
// the stationary-operand matrix W[K][N], biases, and the im2col gather table mapping GEMM
// operand X[m][kidx] to an activation-buffer address (−1 = zero padding, never read).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/quantized_network.h"
#include "mapper/gemm_view.h"

namespace rcsim {

struct LayerOperands {
  std::size_t layer = 0;
  GemmView g;
  std::vector<std::int32_t> w;        ///< [K][N] row-major: w[kidx*N + n]
  std::vector<std::int32_t> bias;     ///< [N]
  std::vector<std::int16_t> w16;      ///< [N][Kp] int16, K zero-padded to intgemm::kColAlign (fast mode's GEMM)
  std::int64_t Kp = 0;
  std::vector<std::int32_t> gather;   ///< [M][K]: input address of X[m][kidx], −1 for padding
  std::vector<std::int64_t> inbounds_per_k;  ///< [K]: number of m with gather ≥ 0
  int shift = 0;
  bool relu = false;
  bool classifier = false;

  std::int32_t W(std::int64_t kidx, std::int64_t n) const { return w[kidx * g.N + n]; }
  std::int32_t X(const std::vector<std::int32_t>& in, std::int64_t m, std::int64_t kidx) const {
    const std::int32_t a = gather[m * g.K + kidx];
    return a < 0 ? 0 : in[a];
  }
};

LayerOperands prepare_layer(const QuantizedNetwork& qn, std::size_t i, int k);

}  // namespace rcsim
