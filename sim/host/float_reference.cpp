// Float inference in plain C++: the layer semantics of int_reference_naive.cpp with real numbers
// (zero padding, ReLU, max-pool, CHW flatten before fc), float32 throughout.
#include "host/float_reference.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "core/errors.h"
#include "host/uninitialized_buffer.h"
#include "host/width_invariant.h"

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

/// The activation and per-width batch norm of node i's output channel n (full-width index) at
/// width k: y = act(v·scale + shift) (no batch norm: scale 1, shift 0, and v·1 + 0 = v exactly).
struct Finish {
  bool bn = false;
  Activation act = Activation::None;
  const float* scale = nullptr;  ///< [full-width channel] at width k, or null
  const float* shift = nullptr;
  Finish(const QuantizedNetwork& qn, std::size_t i, int k) {
    const Layer& l = qn.net.layers[i];
    act = l.activation();
    if (l.has_weights() && !qn.float_params[i].bn_scale.empty()) {
      bn = true;
      scale = qn.float_params[i].bn_scale[std::size_t(k - 1)].data();
      shift = qn.float_params[i].bn_shift[std::size_t(k - 1)].data();
    }
  }
  /// Finishes n values of channel c in place.
  void row(int c, float* v, std::size_t n) const {
    if (bn) {
      const float a = scale[c], b = shift[c];
      for (std::size_t j = 0; j < n; ++j) v[j] = v[j] * a + b;
    }
    if (act == Activation::Relu6)
      for (std::size_t j = 0; j < n; ++j) v[j] = std::min(std::max(v[j], 0.0f), 6.0f);
    else if (act == Activation::Relu)
      for (std::size_t j = 0; j < n; ++j) v[j] = std::max(v[j], 0.0f);
  }
};

// The float GEMM behind convolutions (im2col) and fully connected layers:
//   C[m·N + n] = bias[m] + Σ_{k<K} A[m·K + k]·B[k·N + n],
// each sum accumulated in k order with separately rounded multiplies and adds (this file is
// compiled with -ffp-contract=off: no FMA), so every output is the float a direct loop over k
// computes, whatever the vector width. Register blocks of 4 rows × 2 vectors of columns; the
// vector width is chosen at run time (AVX-512, AVX2 or the baseline's SSE: same results).
template <int W>
struct FloatVec {
  typedef float type __attribute__((vector_size(4 * W)));
};

template <int W>
inline __attribute__((always_inline)) void gemm_kernel(int M, int N, int K, const float* __restrict A,
                                                       const float* __restrict B, std::size_t ldb,
                                                       const float* __restrict bias, float* __restrict C,
                                                       std::size_t ldc) {
  using V = typename FloatVec<W>::type;
  constexpr int MR = 4, NV = 2, NR = W * NV;
  int n0 = 0;
  // Column blocks outside, row blocks inside: the K×NR block of B stays in L1 while A streams.
  for (; n0 + NR <= N; n0 += NR)
    for (int m0 = 0; m0 < M; m0 += MR) {
      const int mr = std::min(MR, M - m0);
      const float* a[MR];
      V acc[MR][NV];
      for (int r = 0; r < MR; ++r) {
        const int m = m0 + std::min(r, mr - 1);  // a short block repeats its last row (not stored)
        a[r] = A + std::size_t(m) * K;
        for (int j = 0; j < NV; ++j) acc[r][j] = V{} + bias[m];
      }
      const float* b = B + n0;
      for (int kk = 0; kk < K; ++kk, b += ldb) {
        V bv[NV];
        for (int j = 0; j < NV; ++j) std::memcpy(&bv[j], b + W * j, sizeof(V));
        for (int r = 0; r < MR; ++r) {
          const V av = V{} + a[r][kk];
          for (int j = 0; j < NV; ++j) acc[r][j] += av * bv[j];
        }
      }
      for (int r = 0; r < mr; ++r)
        for (int j = 0; j < NV; ++j) std::memcpy(C + std::size_t(m0 + r) * ldc + n0 + W * j, &acc[r][j], sizeof(V));
    }
  if (n0 == N) return;
  if constexpr (W > 4) {
    // The remaining columns with half-width vectors (e.g. a batch of 16 images on AVX-512).
    gemm_kernel<W / 2>(M, N - n0, K, A, B + n0, ldb, bias, C + n0, ldc);
  } else {
    for (; n0 < N; ++n0)
      for (int m = 0; m < M; ++m) {
        const float* a = A + std::size_t(m) * K;
        float acc = bias[m];
        for (int kk = 0; kk < K; ++kk) acc += a[kk] * B[std::size_t(kk) * ldb + n0];
        C[std::size_t(m) * ldc + n0] = acc;
      }
  }
}

