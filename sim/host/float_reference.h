#pragma once
// Float inference at width k, plain C++ (no libtorch): used for float accuracy in `rcsim eval`
// and for activation-range calibration in the quantizer.
#include <vector>

#include "core/quantized_network.h"

namespace rcsim {

/// Runs one image (full-width CHW floats of net.input) at width k; returns each layer's
/// active-width output (CHW; fc: features). The last entry holds the logits.
std::vector<std::vector<float>> float_forward(const QuantizedNetwork& qn, int k, const float* image);

}  // namespace rcsim
