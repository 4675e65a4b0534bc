#pragma once
// Post-training quantization to power-of-two scales (shift-based requantization).
#include "core/quantized_network.h"
#include "host/dataset.h"

namespace rcsim {

struct QuantizerOptions {
  int bits = 8;
  std::size_t calibration_images = 500;  ///< first N images of the calibration set
};

/// Fills qn.quant_params and qn.input_shift from qn.float_params. Weight shifts come from each
/// layer's full-width max |w| (one scale serves every width); activation shifts from the largest
/// |activation| seen on the calibration images over all widths 1..G. Bias is rounded to int32
/// at scale 2^-(in_shift + w_shift).
void quantize(QuantizedNetwork& qn, const Dataset& calibration, const QuantizerOptions& opts);

}  // namespace rcsim
