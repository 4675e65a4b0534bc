#pragma once
// The weights file: safetensors (8-byte little-endian header length, JSON header with dtype,
// shape and data_offsets per tensor, raw little-endian data), readable by PyTorch users.
// Tensors per weighted layer L:  L.weight, L.bias (F32, when float weights are known),
// L.weight_q (I8 or I16), L.bias_q (I32). `__metadata__` (string → string) holds
// "rcsim.format" = "1", "network", "network_yaml" (the full network YAML), "width_groups",
// "bits", "input_shift", "group_boundaries" (JSON: layer → [ceil(k·N/G) for k = 0..G]),
// "shifts" (JSON: layer → {in_shift, w_shift, out_shift}) and any QuantizedNetwork::metadata.
#include <cstdint>
#include <string>
#include <vector>

#include "core/quantized_network.h"

namespace rcsim {

void save_weights(const QuantizedNetwork& qn, const std::string& path);
/// The bytes save_weights writes (for writers with their own error handling, e.g. `rcsim import`).
std::vector<std::uint8_t> encode_weights(const QuantizedNetwork& qn);

/// Loads and validates a weights file. If `expected` is non-null, the file's network must match
/// it (same name, layers and shapes), else InputError "W: weights are for network 'x', not 'y'".
QuantizedNetwork load_weights(const std::string& path, const Network* expected = nullptr);

}  // namespace rcsim
