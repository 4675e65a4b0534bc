// The integer reference written as plain loops over the definition in core/int_arith.h. This file
// is the specification of what the accelerator computes; keep it obvious rather than fast.
//
// Tensors at width k are compact: only the active channels (Network::active_channels), in
// increasing full-width channel order, each a CHW plane. Weights and per-channel parameters are
// indexed by full-width channel numbers.
#include <limits>

#include "core/errors.h"
#include "core/int_arith.h"
#include "host/int_reference.h"
#include "host/int_reference_checks.h"

namespace rcsim {

namespace {

using Tensor = std::vector<std::int32_t>;

/// What the post-processing unit does with output channel n's finished accumulator: hidden
/// layers requantize (rounding shift or per-channel scale, activation clamp, saturation); the
/// classifier hands out the int32 accumulator.
std::int32_t finish(const QuantizedNetwork& qn, std::size_t i, int k, int n, std::int32_t acc) {
  const Layer& l = qn.net.layers[i];
  if (l.is_classifier) return acc;
  const QuantLayerParams& q = qn.quant_params[i];
  const std::int32_t lo = qn.out_lo(i), hi = qn.out_hi(i);
  if (const PostScale* p = q.post_of(k))
    return arith::requantize_affine(acc, p->mult[std::size_t(n)], p->add[std::size_t(n)], p->shift[std::size_t(n)], lo, hi);
  return arith::requantize_affine(acc, 1, 0, q.requant_shift(), lo, hi);
}

/// Compact position of each full-width channel of tensor t at width k (−1: inactive).
std::vector<int> positions(const Network& net, int t, int k) {
  std::vector<int> pos(std::size_t(net.tensor_shape(t).c), -1);
  const auto& act = net.active_channels(t, k);
  for (std::size_t j = 0; j < act.size(); ++j) pos[std::size_t(act[j])] = int(j);
  return pos;
}

Tensor conv(const QuantizedNetwork& qn, std::size_t i, int k, const Tensor& x) {
  const Network& net = qn.net;
  const Layer& l = net.layers[i];
  const QuantLayerParams& q = qn.quant_params[i];
  const Shape3 in = net.in_shape(i, k), out = net.out_shape(i, k);
  const std::vector<int> pos = positions(net, l.in_ids[0], k);
  const int per = l.in.c / l.groups, outs_per = l.out.c / l.groups;
  Tensor y(std::size_t(out.size()));
  const auto& outs = net.active_channels(int(i), k);
  for (std::size_t o = 0; o < outs.size(); ++o) {
    const int n = outs[o], g = n / outs_per;
    for (int oy = 0; oy < out.h; ++oy)
      for (int ox = 0; ox < out.w; ++ox) {
        std::int32_t acc = q.bias[std::size_t(n)];
        // Output n reads the active input channels of its own channel group (all of them: groups 1).
        for (int c = g * per; c < (g + 1) * per; ++c) {
          const int p = pos[std::size_t(c)];
          if (p < 0) continue;  // inactive at width k: its weights belong to a later group
          for (int ky = 0; ky < l.kernel_h; ++ky)
            for (int kx = 0; kx < l.kernel_w; ++kx) {
              const int iy = oy * l.stride_h + ky - l.pad_top;
              const int ix = ox * l.stride_w + kx - l.pad_left;
              // Zero padding: the pad value is the integer 0, so w·0 leaves acc unchanged.
              if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
              // Full-width layout [out][in/groups][kh][kw].
              const std::int32_t w =
                  q.weight[((std::size_t(n) * per + std::size_t(c - g * per)) * l.kernel_h + ky) * l.kernel_w + kx];
              acc = arith::mac(acc, w, x[(std::size_t(p) * in.h + iy) * in.w + ix]);
            }
        }
        y[(o * out.h + oy) * out.w + ox] = finish(qn, i, k, n, acc);
      }
  }
  return y;
}

Tensor pool(const QuantizedNetwork& qn, std::size_t i, int k, const Tensor& x) {
  const Layer& l = qn.net.layers[i];
  const Shape3 in = qn.net.in_shape(i, k), out = qn.net.out_shape(i, k);
  const bool avg = l.kind == LayerKind::AvgPool;
  Tensor y(std::size_t(out.size()));
  for (int c = 0; c < out.c; ++c)
    for (int oy = 0; oy < out.h; ++oy)
      for (int ox = 0; ox < out.w; ++ox) {
        std::int32_t m = std::numeric_limits<std::int32_t>::min();
        std::int64_t sum = 0, count = 0;
        for (int ky = 0; ky < l.kernel_h; ++ky)
          for (int kx = 0; kx < l.kernel_w; ++kx) {
            const int iy = oy * l.stride_h + ky - l.pad_top;
            const int ix = ox * l.stride_w + kx - l.pad_left;
            // A padded position takes no part in the max (as in PyTorch) and counts in an average's
            // divisor only with count_include_pad (PyTorch's AvgPool2d default).
            const bool inside = iy >= 0 && iy < in.h && ix >= 0 && ix < in.w;
            if (avg && (inside || l.count_include_pad)) ++count;
            if (!inside) continue;
            const std::int32_t v = x[(std::size_t(c) * in.h + iy) * in.w + ix];
            if (v > m) m = v;
            sum += v;
          }
        y[(std::size_t(c) * out.h + oy) * out.w + ox] =
            avg ? arith::clamp64(arith::round_div(sum, count), arith::qmin(qn.bits), arith::qmax(qn.bits)) : m;
      }
  return y;
}

Tensor fc(const QuantizedNetwork& qn, std::size_t i, int k, const Tensor& x) {
  const Layer& l = qn.net.layers[i];
  const QuantLayerParams& q = qn.quant_params[i];
  // The input flattened (CHW): the active channels' planes; weights are indexed by full feature.
  const std::vector<int> features = qn.net.active_features(i, k);
  const auto& outs = qn.net.active_channels(int(i), k);
  Tensor y(outs.size());
  for (std::size_t o = 0; o < outs.size(); ++o) {
    const int n = outs[o];
    std::int32_t acc = q.bias[std::size_t(n)];
    for (std::size_t j = 0; j < features.size(); ++j)
      acc = arith::mac(acc, q.weight[std::size_t(n) * std::size_t(l.in.c) + std::size_t(features[j])], x[j]);
    y[o] = finish(qn, i, k, n, acc);
  }
  return y;
}

Tensor add(const QuantizedNetwork& qn, std::size_t i, const Tensor& a, const Tensor& b) {
  const Layer& l = qn.net.layers[i];
  const int sa = qn.tensor_shift(l.in_ids[0]), sb = qn.tensor_shift(l.in_ids[1]);
  const int so = qn.quant_params[i].out_shift;
  Tensor y(a.size());
  // The operands' active channels are coupled (one width split), so element j of a and of b is
  // the same channel and pixel.
  for (std::size_t j = 0; j < a.size(); ++j) y[j] = arith::add_requant(a[j], sa, b[j], sb, so, qn.out_lo(i), qn.out_hi(i));
  return y;
}

Tensor concat(const QuantizedNetwork& qn, std::size_t i, const std::vector<const Tensor*>& xs) {
  const Layer& l = qn.net.layers[i];
  const int so = qn.quant_params[i].out_shift;
  Tensor y;
  // Each input's active channels, in input order: exactly the output's active channels.
  for (std::size_t j = 0; j < xs.size(); ++j) {
    const int s = qn.tensor_shift(l.in_ids[j]);
    for (std::int32_t v : *xs[j]) y.push_back(arith::clamp64(arith::rescale(v, s, so), arith::qmin(qn.bits), arith::qmax(qn.bits)));
  }
  return y;
}

Tensor act(const QuantizedNetwork& qn, std::size_t i, const Tensor& x) {
  Tensor y(x.size());
  for (std::size_t j = 0; j < x.size(); ++j) y[j] = arith::clamp64(x[j], qn.out_lo(i), qn.out_hi(i));
  return y;
}

}  // namespace

std::vector<std::int32_t> int_node_forward_naive(const QuantizedNetwork& qn, std::size_t i, int k,
                                                 const std::vector<const std::vector<std::int32_t>*>& inputs) {
  detail::check_quantized_sizes(qn);
  detail::check_node_inputs(qn, i, k, inputs);
  const Tensor& x = *inputs[0];
  switch (qn.net.layers[i].kind) {
    case LayerKind::Conv: return conv(qn, i, k, x);
    case LayerKind::MaxPool:
    case LayerKind::AvgPool: return pool(qn, i, k, x);
    case LayerKind::Fc: return fc(qn, i, k, x);
    case LayerKind::Add: return add(qn, i, x, *inputs[1]);
    case LayerKind::Concat: return concat(qn, i, inputs);
    case LayerKind::Flatten: return x;  // CHW order is the feature order
    case LayerKind::Act: return act(qn, i, x);
    case LayerKind::BatchNorm: break;
  }
  throw InternalError("int_node_forward_naive: unknown layer kind");
}

std::vector<std::int32_t> int_layer_forward_naive(const QuantizedNetwork& qn, std::size_t i, int k,
                                                  const std::vector<std::int32_t>& input) {
  return int_node_forward_naive(qn, i, k, {&input});
}

std::vector<std::vector<std::int32_t>> int_forward_naive(const QuantizedNetwork& qn, int k,
                                                         const std::vector<std::int32_t>& image_q) {
  std::vector<std::vector<std::int32_t>> outs;
  outs.reserve(qn.net.layers.size());
  for (std::size_t i = 0; i < qn.net.layers.size(); ++i) {
    std::vector<const std::vector<std::int32_t>*> in;
    for (int t : qn.net.layers[i].in_ids) in.push_back(t == kNetworkInput ? &image_q : &outs[std::size_t(t)]);
    outs.push_back(int_node_forward_naive(qn, i, k, in));
  }
  return outs;
}

}  // namespace rcsim
