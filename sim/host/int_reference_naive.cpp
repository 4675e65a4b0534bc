// The integer reference written as plain loops over the definition in core/int_arith.h. This file
// is the specification of what the accelerator computes; keep it obvious rather than fast.
#include <limits>

#include "core/errors.h"
#include "core/int_arith.h"
#include "host/int_reference.h"
#include "host/int_reference_checks.h"

namespace rcsim {

namespace {

/// What the post-processing unit does with a finished accumulator: hidden layers requantize
/// (rounding shift, ReLU, saturation); the classifier hands out the int32 accumulator.
std::int32_t finish(const QuantizedNetwork& qn, const Layer& l, const QuantLayerParams& q, std::int32_t acc) {
  if (l.is_classifier) return acc;
  return arith::requantize(acc, q.requant_shift(), l.relu, qn.bits);
}

std::vector<std::int32_t> conv(const QuantizedNetwork& qn, std::size_t i, int k, const std::vector<std::int32_t>& x) {
  const Layer& l = qn.net.layers[i];
  const QuantLayerParams& q = qn.quant_params[i];
  const Shape3 in = qn.net.in_shape(i, k);
  const Shape3 out = qn.net.out_shape(i, k);
  const int kk = l.kernel;
  std::vector<std::int32_t> y(out.size());
  for (int oc = 0; oc < out.c; ++oc)
    for (int oy = 0; oy < out.h; ++oy)
      for (int ox = 0; ox < out.w; ++ox) {
        std::int32_t acc = q.bias[oc];
        for (int ic = 0; ic < in.c; ++ic)
          for (int ky = 0; ky < kk; ++ky)
            for (int kx = 0; kx < kk; ++kx) {
              const int iy = oy * l.stride + ky - l.pad;
              const int ix = ox * l.stride + kx - l.pad;
              // Zero padding: the pad value is the integer 0, so w·0 leaves acc unchanged.
              if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
              // Full-width layout [out][in][k][k]: width k uses a prefix of each index.
              const std::int32_t w = q.weight[((std::size_t(oc) * l.in.c + ic) * kk + ky) * kk + kx];
              acc = arith::mac(acc, w, x[(std::size_t(ic) * in.h + iy) * in.w + ix]);
            }
        y[(std::size_t(oc) * out.h + oy) * out.w + ox] = finish(qn, l, q, acc);
      }
  return y;
}

std::vector<std::int32_t> maxpool(const QuantizedNetwork& qn, std::size_t i, int k, const std::vector<std::int32_t>& x) {
  const Layer& l = qn.net.layers[i];
  const Shape3 in = qn.net.in_shape(i, k);
  const Shape3 out = qn.net.out_shape(i, k);
  std::vector<std::int32_t> y(out.size());
  for (int c = 0; c < out.c; ++c)
    for (int oy = 0; oy < out.h; ++oy)
      for (int ox = 0; ox < out.w; ++ox) {
        std::int32_t m = std::numeric_limits<std::int32_t>::min();
        for (int ky = 0; ky < l.kernel; ++ky)
          for (int kx = 0; kx < l.kernel; ++kx) {
            const int iy = oy * l.stride + ky - l.pad;
            const int ix = ox * l.stride + kx - l.pad;
            // Network YAML pools have no padding; a padded position (never the only one, as
            // pad < kernel) would not take part in the max, as in PyTorch.
            if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
            const std::int32_t v = x[(std::size_t(c) * in.h + iy) * in.w + ix];
            if (v > m) m = v;
          }
        y[(std::size_t(c) * out.h + oy) * out.w + ox] = m;
      }
  return y;
}

std::vector<std::int32_t> fc(const QuantizedNetwork& qn, std::size_t i, int k, const std::vector<std::int32_t>& x) {
  const Layer& l = qn.net.layers[i];
  const QuantLayerParams& q = qn.quant_params[i];
  const int n_in = qn.net.active_in(i, k);
  const int n_out = qn.net.active_out(i, k);
  std::vector<std::int32_t> y(n_out);
  for (int o = 0; o < n_out; ++o) {
    std::int32_t acc = q.bias[o];
    // Full-width layout [out][in]; the active inputs (CHW flatten of the first channels) are a prefix.
    for (int j = 0; j < n_in; ++j) acc = arith::mac(acc, q.weight[std::size_t(o) * l.in.c + j], x[j]);
    y[o] = finish(qn, l, q, acc);
  }
  return y;
}

}  // namespace

std::vector<std::int32_t> int_layer_forward_naive(const QuantizedNetwork& qn, std::size_t i, int k,
                                                  const std::vector<std::int32_t>& input) {
  detail::check_quantized_sizes(qn);
  detail::check_layer_input(qn, i, k, input);
  switch (qn.net.layers[i].kind) {
    case LayerKind::Conv: return conv(qn, i, k, input);
    case LayerKind::MaxPool: return maxpool(qn, i, k, input);
    case LayerKind::Fc: return fc(qn, i, k, input);
  }
  throw InternalError("int_layer_forward_naive: unknown layer kind");
}

std::vector<std::vector<std::int32_t>> int_forward_naive(const QuantizedNetwork& qn, int k,
                                                         const std::vector<std::int32_t>& image_q) {
  std::vector<std::vector<std::int32_t>> outs;
  outs.reserve(qn.net.layers.size());
  for (std::size_t i = 0; i < qn.net.layers.size(); ++i)
    outs.push_back(int_layer_forward_naive(qn, i, k, i == 0 ? image_q : outs.back()));
  return outs;
}

}  // namespace rcsim
