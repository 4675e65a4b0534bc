#pragma once
// What the controller needs to execute one conv/fc layer at width k, prepared once per layer:
// the layer's GEMM job (W[K][N], biases, the im2col gather table mapping GEMM operand X[m][kidx]
// to an activation-buffer address) and how post-processing finishes its accumulators.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "accel/gemm_job.h"
#include "core/quantized_network.h"

namespace rcsim {

struct LayerOperands {
  GemmJob gemm;
  int shift = 0;            ///< requantization shift
  bool relu = false;
  bool classifier = false;  ///< outputs stay int32 logits
};

LayerOperands prepare_layer(const QuantizedNetwork& qn, std::size_t i, int k);

}  // namespace rcsim
