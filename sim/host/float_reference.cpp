// Float inference in plain C++: the layer semantics of int_reference_naive.cpp with real numbers
// (zero padding, ReLU, max-pool, CHW flatten before fc), float32 throughout.
#include "host/float_reference.h"

#include <algorithm>
#include <cstring>
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

// Per channel group: the group's active inputs unrolled into a K×N matrix (im2col: row k =
// (input channel, ky, kx) in that order, column n = output pixel, 0 where the tap falls in the
// padding), then each output row accumulates bias + Σ_k w_k · col_k in k order — the same
// per-output summation order as a direct loop, computed in register blocks of four output
// channels × eight pixels (vectorizable; each col row loaded once per block).
constexpr std::size_t kOuts = 4, kPix = 8;  // register block: output channels × pixels
// Four floats as one SIMD value (GCC/Clang vector extension: SSE on x86-64, NEON on ARM, scalar
// code elsewhere); lane-wise a·b + c is the same float arithmetic as the scalar loop.
typedef float V4 __attribute__((vector_size(16)));

std::vector<float> conv(const QuantizedNetwork& qn, std::size_t i, int k, const std::vector<float>& x) {
  const Network& net = qn.net;
  const Layer& l = net.layers[i];
  const FloatLayerParams& f = qn.float_params[i];
  const Shape3 in = net.in_shape(i, k);
  const Shape3 out = net.out_shape(i, k);
  const int sh = l.stride_h, sw = l.stride_w, per = l.in.c / l.groups, outs_per = l.out.c / l.groups;
  const auto& ins = net.active_channels(l.in_ids[0], k);
  const auto& outs = net.active_channels(int(i), k);
  const std::size_t N = std::size_t(out.h) * std::size_t(out.w), taps = std::size_t(l.kernel_h) * l.kernel_w;
  std::vector<float> y(std::size_t(out.size()));
  thread_local std::vector<float> col;
  std::size_t o = 0;
  while (o < outs.size()) {
    // The run of active outputs in one channel group, and that group's active inputs.
    const int g = outs[o] / outs_per;
    std::size_t o_end = o;
    while (o_end < outs.size() && outs[o_end] / outs_per == g) ++o_end;
    std::vector<std::size_t> in_pos;  // positions in `ins` (and x) of the group's inputs
    for (std::size_t p = 0; p < ins.size(); ++p)
      if (ins[p] >= g * per && ins[p] < (g + 1) * per) in_pos.push_back(p);
    const std::size_t K = in_pos.size() * taps;
    col.assign(K * N, 0.0f);
    for (std::size_t q = 0; q < in_pos.size(); ++q) {
      const float* src = x.data() + in_pos[q] * std::size_t(in.h) * in.w;
      for (int ky = 0; ky < l.kernel_h; ++ky)
        for (int kx = 0; kx < l.kernel_w; ++kx) {
          float* dst = col.data() + (q * taps + std::size_t(ky) * l.kernel_w + kx) * N;
          const auto [ylo, yhi] = valid_range(ky - l.pad_top, in.h, sh, out.h);
          const auto [xlo, xhi] = valid_range(kx - l.pad_left, in.w, sw, out.w);
          for (int oy = ylo; oy < yhi; ++oy) {
            const float* row = src + std::size_t(oy * sh + ky - l.pad_top) * in.w;
            const int off = kx - l.pad_left;
            for (int ox = xlo; ox < xhi; ++ox) dst[std::size_t(oy) * out.w + ox] = row[ox * sw + off];
          }
        }
    }
    // Weight of output channel oc at col row (q, ky, kx).
    auto weight = [&](int oc, std::size_t q, std::size_t t) {
      const std::size_t ic = std::size_t(ins[in_pos[q]] - g * per);
      return f.weight[(std::size_t(oc) * per + ic) * taps + t];
    };
    for (; o < o_end; o += kOuts) {
      const std::size_t nb = std::min<std::size_t>(kOuts, o_end - o);
      // The block's weights packed in col-row order; missing outputs of a short block repeat
      // the last one (computed, not stored).
      thread_local std::vector<float> wpack;
      wpack.resize(kOuts * K);
      float bias[kOuts];
      for (std::size_t b = 0; b < kOuts; ++b) {
        const int oc = outs[o + std::min(b, nb - 1)];
        bias[b] = f.bias[std::size_t(oc)];
        for (std::size_t q = 0; q < in_pos.size(); ++q)
          for (std::size_t t = 0; t < taps; ++t) wpack[b * K + q * taps + t] = weight(oc, q, t);
      }
      // kOuts × kPix sums stay in registers over all K col rows.
      std::size_t n0 = 0;
      for (; n0 + kPix <= N; n0 += kPix) {
        V4 acc[kOuts][kPix / 4];
        for (std::size_t b = 0; b < kOuts; ++b)
          for (std::size_t j = 0; j < kPix / 4; ++j) acc[b][j] = V4{bias[b], bias[b], bias[b], bias[b]};
        const float* c = col.data() + n0;
        for (std::size_t kk = 0; kk < K; ++kk, c += N) {
          V4 cv[kPix / 4];
          for (std::size_t j = 0; j < kPix / 4; ++j) std::memcpy(&cv[j], c + 4 * j, sizeof(V4));
          for (std::size_t b = 0; b < kOuts; ++b) {
            const float w = wpack[b * K + kk];
            const V4 wv = {w, w, w, w};
            for (std::size_t j = 0; j < kPix / 4; ++j) acc[b][j] += wv * cv[j];
          }
        }
        for (std::size_t b = 0; b < nb; ++b)
          for (std::size_t j = 0; j < kPix / 4; ++j) std::memcpy(&y[(o + b) * N + n0 + 4 * j], &acc[b][j], sizeof(V4));
      }
      for (; n0 < N; ++n0)
        for (std::size_t b = 0; b < nb; ++b) {
          float a = bias[b];
          for (std::size_t kk = 0; kk < K; ++kk) a += wpack[b * K + kk] * col[kk * N + n0];
          y[(o + b) * N + n0] = a;
        }
      for (std::size_t b = 0; b < nb; ++b) {
        float* row = y.data() + (o + b) * N;
        for (std::size_t n = 0; n < N; ++n) row[n] = finish(qn, i, k, outs[o + b], row[n]);
      }
    }
    o = o_end;
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
  // Each output sums bias + Σ_j in j order; four outputs at a time give four independent
  // dependency chains (the same sums, computed side by side).
  std::size_t o = 0;
  for (; o + 4 <= outs.size(); o += 4) {
    const float* w0 = f.weight.data() + std::size_t(outs[o]) * l.in.c;
    const float* w1 = f.weight.data() + std::size_t(outs[o + 1]) * l.in.c;
    const float* w2 = f.weight.data() + std::size_t(outs[o + 2]) * l.in.c;
    const float* w3 = f.weight.data() + std::size_t(outs[o + 3]) * l.in.c;
    float a0 = f.bias[std::size_t(outs[o])], a1 = f.bias[std::size_t(outs[o + 1])],
          a2 = f.bias[std::size_t(outs[o + 2])], a3 = f.bias[std::size_t(outs[o + 3])];
    for (std::size_t j = 0; j < features.size(); ++j) {
      const std::size_t fj = std::size_t(features[j]);
      const float v = x[j];
      a0 += w0[fj] * v;
      a1 += w1[fj] * v;
      a2 += w2[fj] * v;
      a3 += w3[fj] * v;
    }
    y[o] = finish(qn, i, k, outs[o], a0);
    y[o + 1] = finish(qn, i, k, outs[o + 1], a1);
    y[o + 2] = finish(qn, i, k, outs[o + 2], a2);
    y[o + 3] = finish(qn, i, k, outs[o + 3], a3);
  }
  for (; o < outs.size(); ++o) {
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
