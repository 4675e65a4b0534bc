// Float inference in plain C++: the layer semantics of int_reference_naive.cpp with real numbers
// (zero padding, ReLU, max-pool, CHW flatten before fc), float32 throughout.
#include "host/float_reference.h"

#include <algorithm>
#include <limits>

#include "core/errors.h"

namespace rcsim {

namespace {

void check(const QuantizedNetwork& qn, int k) {
  qn.net.check_width(k);
  const std::string who = "network '" + qn.net.name + "'";
  if (qn.float_params.size() != qn.net.layers.size())
    throw InputError(who + ": no float weights (float inference needs them; integer-only weights files have none)");
  for (std::size_t i = 0; i < qn.net.layers.size(); ++i) {
    const Layer& l = qn.net.layers[i];
    if (!l.has_weights()) continue;
    const FloatLayerParams& f = qn.float_params[i];
    if (std::int64_t(f.weight.size()) != full_weight_count(l) || std::int64_t(f.bias.size()) != l.out.c)
      throw InputError(who + ": layer '" + l.name + "': float weight/bias sizes do not match the network");
  }
}

/// First output index o with o·stride + off ≥ 0, and one past the last with o·stride + off < n:
/// the outputs whose tap `off` (kernel offset minus pad) lands inside an input row of length n.
std::pair<int, int> valid_range(int off, int n, int stride, int out_n) {
  int lo = off >= 0 ? 0 : (-off + stride - 1) / stride;
  int hi = n - off <= 0 ? 0 : (n - off - 1) / stride + 1;
  return {std::min(lo, out_n), std::min(hi, out_n)};
}

/// The activation and per-width batch norm of output channel n (full-width index) of node i.
float finish(const QuantizedNetwork& qn, std::size_t i, int k, int n, float v) {
  const Layer& l = qn.net.layers[i];
  if (l.has_weights() && !qn.float_params[i].bn_scale.empty()) {
    const std::size_t kk = std::size_t(k - 1), c = std::size_t(n);
    v = v * qn.float_params[i].bn_scale[kk][c] + qn.float_params[i].bn_shift[kk][c];
  }
  if (l.relu6) return std::min(std::max(v, 0.0f), 6.0f);
  if (l.relu) return std::max(v, 0.0f);
  return v;
}

std::vector<float> conv(const QuantizedNetwork& qn, std::size_t i, int k, const std::vector<float>& x) {
  const Network& net = qn.net;
  const Layer& l = net.layers[i];
  const FloatLayerParams& f = qn.float_params[i];
  const Shape3 in = net.in_shape(i, k);
  const Shape3 out = net.out_shape(i, k);
  const int sh = l.stride_h, sw = l.stride_w, per = l.in.c / l.groups, outs_per = l.out.c / l.groups;
  const auto& ins = net.active_channels(l.in_ids[0], k);
  const auto& outs = net.active_channels(int(i), k);
  std::vector<float> y(std::size_t(out.size()));
  for (std::size_t o = 0; o < outs.size(); ++o) {
    const int oc = outs[o], g = oc / outs_per;
    float* plane = y.data() + o * std::size_t(out.h) * out.w;
    std::fill(plane, plane + out.h * out.w, f.bias[std::size_t(oc)]);
    // Each output still sums bias + Σ w·x in (ic, ky, kx) order, as a per-pixel loop would; the
    // loops are only arranged so the innermost one runs along a row (vectorizable).
    for (std::size_t p = 0; p < ins.size(); ++p) {
      const int ic = ins[p];
      if (ic < g * per || ic >= (g + 1) * per) continue;  // another channel group's input
      const float* src = x.data() + p * std::size_t(in.h) * in.w;
      for (int ky = 0; ky < l.kernel_h; ++ky)
        for (int kx = 0; kx < l.kernel_w; ++kx) {
          const float w = f.weight[((std::size_t(oc) * per + std::size_t(ic - g * per)) * l.kernel_h + ky) * l.kernel_w + kx];
          const auto [ylo, yhi] = valid_range(ky - l.pad_top, in.h, sh, out.h);
          const auto [xlo, xhi] = valid_range(kx - l.pad_left, in.w, sw, out.w);
          for (int oy = ylo; oy < yhi; ++oy) {
            const float* row = src + std::size_t(oy * sh + ky - l.pad_top) * in.w;
            float* dst = plane + std::size_t(oy) * out.w;
            const int off = kx - l.pad_left;
            if (sw == 1)
              for (int ox = xlo; ox < xhi; ++ox) dst[ox] += w * row[ox + off];
            else
              for (int ox = xlo; ox < xhi; ++ox) dst[ox] += w * row[ox * sw + off];
          }
        }
    }
    for (int j = 0; j < out.h * out.w; ++j) plane[j] = finish(qn, i, k, oc, plane[j]);
  }
  return y;
}

std::vector<float> pool(const QuantizedNetwork& qn, std::size_t i, int k, const std::vector<float>& x) {
  const Layer& l = qn.net.layers[i];
  const Shape3 in = qn.net.in_shape(i, k);
  const Shape3 out = qn.net.out_shape(i, k);
  const bool avg = l.kind == LayerKind::AvgPool;
  std::vector<float> y(std::size_t(out.size()));
  for (int c = 0; c < out.c; ++c)
    for (int oy = 0; oy < out.h; ++oy)
      for (int ox = 0; ox < out.w; ++ox) {
        const int y0 = oy * l.stride_h - l.pad_top, x0 = ox * l.stride_w - l.pad_left;
        float m = -std::numeric_limits<float>::infinity(), sum = 0;
        const int ylo = std::max(y0, 0), yhi = std::min(y0 + l.kernel_h, in.h);
        const int xlo = std::max(x0, 0), xhi = std::min(x0 + l.kernel_w, in.w);
        for (int iy = ylo; iy < yhi; ++iy)
          for (int ix = xlo; ix < xhi; ++ix) {
            const float v = x[(std::size_t(c) * in.h + iy) * in.w + ix];
            m = std::max(m, v);
            sum += v;
          }
        const float count = l.count_include_pad ? float(l.kernel_h * l.kernel_w) : float((yhi - ylo) * (xhi - xlo));
        y[(std::size_t(c) * out.h + oy) * out.w + ox] = avg ? sum / count : m;
      }
  return y;
}

std::vector<float> fc(const QuantizedNetwork& qn, std::size_t i, int k, const std::vector<float>& x) {
  const Layer& l = qn.net.layers[i];
  const FloatLayerParams& f = qn.float_params[i];
  const std::vector<int> features = qn.net.active_features(i, k);
  const auto& outs = qn.net.active_channels(int(i), k);
  std::vector<float> y(outs.size());
  for (std::size_t o = 0; o < outs.size(); ++o) {
    const int n = outs[o];
    const float* w = f.weight.data() + std::size_t(n) * l.in.c;
    float acc = f.bias[std::size_t(n)];
    for (std::size_t j = 0; j < features.size(); ++j) acc += w[features[j]] * x[j];
    y[o] = finish(qn, i, k, n, acc);
  }
  return y;
}

float activation(Activation a, float v) {
  if (a == Activation::Relu) return std::max(v, 0.0f);
  if (a == Activation::Relu6) return std::min(std::max(v, 0.0f), 6.0f);
  return v;
}

}  // namespace

std::vector<std::vector<float>> float_forward(const QuantizedNetwork& qn, int k, const float* image) {
  check(qn, k);
  const std::size_t L = qn.net.layers.size();
  std::vector<std::vector<float>> outs(L);
  const std::vector<float> x(image, image + qn.net.input.size());
  for (std::size_t i = 0; i < L; ++i) {
    const Layer& l = qn.net.layers[i];
    auto input = [&](std::size_t j) -> const std::vector<float>& {
      return l.in_ids[j] == kNetworkInput ? x : outs[std::size_t(l.in_ids[j])];
    };
    std::vector<float>& y = outs[i];
    switch (l.kind) {
      case LayerKind::Conv: y = conv(qn, i, k, input(0)); break;
      case LayerKind::MaxPool:
      case LayerKind::AvgPool: y = pool(qn, i, k, input(0)); break;
      case LayerKind::Fc: y = fc(qn, i, k, input(0)); break;
      case LayerKind::Add:
        y = input(0);
        for (std::size_t j = 0; j < y.size(); ++j) y[j] = activation(l.activation(), y[j] + input(1)[j]);
        break;
      case LayerKind::Concat:
        for (std::size_t j = 0; j < l.in_ids.size(); ++j) y.insert(y.end(), input(j).begin(), input(j).end());
        break;
      case LayerKind::Flatten: y = input(0); break;
      case LayerKind::Act:
        y = input(0);
        for (float& v : y) v = activation(l.activation(), v);
        break;
      case LayerKind::BatchNorm: throw InternalError("float_forward: unfolded batchnorm");
    }
  }
  return outs;
}

}  // namespace rcsim
