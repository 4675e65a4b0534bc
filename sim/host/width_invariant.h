#pragma once
// Which node outputs are the same at every width: evaluating all widths of a network can then
// compute them once, at the widest width, and select the active channels for the others.
#include <vector>

#include "core/quantized_network.h"

namespace rcsim {

/// Whether the references' output channel c of node i has the same value at every width where c
/// is active (for every node, computed once), for the float reference (`for_float`: no per-width
/// batch norm) or the integer one (no per-width post-processing scales). True when the node has no
/// per-width parameters, reads only such width-invariant tensors (the image is one), and each of
/// its output channels reads the same inputs at every width: a dense convolution or fc must read
/// an unsplit tensor (e.g. the image); pools, depthwise convolutions, activations, adds, concats
/// and flattens work channel by channel. In a chain like LeNet's: the first conv and its pool.
std::vector<bool> width_invariant_nodes(const QuantizedNetwork& qn, bool for_float);

/// For each channel active at width k, its position among the channels active at width kw ≥ k of
/// tensor t (the active channels of smaller widths are a subset of those of larger ones).
std::vector<int> positions_at_width(const Network& net, int t, int k, int kw);

}  // namespace rcsim
