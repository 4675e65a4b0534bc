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

std::vector<float> conv(const QuantizedNetwork& qn, std::size_t i, int k, const std::vector<float>& x) {
  const Layer& l = qn.net.layers[i];
  const FloatLayerParams& f = qn.float_params[i];
  const Shape3 in = qn.net.in_shape(i, k);
  const Shape3 out = qn.net.out_shape(i, k);
  const int kk = l.kernel, s = l.stride;
  std::vector<float> y(out.size());
  for (int oc = 0; oc < out.c; ++oc) {
    float* plane = y.data() + std::size_t(oc) * out.h * out.w;
    std::fill(plane, plane + out.h * out.w, f.bias[oc]);
    // Each output still sums bias + Σ w·x in (ic, ky, kx) order, as a per-pixel loop would; the
    // loops are only arranged so the innermost one runs along a row (vectorizable).
    for (int ic = 0; ic < in.c; ++ic) {
      const float* src = x.data() + std::size_t(ic) * in.h * in.w;
      for (int ky = 0; ky < kk; ++ky)
        for (int kx = 0; kx < kk; ++kx) {
          const float w = f.weight[((std::size_t(oc) * l.in.c + ic) * kk + ky) * kk + kx];
          const auto [ylo, yhi] = valid_range(ky - l.pad, in.h, s, out.h);
          const auto [xlo, xhi] = valid_range(kx - l.pad, in.w, s, out.w);
          for (int oy = ylo; oy < yhi; ++oy) {
            const float* row = src + std::size_t(oy * s + ky - l.pad) * in.w;
            float* dst = plane + std::size_t(oy) * out.w;
            const int off = kx - l.pad;
            if (s == 1)
              for (int ox = xlo; ox < xhi; ++ox) dst[ox] += w * row[ox + off];
            else
              for (int ox = xlo; ox < xhi; ++ox) dst[ox] += w * row[ox * s + off];
          }
        }
    }
    if (l.relu)
      for (int j = 0; j < out.h * out.w; ++j) plane[j] = std::max(plane[j], 0.0f);
  }
  return y;
}

std::vector<float> maxpool(const QuantizedNetwork& qn, std::size_t i, int k, const std::vector<float>& x) {
  const Layer& l = qn.net.layers[i];
  const Shape3 in = qn.net.in_shape(i, k);
  const Shape3 out = qn.net.out_shape(i, k);
  std::vector<float> y(out.size());
  for (int c = 0; c < out.c; ++c)
    for (int oy = 0; oy < out.h; ++oy)
      for (int ox = 0; ox < out.w; ++ox) {
        const int y0 = oy * l.stride - l.pad, x0 = ox * l.stride - l.pad;
        float m = -std::numeric_limits<float>::infinity();
        for (int iy = std::max(y0, 0); iy < std::min(y0 + l.kernel, in.h); ++iy)
          for (int ix = std::max(x0, 0); ix < std::min(x0 + l.kernel, in.w); ++ix)
            m = std::max(m, x[(std::size_t(c) * in.h + iy) * in.w + ix]);
        y[(std::size_t(c) * out.h + oy) * out.w + ox] = m;
      }
  return y;
}

std::vector<float> fc(const QuantizedNetwork& qn, std::size_t i, int k, const std::vector<float>& x) {
  const Layer& l = qn.net.layers[i];
  const FloatLayerParams& f = qn.float_params[i];
  const int n_in = qn.net.active_in(i, k);
  const int n_out = qn.net.active_out(i, k);
  std::vector<float> y(n_out);
  for (int o = 0; o < n_out; ++o) {
    const float* w = f.weight.data() + std::size_t(o) * l.in.c;  // width k's inputs: a prefix
    float acc = f.bias[o];
    for (int j = 0; j < n_in; ++j) acc += w[j] * x[j];
    y[o] = l.relu ? std::max(acc, 0.0f) : acc;
  }
  return y;
}

}  // namespace

std::vector<std::vector<float>> float_forward(const QuantizedNetwork& qn, int k, const float* image) {
  check(qn, k);
  std::vector<std::vector<float>> outs;
  outs.reserve(qn.net.layers.size());
  std::vector<float> x(image, image + qn.net.input.size());
  for (std::size_t i = 0; i < qn.net.layers.size(); ++i) {
    const std::vector<float>& in = i == 0 ? x : outs.back();
    switch (qn.net.layers[i].kind) {
      case LayerKind::Conv: outs.push_back(conv(qn, i, k, in)); break;
      case LayerKind::MaxPool: outs.push_back(maxpool(qn, i, k, in)); break;
      case LayerKind::Fc: outs.push_back(fc(qn, i, k, in)); break;
    }
  }
  return outs;
}

}  // namespace rcsim
