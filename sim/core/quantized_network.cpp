#include "core/quantized_network.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
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
  if (!l.has_weights()) return 0;
  std::int64_t n = 1;
  for (auto d : weight_shape(l)) n *= d;
  return n;
}

std::vector<std::int64_t> weight_shape(const Layer& l) {
  switch (l.kind) {
    case LayerKind::Conv: return {l.out.c, l.in.c / std::max(l.groups, 1), l.kernel_h, l.kernel_w};
    case LayerKind::Fc: return {l.out.c, l.in.c};
    default: return {};
  }
}

bool QuantizedNetwork::has_float() const {
  for (std::size_t i = 0; i < net.layers.size(); ++i)
    if (net.layers[i].has_weights())
      return i < float_params.size() && !float_params[i].weight.empty();
  return false;
}

int QuantizedNetwork::tensor_shift(int t) const {
  while (t != kNetworkInput) {
    const Layer& l = net.layers.at(std::size_t(t));
    switch (l.kind) {
      case LayerKind::Conv:
      case LayerKind::Fc:
      case LayerKind::Add:
      case LayerKind::Concat:
        return quant_params.at(std::size_t(t)).out_shift;
      default:
        t = l.in_ids[0];  // pools, flatten, activations keep their input's scale
    }
  }
  return input_shift;
}

std::int32_t QuantizedNetwork::out_lo(std::size_t i) const {
  return net.layers.at(i).relu ? 0 : arith::qmin(bits);
}

