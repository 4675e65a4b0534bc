#pragma once
// Float inference at width k, plain C++ (no libtorch): used for float accuracy in `rcsim eval`
// and for activation-range calibration in the quantizer.
#include <cstddef>
#include <vector>

#include "core/quantized_network.h"

namespace rcsim {

/// Runs one image (full-width CHW floats of net.input) at width k; returns each layer's
/// active-width output (CHW; fc: features). The last entry holds the logits.
std::vector<std::vector<float>> float_forward(const QuantizedNetwork& qn, int k, const float* image);

/// Runs `count` images (full-width CHW floats of net.input, one after the other) at width k and
/// returns their logits (count × classes, image after image). Each logit is exactly the float
/// float_forward computes for that image (same operations in the same order); the weights are
/// packed once per call and fully connected layers run as one GEMM over the images, so batches of
/// tens of images run several times faster per image. Safe to call from several threads at once.
std::vector<float> float_logits_batch(const QuantizedNetwork& qn, int k, const float* images, std::size_t count);

/// float_logits_batch at each width of `widths` (result w: widths[w]'s logits), in one pass: the
/// nodes whose outputs do not depend on the width (host/width_invariant.h; e.g. the first conv
/// and pool of a network without per-width batch norm) run once, at the widest width, and the
/// other widths take their active channels from it (the same floats).
std::vector<std::vector<float>> float_logits_widths(const QuantizedNetwork& qn, const std::vector<int>& widths,
                                                    const float* images, std::size_t count);

}  // namespace rcsim