void gemm_sse(int M, int N, int K, const float* A, const float* B, const float* bias, float* C) {
  gemm_kernel<4>(M, N, K, A, B, std::size_t(N), bias, C, std::size_t(N));
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx2"))) void gemm_avx2(int M, int N, int K, const float* A, const float* B,
                                               const float* bias, float* C) {
  gemm_kernel<8>(M, N, K, A, B, std::size_t(N), bias, C, std::size_t(N));
}
__attribute__((target("avx512f"))) void gemm_avx512(int M, int N, int K, const float* A, const float* B,
                                                    const float* bias, float* C) {
  gemm_kernel<16>(M, N, K, A, B, std::size_t(N), bias, C, std::size_t(N));
}
#endif

using GemmFn = void (*)(int, int, int, const float*, const float*, const float*, float*);

GemmFn pick_gemm() {
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return gemm_avx512;
  if (__builtin_cpu_supports("avx2")) return gemm_avx2;
#endif
  return gemm_sse;
}

void gemm(int M, int N, int K, const float* A, const float* B, const float* bias, float* C) {
  static const GemmFn fn = pick_gemm();
  fn(M, N, K, A, B, bias, C);
}

/// Per-thread buffers reused across calls (no allocation per image).
struct FloatScratch {
  std::vector<float> col, a, bias, xt, yt;
  std::vector<std::size_t> in_pos;
  std::vector<std::pair<int, int>> ranges;
};

FloatScratch& float_scratch() {
  thread_local FloatScratch s;
  return s;
}

