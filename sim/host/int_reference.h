#pragma once
// The integer reference: the golden model of the accelerator's arithmetic (core/int_arith.h).
// The SystemC accelerator, the RTL and the co-simulation must reproduce these outputs bit for
// bit, every layer, every width.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/quantized_network.h"

namespace rcsim {

/// Quantizes an image (full-width CHW floats) with scale 2^-input_shift to `bits`.
std::vector<std::int32_t> quantize_image(const QuantizedNetwork& qn, const float* image);

/// Runs one quantized image at width k. Returns each node's active-width output in CHW order
/// (fc: features): requantized activations for hidden layers (conv/fc then ReLU/saturate,
/// maxpool over those), int32 accumulators (bias + Σ w·x) for the classifier (the logits).
/// Throws InputError on a width out of range, an image of the wrong size or with values that do
/// not fit qn.bits, or quantized tensors whose sizes do not match the network. Safe to call
/// from several threads at once (scratch buffers are per thread).
std::vector<std::vector<std::int32_t>> int_forward(const QuantizedNetwork& qn, int k,
                                                   const std::vector<std::int32_t>& image_q);

/// Runs `count` quantized images (image after image, each net.input.size() values) at width k
/// and returns their logits (count × classes, image after image): for each image exactly
/// int_forward(...).back(). Convolution weights are packed once per call and fully connected
/// layers run as one GEMM over the images, so batches of tens of images run several times faster
/// per image. Throws InputError like int_forward.
std::vector<std::int32_t> int_logits_batch(const QuantizedNetwork& qn, int k, const std::int32_t* images_q,
                                           std::size_t count);

/// int_logits_batch at each width of `widths` (result w: widths[w]'s logits), in one pass: the
/// nodes whose outputs do not depend on the width (host/width_invariant.h; e.g. the first conv
/// and pool of a network without per-width post-processing) run once, at the widest width, and
/// the other widths take their active channels from it (the same integers).
std::vector<std::vector<std::int32_t>> int_logits_widths(const QuantizedNetwork& qn, const std::vector<int>& widths,
                                                         const std::int32_t* images_q, std::size_t count);

/// Runs node i alone at width k on its inputs (one per entry of layers[i].in_ids, each that
/// tensor's active-width values as int_forward produces them; every value must fit qn.bits).
std::vector<std::int32_t> int_node_forward(const QuantizedNetwork& qn, std::size_t i, int k,
                                           const std::vector<const std::vector<std::int32_t>*>& inputs);

/// Runs layer i alone at width k. `input` is that layer's active-width input as int_forward
/// produces it (the previous layer's output; for layer 0 the quantized image); every value must
/// fit qn.bits. Returns what int_forward returns for layer i. Lets the accelerator's tests and
/// the benchmark compare one layer at a time.
std::vector<std::int32_t> int_layer_forward(const QuantizedNetwork& qn, std::size_t i, int k,
                                            const std::vector<std::int32_t>& input);

/// The same two functions written as direct loops over the definition in core/int_arith.h:
/// slow, meant to be read. They ARE the definition of the accelerator's arithmetic; the fast
/// im2col + GEMM functions above are tested bit-exact against them (tests/unit/test_int_reference.cpp).
std::vector<std::vector<std::int32_t>> int_forward_naive(const QuantizedNetwork& qn, int k,
                                                         const std::vector<std::int32_t>& image_q);
std::vector<std::int32_t> int_layer_forward_naive(const QuantizedNetwork& qn, std::size_t i, int k,
                                                  const std::vector<std::int32_t>& input);
std::vector<std::int32_t> int_node_forward_naive(const QuantizedNetwork& qn, std::size_t i, int k,
                                                 const std::vector<const std::vector<std::int32_t>*>& inputs);

/// Index of the largest logit (first one on ties).
template <typename T>
int argmax(const std::vector<T>& v) {
  int best = 0;
  for (int i = 1; i < int(v.size()); ++i)
    if (v[i] > v[best]) best = i;
  return best;
}

}  // namespace rcsim
