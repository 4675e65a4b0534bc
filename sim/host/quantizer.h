#pragma once
// Post-training quantization to power-of-two scales (shift-based requantization).
#include "core/quantized_network.h"
#include "host/dataset.h"

namespace rcsim {

struct QuantizerOptions {
  int bits = 8;
  std::size_t calibration_images = 500;  ///< first N images of the calibration set
  /// One power-of-two weight scale per output channel (a per-channel shift in the
  /// post-processing) instead of one per layer: for batch-norm-folded weights, whose channels'
  /// ranges differ by orders of magnitude (depthwise convolutions). The classifier keeps one
  /// scale so that its logits stay comparable.
  bool per_channel = false;
  /// Activation shifts by least squared error instead of by maximum: per node, among the
  /// max-based shift and the two finer ones, the one whose round-and-saturate error over the first
  /// 100 calibration images (every width) is smallest. For heavy-tailed activations (batch-norm
  /// networks' residual sums) a finer scale that saturates a few outliers loses less accuracy.
  bool mse_activation_shifts = false;
};

/// Fills qn.quant_params and qn.input_shift from qn.float_params. Weight shifts come from each
/// node's full-width max |w| (one scale serves every width; per output channel with
/// `per_channel`); activation shifts from the largest |activation| seen on the calibration images
/// over all widths 1..G, per tensor. Bias is rounded to int32 at scale 2^-(in_shift + w_shift).
/// A batch norm per width (float bn_scale/bn_shift) becomes a per-channel multiplier, offset and
/// shift per width in the post-processing (QuantLayerParams::post).
void quantize(QuantizedNetwork& qn, const Dataset& calibration, const QuantizerOptions& opts);

}  // namespace rcsim
