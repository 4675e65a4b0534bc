#pragma once
// Networks from YAML text with zeroed tensors of the right sizes, so a test sets only the
// numbers it reasons about (shared by the float-reference, integer-reference and quantizer tests).
#include <string>

#include "core/network_yaml.h"
#include "core/quantized_network.h"

namespace rcsim::test {

/// Float parameters only (what the trainer hands the quantizer).
inline QuantizedNetwork blank_float_network(const std::string& yaml) {
  QuantizedNetwork qn;
  qn.net = parse_network(yaml, "test.yaml");
  qn.float_params.resize(qn.net.layers.size());
  for (std::size_t i = 0; i < qn.net.layers.size(); ++i) {
    const Layer& l = qn.net.layers[i];
    if (!l.has_weights()) continue;
    qn.float_params[i].weight.assign(full_weight_count(l), 0.0f);
    qn.float_params[i].bias.assign(l.out.c, 0.0f);
  }
  return qn;
}

/// Quantized parameters only, at `bits`, every shift 0.
inline QuantizedNetwork blank_quant_network(const std::string& yaml, int bits) {
  QuantizedNetwork qn;
  qn.net = parse_network(yaml, "test.yaml");
  qn.bits = bits;
  qn.input_shift = 0;
  qn.quant_params.resize(qn.net.layers.size());
  for (std::size_t i = 0; i < qn.net.layers.size(); ++i) {
    const Layer& l = qn.net.layers[i];
    if (!l.has_weights()) continue;
    qn.quant_params[i].weight = std::vector<std::int16_t>(std::size_t(full_weight_count(l)), 0);
    qn.quant_params[i].bias.assign(l.out.c, 0);
  }
  return qn;
}

}  // namespace rcsim::test
