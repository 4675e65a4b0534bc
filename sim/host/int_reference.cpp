// The fast integer reference: convolutions as im2col + int16 GEMM, fully connected layers as
// GEMV (host/int_gemm.h), activations kept as int16 between layers. Bit-identical to
// int_reference_naive.cpp (the readable definition), which the unit tests check layer by layer.
#include "host/int_reference.h"

#include <algorithm>

#include "core/errors.h"
#include "core/int_arith.h"
#include "host/int_gemm.h"
#include "host/int_reference_checks.h"

namespace rcsim {

namespace detail {

void check_quantized_sizes(const QuantizedNetwork& qn) {
  const std::string who = "quantized network '" + qn.net.name + "'";
  if (qn.bits != 8 && qn.bits != 16)
    throw InputError(who + ": precision must be 8 or 16 bits (got " + std::to_string(qn.bits) + ")");
  if (qn.quant_params.size() != qn.net.layers.size())
    throw InputError(who + ": quantized parameters for " + std::to_string(qn.quant_params.size()) +
                     " layers, the network has " + std::to_string(qn.net.layers.size()));
  for (std::size_t i = 0; i < qn.net.layers.size(); ++i) {
    const Layer& l = qn.net.layers[i];
    if (!l.has_weights()) continue;
    const QuantLayerParams& q = qn.quant_params[i];
    if (std::int64_t(q.weight.size()) != full_weight_count(l) || std::int64_t(q.bias.size()) != l.out.c)
      throw InputError(who + ": layer '" + l.name + "': quantized weight/bias sizes do not match the network");
    if (!l.is_classifier && (q.requant_shift() < 0 || q.requant_shift() > 31))
      throw InputError(who + ": layer '" + l.name + "': requantization shift " +
                       std::to_string(q.requant_shift()) + " out of range 0..31");
  }
}

void check_layer_input(const QuantizedNetwork& qn, std::size_t i, int k, const std::vector<std::int32_t>& input) {
  qn.net.check_width(k);
  if (i >= qn.net.layers.size())
    throw InputError("network '" + qn.net.name + "' has no layer " + std::to_string(i));
  const Layer& l = qn.net.layers[i];
  const std::int64_t expected = qn.net.in_shape(i, k).size();
  if (std::int64_t(input.size()) != expected)
    throw InputError("layer '" + l.name + "' at width " + std::to_string(k) + ": input has " +
                     std::to_string(input.size()) + " values, expected " + std::to_string(expected));
  const auto [lo, hi] = std::minmax_element(input.begin(), input.end());
  if (!input.empty() && (*lo < arith::qmin(qn.bits) || *hi > arith::qmax(qn.bits)))
    throw InputError("layer '" + l.name + "': input value " +
                     std::to_string(*lo < arith::qmin(qn.bits) ? *lo : *hi) + " does not fit " +
                     std::to_string(qn.bits) + " bits");
}

}  // namespace detail

std::vector<std::int32_t> quantize_image(const QuantizedNetwork& qn, const float* image) {
  std::vector<std::int32_t> q(qn.net.input.size());
  for (std::size_t j = 0; j < q.size(); ++j) q[j] = arith::quantize_value(image[j], qn.input_shift, qn.bits);
  return q;
}

namespace {

/// Per-thread buffers reused across calls: the im2col matrix of a CIFAR layer is ~400 KB, and
/// allocating it per call would cost an mmap and page faults every time.
struct Scratch {
  std::vector<std::int16_t> a;    ///< packed weights (active rows × padded K)
  std::vector<std::int16_t> b;    ///< im2col matrix
  std::vector<std::int16_t> act[2];  ///< int16 activations, ping-pong between layers
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

/// The post-processing unit on a whole layer's accumulators, in place; also writes the int16
/// copy the next layer reads. The classifier keeps its accumulators.
void finish(const QuantizedNetwork& qn, const Layer& l, const QuantLayerParams& q, std::int32_t* y,
            std::int16_t* y16, std::size_t n) {
  if (!l.is_classifier) intgemm::requantize(y, y16, n, q.requant_shift(), l.relu, qn.bits);
}

void conv(const QuantizedNetwork& qn, std::size_t i, int k, const std::int16_t* x, std::int32_t* y,
          std::int16_t* y16, Scratch& s) {
  const Layer& l = qn.net.layers[i];
  const QuantLayerParams& q = qn.quant_params[i];
  const Shape3 in = qn.net.in_shape(i, k);
  const Shape3 out = qn.net.out_shape(i, k);
  const int K = in.c * l.kernel * l.kernel;
  const int Kp = intgemm::round_up(K, intgemm::kColAlign);
  const int P = out.h * out.w;
  const std::size_t full_row = std::size_t(l.in.c) * l.kernel * l.kernel;
  // Weight rows [in][k][k] of the full-width layout: width k's inputs are the first K entries.
  s.a.resize(std::size_t(out.c) * Kp);
  for (int m = 0; m < out.c; ++m) {
    std::copy_n(q.weight.data() + m * full_row, K, s.a.data() + std::size_t(m) * Kp);
    std::fill(s.a.begin() + std::size_t(m) * Kp + K, s.a.begin() + std::size_t(m + 1) * Kp, 0);
  }
  s.b.resize(std::size_t(intgemm::round_up(P, intgemm::kRowAlign)) * Kp);
  intgemm::im2col(x, in, l.kernel, l.stride, l.pad, out.h, out.w, s.b.data(), Kp);
  intgemm::gemm_abt(out.c, P, K, s.a.data(), Kp, s.b.data(), Kp, q.bias.data(), y, P);
  finish(qn, l, q, y, y16, out.size());
}

void fc(const QuantizedNetwork& qn, std::size_t i, int k, const std::int16_t* x, std::int32_t* y,
        std::int16_t* y16) {
  const Layer& l = qn.net.layers[i];
  const QuantLayerParams& q = qn.quant_params[i];
  const int n_out = qn.net.active_out(i, k);
  // Rows of the full-width [out][in] layout, read in place: width k's inputs are a prefix.
  intgemm::gemv(n_out, qn.net.active_in(i, k), q.weight.data(), std::size_t(l.in.c), x, q.bias.data(), y);
  finish(qn, l, q, y, y16, std::size_t(n_out));
}

void maxpool(const QuantizedNetwork& qn, std::size_t i, int k, const std::int16_t* x, std::int32_t* y,
             std::int16_t* y16, Scratch& s) {
  const Layer& l = qn.net.layers[i];
  const Shape3 in = qn.net.in_shape(i, k);
  const Shape3 out = qn.net.out_shape(i, k);
  std::vector<std::int16_t>& colmax = s.b;  // max down the window's rows, per input column
  colmax.resize(in.w);
  for (int c = 0; c < out.c; ++c) {
    const std::int16_t* plane = x + std::size_t(c) * in.h * in.w;
    for (int oy = 0; oy < out.h; ++oy) {
      // Padded positions take no part in the max (network YAML pools have no padding anyway).
      const int y0 = oy * l.stride - l.pad;
      const int ylo = std::max(y0, 0), yhi = std::min(y0 + l.kernel, in.h);
      std::copy_n(plane + std::size_t(ylo) * in.w, in.w, colmax.data());
      for (int iy = ylo + 1; iy < yhi; ++iy) {
        const std::int16_t* row = plane + std::size_t(iy) * in.w;
        for (int ix = 0; ix < in.w; ++ix) colmax[ix] = std::max(colmax[ix], row[ix]);
      }
      for (int ox = 0; ox < out.w; ++ox) {
        const int x0 = ox * l.stride - l.pad;
        std::int16_t m = INT16_MIN;
        for (int ix = std::max(x0, 0); ix < std::min(x0 + l.kernel, in.w); ++ix) m = std::max(m, colmax[ix]);
        const std::size_t o = (std::size_t(c) * out.h + oy) * out.w + ox;
        y16[o] = m;
        y[o] = m;
      }
    }
  }
}

/// Runs layer i on int16 input x; writes its int32 output y and (hidden layers) the int16 copy y16.
void run_layer(const QuantizedNetwork& qn, std::size_t i, int k, const std::int16_t* x, std::int32_t* y,
               std::int16_t* y16, Scratch& s) {
  switch (qn.net.layers[i].kind) {
    case LayerKind::Conv: conv(qn, i, k, x, y, y16, s); return;
    case LayerKind::Fc: fc(qn, i, k, x, y, y16); return;
    case LayerKind::MaxPool: maxpool(qn, i, k, x, y, y16, s); return;
  }
  throw InternalError("int_forward: unknown layer kind");
}

void to_int16(const std::vector<std::int32_t>& v, std::vector<std::int16_t>& out) {
  out.resize(v.size());
  // Values were checked to fit qn.bits ≤ 16.
  for (std::size_t j = 0; j < v.size(); ++j) out[j] = static_cast<std::int16_t>(v[j]);
}

}  // namespace

std::vector<std::int32_t> int_layer_forward(const QuantizedNetwork& qn, std::size_t i, int k,
                                            const std::vector<std::int32_t>& input) {
  detail::check_quantized_sizes(qn);
  detail::check_layer_input(qn, i, k, input);
  Scratch& s = scratch();
  to_int16(input, s.act[0]);
  std::vector<std::int32_t> y(qn.net.out_shape(i, k).size());
  s.act[1].resize(y.size());
  run_layer(qn, i, k, s.act[0].data(), y.data(), s.act[1].data(), s);
  return y;
}

std::vector<std::vector<std::int32_t>> int_forward(const QuantizedNetwork& qn, int k,
                                                   const std::vector<std::int32_t>& image_q) {
  detail::check_quantized_sizes(qn);
  detail::check_layer_input(qn, 0, k, image_q);
  Scratch& s = scratch();
  to_int16(image_q, s.act[0]);
  std::vector<std::vector<std::int32_t>> outs(qn.net.layers.size());
  int cur = 0;
  for (std::size_t i = 0; i < qn.net.layers.size(); ++i) {
    const std::size_t n = qn.net.out_shape(i, k).size();
    outs[i].resize(n);
    s.act[1 - cur].resize(n);
    run_layer(qn, i, k, s.act[cur].data(), outs[i].data(), s.act[1 - cur].data(), s);
    cur = 1 - cur;
  }
  return outs;
}

}  // namespace rcsim