// Per channel group: the group's active inputs unrolled into a K×N matrix (im2col: row k =
// (input channel, ky, kx) in that order, column n = output pixel, 0 where the tap falls in the
// padding), then each output row accumulates bias + Σ_k w_k · col_k in k order (gemm above). The
// group's weights are packed once for all `count` images (x, y: image after image).
void conv(const QuantizedNetwork& qn, std::size_t i, int k, const float* x, float* y, std::size_t count) {
  const Network& net = qn.net;
  const Layer& l = net.layers[i];
  const FloatLayerParams& f = qn.float_params[i];
  const Finish fin(qn, i, k);
  const Shape3 in = net.in_shape(i, k);
  const Shape3 out = net.out_shape(i, k);
  const int sh = l.stride_h, sw = l.stride_w, per = l.in.c / l.groups, outs_per = l.out.c / l.groups;
  const auto& ins = net.active_channels(l.in_ids[0], k);
  const auto& outs = net.active_channels(int(i), k);
  const std::size_t N = std::size_t(out.h) * std::size_t(out.w), taps = std::size_t(l.kernel_h) * l.kernel_w;
  const std::size_t in_size = std::size_t(in.size()), out_size = std::size_t(out.size());
  FloatScratch& s = float_scratch();
  std::size_t o = 0;
  while (o < outs.size()) {
    // The run of active outputs in one channel group, and that group's active inputs.
    const int g = outs[o] / outs_per;
    std::size_t o_end = o;
    while (o_end < outs.size() && outs[o_end] / outs_per == g) ++o_end;
    s.in_pos.clear();  // positions in `ins` (and x) of the group's inputs
    for (std::size_t p = 0; p < ins.size(); ++p)
      if (ins[p] >= g * per && ins[p] < (g + 1) * per) s.in_pos.push_back(p);
    const std::size_t K = s.in_pos.size() * taps, M = o_end - o;
    s.a.resize(M * K);
    s.bias.resize(M);
    for (std::size_t m = 0; m < M; ++m) {
      const std::size_t oc = std::size_t(outs[o + m]);
      s.bias[m] = f.bias[oc];
      for (std::size_t q = 0; q < s.in_pos.size(); ++q) {
        const std::size_t ic = std::size_t(ins[s.in_pos[q]] - g * per);
        std::copy_n(f.weight.data() + (oc * std::size_t(per) + ic) * taps, taps, s.a.data() + m * K + q * taps);
      }
    }
    s.col.assign(K * N, 0.0f);
    // The outputs each tap row reaches (the same for every channel and image).
    s.ranges.resize(std::size_t(l.kernel_h + l.kernel_w));
    for (int ky = 0; ky < l.kernel_h; ++ky) s.ranges[std::size_t(ky)] = valid_range(ky - l.pad_top, in.h, sh, out.h);
    for (int kx = 0; kx < l.kernel_w; ++kx)
      s.ranges[std::size_t(l.kernel_h + kx)] = valid_range(kx - l.pad_left, in.w, sw, out.w);
    for (std::size_t b = 0; b < count; ++b) {
      for (std::size_t q = 0; q < s.in_pos.size(); ++q) {
        const float* src = x + b * in_size + s.in_pos[q] * std::size_t(in.h) * in.w;
        for (int ky = 0; ky < l.kernel_h; ++ky)
          for (int kx = 0; kx < l.kernel_w; ++kx) {
            float* dst = s.col.data() + (q * taps + std::size_t(ky) * l.kernel_w + kx) * N;
            const auto [ylo, yhi] = s.ranges[std::size_t(ky)];
            const auto [xlo, xhi] = s.ranges[std::size_t(l.kernel_h + kx)];
            for (int oy = ylo; oy < yhi; ++oy) {
              const float* row = src + std::size_t(oy * sh + ky - l.pad_top) * in.w;
              const int off = kx - l.pad_left;
              float* d = dst + std::size_t(oy) * out.w;
              if (sw == 1)  // contiguous: a vectorized copy
                for (int ox = xlo; ox < xhi; ++ox) d[ox] = row[ox + off];
              else
                for (int ox = xlo; ox < xhi; ++ox) d[ox] = row[ox * sw + off];
            }
          }
      }
      float* yb = y + b * out_size + o * N;
      gemm(int(M), int(N), int(K), s.a.data(), s.col.data(), s.bias.data(), yb);
      for (std::size_t m = 0; m < M; ++m) fin.row(outs[o + m], yb + m * N, N);
    }
    o = o_end;
  }
}

void pool(const QuantizedNetwork& qn, std::size_t i, int k, const float* x, float* y) {
  const Layer& l = qn.net.layers[i];
  const Shape3 in = qn.net.in_shape(i, k);
  const Shape3 out = qn.net.out_shape(i, k);
  const bool avg = l.kind == LayerKind::AvgPool;
  if (!avg && l.kernel_h == 2 && l.kernel_w == 2 && l.stride_h == 2 && l.stride_w == 2 && l.pad_top == 0 &&
      l.pad_left == 0 && 2 * out.h <= in.h && 2 * out.w <= in.w) {
    // The common 2×2/2 max pool, every window inside the input: the same maxima in the same order.
    for (int c = 0; c < out.c; ++c)
      for (int oy = 0; oy < out.h; ++oy) {
        const float* r0 = x + (std::size_t(c) * in.h + 2 * oy) * in.w;
        const float* r1 = r0 + in.w;
        float* dst = y + (std::size_t(c) * out.h + oy) * out.w;
        for (int ox = 0; ox < out.w; ++ox) {
          const float m = std::max(std::max(-std::numeric_limits<float>::infinity(), r0[2 * ox]), r0[2 * ox + 1]);
          dst[ox] = std::max(std::max(m, r1[2 * ox]), r1[2 * ox + 1]);
        }
      }
    return;
  }
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
}

