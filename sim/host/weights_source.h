#pragma once
// Where a command's weights come from: the trained default of a shipped network, seeded random
// weights, or a file. One rule for `rcsim run`, `cosim`, `sweep` and `governor`.
#include <cstdint>
#include <string>

#include "core/quantized_network.h"

namespace rcsim {

/// Dataset a shipped network is trained on ("mnist_lenet" → "mnist"); "" if unknown.
std::string default_dataset(const std::string& net);

/// Where the trained default weights live: $RCSIM_WEIGHTS_DIR if set, else an installed
/// rcsim's <prefix>/share/rcsim/weights (next to <prefix>/bin of the running program) if it
/// exists, else <source>/workloads/weights.
std::string default_weights_dir();

/// Trained default weights: <default_weights_dir()>/<net>-<dataset>-incremental.safetensors.
std::string default_weights_path(const std::string& net);

/// Shipped trained weights of `net` on `dataset` ("" = its default dataset) by `algo`:
/// <source>/workloads/weights/<net>-<dataset>-<algo>.safetensors (may not exist).
std::string shipped_weights_path(const std::string& net, const std::string& dataset,
                                 const std::string& algo = "incremental");

/// `spec`: "" = the trained default (InputError naming the path if it is missing), "random" =
/// random_quantized_network(net, bits, seed), anything else = a weights file for `net`.
/// `label`, if given, receives a human-readable description of the source.
QuantizedNetwork load_weights_spec(const std::string& spec, const Network& net, int bits,
                                   std::uint64_t seed, std::string* label = nullptr);

}  // namespace rcsim
