#pragma once
// The integer reference: the golden model of the accelerator's arithmetic (core/int_arith.h).
// The SystemC accelerator, the RTL and the co-simulation must reproduce these outputs bit for
// bit, every layer, every width.
#include <cstdint>
#include <vector>

#include "core/quantized_network.h"

namespace rcsim {

/// Quantizes an image (full-width CHW floats) with scale 2^-input_shift to `bits`.
std::vector<std::int32_t> quantize_image(const QuantizedNetwork& qn, const float* image);

/// Runs one quantized image at width k. Returns each layer's active-width output in CHW order
/// (fc: features): requantized activations for hidden layers (conv/fc then ReLU/saturate,
/// maxpool over those), int32 accumulators (bias + Σ w·x) for the classifier (the logits).
std::vector<std::vector<std::int32_t>> int_forward(const QuantizedNetwork& qn, int k,
                                                   const std::vector<std::int32_t>& image_q);

/// Index of the largest logit (first one on ties).
template <typename T>
int argmax(const std::vector<T>& v) {
  int best = 0;
  for (int i = 1; i < int(v.size()); ++i)
    if (v[i] > v[best]) best = i;
  return best;
}

}  // namespace rcsim