std::int32_t QuantizedNetwork::out_hi(std::size_t i) const {
  if (!net.layers.at(i).relu6) return arith::qmax(bits);
  return arith::quantize_value(6.0, tensor_shift(int(i)), bits);
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
  const int G = net.width_groups;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    const QuantLayerParams& q = quant_params[i];
    const std::string lw = who + ": layer '" + l.name + "'";
    auto shift_ok = [](int s) { return s >= -31 && s <= 62; };
    if (l.kind == LayerKind::Add || l.kind == LayerKind::Concat) {
      // Operands are aligned by shifts of at most 31 bits (core/int_arith.h rescale).
      if (!shift_ok(q.out_shift)) throw InputError(lw + ": out_shift " + std::to_string(q.out_shift) + " out of range");
      int m = tensor_shift(l.in_ids[0]);
      for (int t : l.in_ids) m = std::max(m, tensor_shift(t));
      for (int t : l.in_ids)
        if (m - tensor_shift(t) > 31 || std::abs(m - q.out_shift) > 31)
          throw InputError(lw + ": input and output scales differ by more than 31 bits");
      continue;
    }
    if (!l.has_weights()) continue;
    const std::int64_t nw = full_weight_count(l);
    if (std::int64_t(q.weight.size()) != nw)
      throw InputError(lw + ": weight has " + std::to_string(q.weight.size()) + " values, expected " + std::to_string(nw));
    if (std::int64_t(q.bias.size()) != l.out.c)
      throw InputError(lw + ": bias has " + std::to_string(q.bias.size()) + " values, expected " + std::to_string(l.out.c));
    for (std::size_t j = 0; j < q.weight.size(); ++j)
      if (const std::int32_t w = q.weight[j]; w < arith::qmin(bits) || w > arith::qmax(bits))
        throw InputError(lw + ": weight value " + std::to_string(w) + " does not fit " + std::to_string(bits) + " bits");
    const int prev_out_shift = tensor_shift(l.in_ids[0]);
    if (q.in_shift != prev_out_shift)
      throw InputError(lw + ": in_shift " + std::to_string(q.in_shift) + " differs from the previous layer's out_shift " + std::to_string(prev_out_shift));
    if (q.w_shift < -62 || q.w_shift > 62 || !shift_ok(q.out_shift))
      throw InputError(lw + ": weight or output shift out of range");
    if (l.is_classifier) {
      if (!q.post.empty()) throw InputError(lw + ": the classifier outputs its accumulators (no post-processing scale)");
    } else if (q.post.empty()) {
      if (q.requant_shift() < 0 || q.requant_shift() > 31)
        throw InputError(lw + ": requantization shift " + std::to_string(q.requant_shift()) + " out of range 0..31");
    } else {
      if (q.post.size() != 1 && q.post.size() != std::size_t(G))
        throw InputError(lw + ": post-processing scales for " + std::to_string(q.post.size()) + " widths, expected 1 or " + std::to_string(G));
      for (const PostScale& p : q.post) {
        if (std::int64_t(p.mult.size()) != l.out.c || std::int64_t(p.add.size()) != l.out.c ||
            std::int64_t(p.shift.size()) != l.out.c)
          throw InputError(lw + ": post-processing scale vectors must have one value per output channel");
        for (std::size_t c = 0; c < p.shift.size(); ++c) {
          if (p.shift[c] < 0 || p.shift[c] > 62) throw InputError(lw + ": post-processing shift out of range 0..62");
          // acc·mult + add must stay far from int64's limits: |acc| < 2^31.
          if (std::abs(std::int64_t(p.mult[c])) > (std::int64_t(1) << 30))
            throw InputError(lw + ": post-processing multiplier out of range");
        }
      }
    }
    if (floats) {
      const FloatLayerParams& f = float_params[i];
      if (std::int64_t(f.weight.size()) != nw || std::int64_t(f.bias.size()) != l.out.c)
        throw InputError(lw + ": float weight/bias sizes do not match the network");
      if (f.bn_scale.size() != f.bn_shift.size() || (!f.bn_scale.empty() && f.bn_scale.size() != std::size_t(G)))
        throw InputError(lw + ": per-width batch norm must have one scale and shift vector per width");
      for (std::size_t k = 0; k < f.bn_scale.size(); ++k)
        if (std::int64_t(f.bn_scale[k].size()) != l.out.c || std::int64_t(f.bn_shift[k].size()) != l.out.c)
          throw InputError(lw + ": per-width batch norm vectors must have one value per output channel");
      // A NaN or infinite float weight makes the float reference (and any accuracy) silently NaN.
      auto finite = [](const std::vector<float>& v) {
        return std::all_of(v.begin(), v.end(), [](float x) { return std::isfinite(x); });
      };
      bool ok = finite(f.weight) && finite(f.bias);
      for (std::size_t k = 0; k < f.bn_scale.size(); ++k) ok = ok && finite(f.bn_scale[k]) && finite(f.bn_shift[k]);
      if (!ok) throw InputError(lw + ": a float weight, bias or batch-norm value is NaN or infinite");
    }
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
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    QuantLayerParams& q = qn.quant_params[i];
    if (l.kind == LayerKind::Add || l.kind == LayerKind::Concat) {
      // Keep the first input's scale: a sum of two ±1 tensors stays in range after the clamp.
      q.out_shift = qn.tensor_shift(l.in_ids[0]);
      continue;
    }
    if (!l.has_weights()) continue;
    const int act_shift = qn.tensor_shift(l.in_ids[0]);
    std::vector<std::int16_t> w(std::size_t(full_weight_count(l)));
    for (auto& v : w) v = static_cast<std::int16_t>(wdist(rng));
    q.weight = std::move(w);
    // Weights are ~uniform in ±2^(bits-1): w_shift = bits-1 makes them ≈ ±1.0. A dot product of
    // K such terms grows like sqrt(K); shift that away so activations neither saturate nor vanish.
    const std::int64_t k = full_weight_count(l) / l.out.c;
    const int growth = int(std::lround(std::log2(std::sqrt(double(k)))));
    q.in_shift = act_shift;
    q.w_shift = bits - 1 + growth;
    q.out_shift = act_shift;
    const int rs = q.requant_shift();
    std::uniform_int_distribution<std::int32_t> bdist(-(1 << std::min(rs + bits - 2, 30)), 1 << std::min(rs + bits - 2, 30));
    q.bias.resize(std::size_t(l.out.c));
    for (auto& b : q.bias) b = bdist(rng);
  }
  return qn;
}

}  // namespace rcsim