/// Fully connected over `count` images at once: the images' active features transposed into a
/// K×count matrix, then each output sums bias + Σ_j w_j·x_j in j order (gemm above).
void fc(const QuantizedNetwork& qn, std::size_t i, int k, const float* x, float* y, std::size_t count) {
  const Layer& l = qn.net.layers[i];
  const FloatLayerParams& f = qn.float_params[i];
  const Finish fin(qn, i, k);
  const std::vector<int> features = qn.net.active_features(i, k);
  const auto& outs = qn.net.active_channels(int(i), k);
  const std::size_t M = outs.size(), K = features.size(), N = count;
  FloatScratch& s = float_scratch();
  s.a.resize(M * K);
  s.bias.resize(M);
  for (std::size_t m = 0; m < M; ++m) {
    const float* w = f.weight.data() + std::size_t(outs[m]) * l.in.c;
    s.bias[m] = f.bias[std::size_t(outs[m])];
    for (std::size_t j = 0; j < K; ++j) s.a[m * K + j] = w[features[j]];
  }
  s.xt.resize(K * N);
  for (std::size_t b = 0; b < N; ++b)
    for (std::size_t j = 0; j < K; ++j) s.xt[j * N + b] = x[b * K + j];
  s.yt.resize(M * N);
  gemm(int(M), int(N), int(K), s.a.data(), s.xt.data(), s.bias.data(), s.yt.data());
  for (std::size_t m = 0; m < M; ++m) fin.row(outs[m], s.yt.data() + m * N, N);
  for (std::size_t b = 0; b < N; ++b)
    for (std::size_t m = 0; m < M; ++m) y[b * M + m] = s.yt[m * N + b];
}

float activation(Activation a, float v) {
  if (a == Activation::Relu) return std::max(v, 0.0f);
  if (a == Activation::Relu6) return std::min(std::max(v, 0.0f), 6.0f);
  return v;
}

}  // namespace

