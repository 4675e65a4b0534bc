#pragma once
// `rcsim info --net X`: every node of a network (YAML or imported .onnx) with its kind, inputs,
// output shape and, per width configuration k = 1..G, its active output channels, MACs and
// weights (+ biases) — graph-aware: a concat's channels, a depthwise conv's coupling, a residual
// add's shared split all come from Network (core/network.h) — plus a totals row.
#include <string>

#include <nlohmann/json.hpp>

#include "core/network.h"

namespace rcsim::cli {

/// Aligned text columns, or Markdown (the tables in docs/).
std::string node_table(const Network& net, bool markdown);

/// The same as JSON: {network, input, width_groups, nodes: [...], totals: {macs, weights}}.
nlohmann::ordered_json node_table_json(const Network& net);

/// "conv 3x3/2 +relu", "dwconv 3x3 +relu6", "maxpool 3x3/2", "avgpool global", "fc (classifier)".
std::string describe_node(const Network& net, std::size_t i);

}  // namespace rcsim::cli
