#pragma once
// Input checks shared by the fast and the naive integer reference, so both reject exactly the
// same inputs with the same messages.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/quantized_network.h"

namespace rcsim::detail {

/// Throws InputError unless every weighted layer's quantized tensors have the full-width sizes
/// the references index (O(layers): sizes only, not values; QuantizedNetwork::validate does more).
void check_quantized_sizes(const QuantizedNetwork& qn);

/// Throws InputError unless `input` has layer i's active input size at width k and every value
/// fits qn.bits (the multipliers are at most 16 bits wide).
void check_layer_input(const QuantizedNetwork& qn, std::size_t i, int k,
                       const std::vector<std::int32_t>& input);

/// The same for every input of node i (one per in_ids entry, in order).
void check_node_inputs(const QuantizedNetwork& qn, std::size_t i, int k,
                       const std::vector<const std::vector<std::int32_t>*>& inputs);

}  // namespace rcsim::detail
