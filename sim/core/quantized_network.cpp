#include "core/quantized_network.h"

#include <cmath>
#include <random>

#include "core/errors.h"
#include "core/int_arith.h"

namespace rcsim {

namespace arith {
std::int32_t quantize_value(double value, int shift, int bits) {
  const double scaled = std::ldexp(value, shift);
  if (std::isnan(scaled)) return 0;
  const double r = scaled >= 0 ? std::floor(scaled + 0.5) : -std::floor(-scaled + 0.5);
  if (r < qmin(bits)) return qmin(bits);
  if (r > qmax(bits)) return qmax(bits);
  return static_cast<std::int32_t>(r);
}
}  // namespace arith

std::int64_t full_weight_count(const Layer& l) {
  std::int64_t n = 1;
  for (auto d : weight_shape(l)) n *= d;
  return l.has_weights() ? n : 0;
}

std::vector<std::int64_t> weight_shape(const Layer& l) {
  switch (l.kind) {
    case LayerKind::Conv: return {l.out.c, l.in.c, l.kernel, l.kernel};
    case LayerKind::Fc: return {l.out.c, l.in.c};
    case LayerKind::MaxPool: return {};
  }
  return {};
}

bool QuantizedNetwork::has_float() const {
  for (std::size_t i = 0; i < net.layers.size(); ++i)
    if (net.layers[i].has_weights())
      return i < float_params.size() && !float_params[i].weight.empty();
  return false;
}

void QuantizedNetwork::validate() const {
  const std::string who = "weights for network '" + net.name + "'";
  if (bits != 8 && bits != 16) throw InputError(who + ": precision must be 8 or 16 bits (got " + std::to_string(bits) + ")");
  if (input_shift < 0 || input_shift > 31) throw InputError(who + ": input_shift out of range 0..31");
  if (quant_params.size() != net.layers.size())
    throw InputError(who + ": expected " + std::to_string(net.layers.size()) + " layers, got " +
                     std::to_string(quant_params.size()));
  const bool floats = !float_params.empty();
  if (floats && float_params.size() != net.layers.size())
    throw InputError(who + ": float parameters for " + std::to_string(float_params.size()) +
                     " layers, network has " + std::to_string(net.layers.size()));
  int prev_out_shift = input_shift;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    const QuantLayerParams& q = quant_params[i];
    const std::string lw = who + ": layer '" + l.name + "'";
    if (!l.has_weights()) continue;
    const std::int64_t nw = full_weight_count(l);
    if (std::int64_t(q.weight.size()) != nw)
      throw InputError(lw + ": weight has " + std::to_string(q.weight.size()) + " values, expected " + std::to_string(nw));
    if (std::int64_t(q.bias.size()) != l.out.c)
      throw InputError(lw + ": bias has " + std::to_string(q.bias.size()) + " values, expected " + std::to_string(l.out.c));
    for (auto w : q.weight)
      if (w < arith::qmin(bits) || w > arith::qmax(bits))
        throw InputError(lw + ": weight value " + std::to_string(w) + " does not fit " + std::to_string(bits) + " bits");
    if (q.in_shift != prev_out_shift)
      throw InputError(lw + ": in_shift " + std::to_string(q.in_shift) + " differs from the previous layer's out_shift " + std::to_string(prev_out_shift));
    if (!l.is_classifier && (q.requant_shift() < 0 || q.requant_shift() > 31))
      throw InputError(lw + ": requantization shift " + std::to_string(q.requant_shift()) + " out of range 0..31");
    if (floats) {
      if (std::int64_t(float_params[i].weight.size()) != nw || std::int64_t(float_params[i].bias.size()) != l.out.c)
        throw InputError(lw + ": float weight/bias sizes do not match the network");
    }
    prev_out_shift = q.out_shift;
  }
}

QuantizedNetwork random_quantized_network(const Network& net, int bits, std::uint64_t seed) {
  QuantizedNetwork qn;
  qn.net = net;
  qn.bits = bits;
  qn.input_shift = bits - 1;
  qn.metadata["weights"] = "random";
  qn.metadata["seed"] = std::to_string(seed);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> wdist(arith::qmin(bits), arith::qmax(bits));
  qn.quant_params.resize(net.layers.size());
  int act_shift = qn.input_shift;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    if (!l.has_weights()) continue;
    QuantLayerParams& q = qn.quant_params[i];
    q.weight.resize(full_weight_count(l));
    for (auto& w : q.weight) w = static_cast<std::int16_t>(wdist(rng));
    // Weights are ~uniform in ±2^(bits-1): w_shift = bits-1 makes them ≈ ±1.0. A dot product of
    // K such terms grows like sqrt(K); shift that away so activations neither saturate nor vanish.
    const std::int64_t k = full_weight_count(l) / l.out.c;
    const int growth = int(std::lround(std::log2(std::sqrt(double(k)))));
    q.in_shift = act_shift;
    q.w_shift = bits - 1 + growth;
    q.out_shift = act_shift;
    const int rs = q.requant_shift();
    std::uniform_int_distribution<std::int32_t> bdist(-(1 << std::min(rs + bits - 2, 30)), 1 << std::min(rs + bits - 2, 30));
    q.bias.resize(l.out.c);
    for (auto& b : q.bias) b = bdist(rng);
    act_shift = q.out_shift;
  }
  return qn;
}

}  // namespace rcsim