namespace {

/// Runs `count` images (image after image, full-width CHW) at width k into `outs`: every node's
/// output, the images one after the other (each its active-width CHW). Vectors already in `outs`
/// are reused (a batch caller keeps them across calls: no allocation, no page faults per batch).
/// The outputs of a run at a wider width kw (`outs`), reused for the nodes whose output is the
/// same at every width (`invariant`, host/width_invariant.h): their channels are selected, not
/// recomputed.
template <class Buffer>
struct WideRun {
  const std::vector<Buffer>* outs = nullptr;
  int kw = 0;
  const std::vector<bool>* invariant = nullptr;
};

/// Copies node i's active channels at width k out of its outputs at width w.kw (count images).
template <class Buffer>
void select_channels(const Network& net, std::size_t i, int k, const WideRun<Buffer>& w, std::size_t count, float* y) {
  const std::vector<int> pos = positions_at_width(net, int(i), k, w.kw);
  const std::size_t wide_size = std::size_t(net.out_shape(i, w.kw).size());
  const std::size_t plane = wide_size / net.active_channels(int(i), w.kw).size();
  const float* src = (*w.outs)[i].data();
  for (std::size_t b = 0; b < count; ++b)
    for (int p : pos) y = std::copy_n(src + b * wide_size + std::size_t(p) * plane, plane, y);
}

template <class Buffer>
void forward(const QuantizedNetwork& qn, int k, const float* images, std::size_t count, std::vector<Buffer>& outs,
             const WideRun<Buffer>& wide = {}) {
  check(qn, k);
  const Network& net = qn.net;
  const std::size_t L = net.layers.size();
  outs.resize(std::max(outs.size(), L));
  for (std::size_t i = 0; i < L; ++i) {
    const Layer& l = net.layers[i];
    auto input = [&](std::size_t j) -> const float* {
      return l.in_ids[j] == kNetworkInput ? images : outs[std::size_t(l.in_ids[j])].data();
    };
    auto in_size = [&](std::size_t j) { return std::size_t(net.input_shape(i, j, k).size()); };
    const std::size_t out_size = std::size_t(net.out_shape(i, k).size());
    Buffer& y = outs[i];
    y.resize(out_size * count);
    if (wide.outs && (*wide.invariant)[i]) {
      select_channels(net, i, k, wide, count, y.data());
      continue;
    }
    switch (l.kind) {
      case LayerKind::Conv: conv(qn, i, k, input(0), y.data(), count); break;
      case LayerKind::MaxPool:
      case LayerKind::AvgPool:
        for (std::size_t b = 0; b < count; ++b) pool(qn, i, k, input(0) + b * in_size(0), y.data() + b * out_size);
        break;
      case LayerKind::Fc: fc(qn, i, k, input(0), y.data(), count); break;
      case LayerKind::Add: {
        const float *a = input(0), *c = input(1);
        for (std::size_t j = 0; j < y.size(); ++j) y[j] = activation(l.activation(), a[j] + c[j]);
        break;
      }
      case LayerKind::Concat: {
        float* dst = y.data();
        for (std::size_t b = 0; b < count; ++b)
          for (std::size_t j = 0; j < l.in_ids.size(); ++j) dst = std::copy_n(input(j) + b * in_size(j), in_size(j), dst);
        break;
      }
      case LayerKind::Flatten: std::copy_n(input(0), y.size(), y.data()); break;
      case LayerKind::Act: {
        const float* a = input(0);
        for (std::size_t j = 0; j < y.size(); ++j) y[j] = activation(l.activation(), a[j]);
        break;
      }
      case LayerKind::BatchNorm: throw InternalError("float_forward: unfolded batchnorm");
    }
  }
}

}  // namespace

std::vector<std::vector<float>> float_forward(const QuantizedNetwork& qn, int k, const float* image) {
  std::vector<std::vector<float>> outs;
  forward(qn, k, image, 1, outs);
  return outs;
}

std::vector<float> float_logits_batch(const QuantizedNetwork& qn, int k, const float* images, std::size_t count) {
  if (count == 0) return {};
  thread_local std::vector<UninitializedBuffer<float>> outs;  // kept allocated between batches
  forward(qn, k, images, count, outs);
  const auto& logits = outs[qn.net.layers.size() - 1];
  return std::vector<float>(logits.begin(), logits.end());
}

std::vector<std::vector<float>> float_logits_widths(const QuantizedNetwork& qn, const std::vector<int>& widths,
                                                    const float* images, std::size_t count) {
  std::vector<std::vector<float>> logits(widths.size());
  if (count == 0 || widths.empty()) return logits;
  // The widest width first, kept; the others select its width-invariant outputs.
  thread_local std::vector<UninitializedBuffer<float>> wide_outs, outs;
  const std::size_t L = qn.net.layers.size();
  const std::size_t widest = std::size_t(std::max_element(widths.begin(), widths.end()) - widths.begin());
  const std::vector<bool> invariant = width_invariant_nodes(qn, true);
  forward(qn, widths[widest], images, count, wide_outs);
  const WideRun<UninitializedBuffer<float>> wide{&wide_outs, widths[widest], &invariant};
  for (std::size_t w = 0; w < widths.size(); ++w) {
    const UninitializedBuffer<float>* out = &wide_outs[L - 1];
    if (w != widest) {
      forward(qn, widths[w], images, count, outs, wide);
      out = &outs[L - 1];
    }
    logits[w].assign(out->begin(), out->end());
  }
  return logits;
}

}  // namespace rcsim
