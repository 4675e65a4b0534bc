// The fast integer reference: convolutions as im2col + int16 GEMM (one GEMM per channel group;
// depthwise convolutions as direct loops), fully connected layers as GEMV (host/int_gemm.h),
// activations kept as int16 between nodes. Bit-identical to int_reference_naive.cpp (the readable
// definition), which the unit tests check node by node.
#include "host/int_reference.h"

#include <algorithm>
#include <limits>

#include "core/errors.h"
#include "core/int_arith.h"
#include "host/int_gemm.h"
#include "host/int_reference_checks.h"
#include "host/uninitialized_buffer.h"
#include "host/width_invariant.h"

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
    if (!l.is_classifier && q.post.empty() && (q.requant_shift() < 0 || q.requant_shift() > 31))
      throw InputError(who + ": layer '" + l.name + "': requantization shift " +
                       std::to_string(q.requant_shift()) + " out of range 0..31");
    for (const PostScale& p : q.post)
      if (std::int64_t(p.mult.size()) != l.out.c || std::int64_t(p.add.size()) != l.out.c ||
          std::int64_t(p.shift.size()) != l.out.c)
        throw InputError(who + ": layer '" + l.name + "': post-processing scale sizes do not match the network");
  }
}

namespace {

void check_tensor(const QuantizedNetwork& qn, const Layer& l, int k, std::int64_t expected,
                  const std::vector<std::int32_t>& input) {
  if (std::int64_t(input.size()) != expected)
    throw InputError("layer '" + l.name + "' at width " + std::to_string(k) + ": input has " +
                     std::to_string(input.size()) + " values, expected " + std::to_string(expected));
  const auto [lo, hi] = std::minmax_element(input.begin(), input.end());
  if (!input.empty() && (*lo < arith::qmin(qn.bits) || *hi > arith::qmax(qn.bits)))
    throw InputError("layer '" + l.name + "': input value " +
                     std::to_string(*lo < arith::qmin(qn.bits) ? *lo : *hi) + " does not fit " +
                     std::to_string(qn.bits) + " bits");
}
}  // namespace

void check_layer_input(const QuantizedNetwork& qn, std::size_t i, int k, const std::vector<std::int32_t>& input) {
  qn.net.check_width(k);
  if (i >= qn.net.layers.size())
    throw InputError("network '" + qn.net.name + "' has no layer " + std::to_string(i));
  const Layer& l = qn.net.layers[i];
  check_tensor(qn, l, k, qn.net.in_shape(i, k).size(), input);
}

void check_node_inputs(const QuantizedNetwork& qn, std::size_t i, int k,
                       const std::vector<const std::vector<std::int32_t>*>& inputs) {
  qn.net.check_width(k);
  if (i >= qn.net.layers.size())
    throw InputError("network '" + qn.net.name + "' has no layer " + std::to_string(i));
  const Layer& l = qn.net.layers[i];
  if (inputs.size() != l.in_ids.size())
    throw InputError("layer '" + l.name + "': " + std::to_string(inputs.size()) + " inputs given, it takes " +
                     std::to_string(l.in_ids.size()));
  for (std::size_t j = 0; j < inputs.size(); ++j)
    check_tensor(qn, l, k, qn.net.input_shape(i, j, k).size(), *inputs[j]);
}

}  // namespace detail

std::vector<std::int32_t> quantize_image(const QuantizedNetwork& qn, const float* image) {
  std::vector<std::int32_t> q(std::size_t(qn.net.input.size()));
  for (std::size_t j = 0; j < q.size(); ++j) q[j] = arith::quantize_value(image[j], qn.input_shift, qn.bits);
  return q;
}

namespace {

/// Weights [from, from + n) of a node as int16 (its storage is int8 or int16).
void copy_weights(const QuantWeights& w, std::size_t from, std::size_t n, std::int16_t* dst) {
  if (w.int8_storage())
    std::copy_n(w.data8() + from, n, dst);
  else
    std::copy_n(w.data16() + from, n, dst);
}

/// Per-thread buffers reused across calls: the im2col matrix of a CIFAR layer is ~400 KB, and
/// allocating it per call would cost an mmap and page faults every time.
struct Scratch {
  std::vector<std::int16_t> a;     ///< packed weights (active rows × padded K)
  std::vector<std::int16_t> b;     ///< im2col matrix
  std::vector<std::int32_t> bias;  ///< biases of the packed rows
  std::vector<int> idx;            ///< channel or feature indices
  std::vector<std::int32_t> acc;   ///< a batched GEMM's output (outputs × images)
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

using Tensor16 = std::vector<std::int16_t>;

/// The post-processing unit on output channel rows [o0, o0+rows) of node i (each `plane` values
/// long), in place; also writes the int16 copy the next node reads. The classifier keeps its
/// accumulators.
void finish_rows(const QuantizedNetwork& qn, std::size_t i, int k, std::int32_t* y, std::int16_t* y16, std::size_t o0,
                 std::size_t rows, std::size_t plane) {
  const Layer& l = qn.net.layers[i];
  if (l.is_classifier) return;
  const QuantLayerParams& q = qn.quant_params[i];
  const PostScale* p = q.post_of(k);
  if (!p && !l.relu6) {
    // The common case: one shift for the whole node, vectorized.
    intgemm::requantize(y + o0 * plane, y16 + o0 * plane, rows * plane, q.requant_shift(), l.relu, qn.bits);
    return;
  }
  const std::int32_t lo = qn.out_lo(i), hi = qn.out_hi(i);
  const auto& outs = qn.net.active_channels(int(i), k);
  for (std::size_t o = o0; o < o0 + rows; ++o) {
    const std::size_t n = std::size_t(outs[o]);
    const std::int32_t mult = p ? p->mult[n] : 1, add = p ? p->add[n] : 0;
    const int shift = p ? p->shift[n] : q.requant_shift();
    intgemm::requantize_affine(y + o * plane, y16 + o * plane, plane, mult, add, shift, lo, hi);
  }
}

/// Dense and grouped convolution of `count` images (x, y, y16: image after image): per channel
/// group, the group's active outputs × its active inputs as one im2col GEMM per image, the
/// weights packed once for all images.
void conv(const QuantizedNetwork& qn, std::size_t i, int k, const std::int16_t* x, std::int32_t* y, std::int16_t* y16,
          Scratch& s, std::size_t count = 1) {
  const Network& net = qn.net;
  const Layer& l = net.layers[i];
  const QuantLayerParams& q = qn.quant_params[i];
  const Shape3 in = net.in_shape(i, k), out = net.out_shape(i, k);
  const int P = out.h * out.w, khw = l.kernel_h * l.kernel_w;
  const int per = l.in.c / l.groups, outs_per = l.out.c / l.groups;
  const auto& ins = net.active_channels(l.in_ids[0], k);
  const auto& outs = net.active_channels(int(i), k);
  const std::size_t in_size = std::size_t(in.size()), out_size = std::size_t(out.size());
  const intgemm::Window win{l.kernel_h, l.kernel_w, l.stride_h, l.stride_w, l.pad_top, l.pad_left};
  std::size_t o0 = 0, i0 = 0;  // first compact output / input of the current group
  for (int g = 0; g < l.groups && o0 < outs.size(); ++g) {
    std::size_t o1 = o0, i1 = i0;
    while (o1 < outs.size() && outs[o1] < (g + 1) * outs_per) ++o1;
    while (i1 < ins.size() && ins[i1] < (g + 1) * per) ++i1;
    const int M = int(o1 - o0), C = int(i1 - i0), K = C * khw;
    if (M > 0) {
      const int Kp = intgemm::round_up(std::max(K, 1), intgemm::kColAlign);
      // Weight rows of the full-width layout [out][in/groups][kh][kw], keeping the active inputs.
      s.a.assign(std::size_t(M) * Kp, 0);
      s.bias.resize(std::size_t(M));
      for (int m = 0; m < M; ++m) {
        const std::size_t n = std::size_t(outs[o0 + std::size_t(m)]);
        s.bias[std::size_t(m)] = q.bias[n];
        for (int c = 0; c < C; ++c)
          copy_weights(q.weight, (n * per + std::size_t(ins[i0 + std::size_t(c)] - g * per)) * khw, khw,
                       s.a.data() + std::size_t(m) * Kp + std::size_t(c) * khw);
      }
      s.idx.resize(std::size_t(C));
      for (int c = 0; c < C; ++c) s.idx[std::size_t(c)] = int(i0) + c;  // compact planes of this group
      s.b.resize(std::size_t(intgemm::round_up(P, intgemm::kRowAlign)) * Kp);
      for (std::size_t b = 0; b < count; ++b) {
        std::int32_t* yb = y + b * out_size;
        intgemm::im2col(x + b * in_size, in, win, s.idx.data(), C, out.h, out.w, s.b.data(), std::size_t(Kp));
        intgemm::gemm_abt(M, P, std::max(K, 1), s.a.data(), std::size_t(Kp), s.b.data(), std::size_t(Kp),
                          s.bias.data(), yb + o0 * std::size_t(P), std::size_t(P));
        finish_rows(qn, i, k, yb, y16 + b * out_size, o0, std::size_t(M), std::size_t(P));
      }
    }
    o0 = o1, i0 = i1;
  }
}

/// Depthwise convolution (one input channel per output): direct loops, no GEMM worth packing.
void depthwise(const QuantizedNetwork& qn, std::size_t i, int k, const std::int16_t* x, std::int32_t* y,
               std::int16_t* y16) {
  const Network& net = qn.net;
  const Layer& l = net.layers[i];
  const QuantLayerParams& q = qn.quant_params[i];
  const Shape3 in = net.in_shape(i, k), out = net.out_shape(i, k);
  const int mult = l.out.c / l.in.c, khw = l.kernel_h * l.kernel_w;
  const auto& ins = net.active_channels(l.in_ids[0], k);
  const auto& outs = net.active_channels(int(i), k);
  std::size_t p = 0;  // compact position of output n's input channel n / mult
  thread_local std::vector<std::uint32_t> acc;  // one output row's sums
  thread_local std::vector<std::int16_t> w_taps;  // output n's kernel
  for (std::size_t o = 0; o < outs.size(); ++o) {
    const int n = outs[o];
    while (ins[p] != n / mult) ++p;  // coupled: that input is active whenever n is
    const std::int16_t* plane = x + p * std::size_t(in.h) * in.w;
    w_taps.resize(std::size_t(khw));
    copy_weights(q.weight, std::size_t(n) * khw, std::size_t(khw), w_taps.data());
    const std::int16_t* w = w_taps.data();
    // One output row at a time, tap by tap over the outputs the tap reaches (no bounds test per
    // product; the row of sums vectorizes). Wrap-around sums: any order gives the same integers.
    acc.resize(std::size_t(out.w));
    for (int oy = 0; oy < out.h; ++oy) {
      std::fill(acc.begin(), acc.end(), std::uint32_t(q.bias[std::size_t(n)]));
      for (int ky = 0; ky < l.kernel_h; ++ky) {
        const int iy = oy * l.stride_h + ky - l.pad_top;
        if (iy < 0 || iy >= in.h) continue;
        const std::int16_t* row = plane + std::size_t(iy) * in.w;
        for (int kx = 0; kx < l.kernel_w; ++kx) {
          const std::int32_t wk = w[ky * l.kernel_w + kx];
          const int off = kx - l.pad_left, sw = l.stride_w;
          // Outputs ox with 0 ≤ ox·sw + off < in.w.
          const int lo = off >= 0 ? 0 : (-off + sw - 1) / sw;
          const int hi = std::min(out.w, in.w - off <= 0 ? 0 : (in.w - off - 1) / sw + 1);
          if (sw == 1)
            for (int ox = lo; ox < hi; ++ox) acc[std::size_t(ox)] += std::uint32_t(wk * row[ox + off]);
          else
            for (int ox = lo; ox < hi; ++ox) acc[std::size_t(ox)] += std::uint32_t(wk * row[ox * sw + off]);
        }
      }
      std::int32_t* dst = y + (o * std::size_t(out.h) + oy) * out.w;
      for (int ox = 0; ox < out.w; ++ox) dst[ox] = static_cast<std::int32_t>(acc[std::size_t(ox)]);
    }
  }
  finish_rows(qn, i, k, y, y16, 0, outs.size(), std::size_t(out.h) * out.w);
}

void fc(const QuantizedNetwork& qn, std::size_t i, int k, const std::int16_t* x, std::int32_t* y, std::int16_t* y16,
        Scratch& s) {
  const Network& net = qn.net;
  const Layer& l = net.layers[i];
  const QuantLayerParams& q = qn.quant_params[i];
  const auto& outs = net.active_channels(int(i), k);
  const int n_in = net.active_in(i, k), n_out = int(outs.size());
  const bool prefix_in = net.groups_of(l.in_ids[0]).prefix();
  const bool prefix_out = net.groups_of(int(i)).prefix();
  if (prefix_in && prefix_out) {
    // Rows of the full-width [out][in] layout, read in place: width k's inputs are a prefix.
    if (q.weight.int8_storage())
      intgemm::gemv(n_out, n_in, q.weight.data8(), std::size_t(l.in.c), x, q.bias.data(), y);
    else
      intgemm::gemv(n_out, n_in, q.weight.data16(), std::size_t(l.in.c), x, q.bias.data(), y);
  } else {
    const std::vector<int> f = net.active_features(i, k);
    s.a.resize(std::size_t(n_out) * std::size_t(n_in));
    s.bias.resize(std::size_t(n_out));
    for (int o = 0; o < n_out; ++o) {
      const std::size_t n = std::size_t(outs[std::size_t(o)]);
      s.bias[std::size_t(o)] = q.bias[n];
      for (int j = 0; j < n_in; ++j) s.a[std::size_t(o) * n_in + j] = q.weight[n * std::size_t(l.in.c) + std::size_t(f[std::size_t(j)])];
    }
    intgemm::gemv(n_out, n_in, s.a.data(), std::size_t(n_in), x, s.bias.data(), y);
  }
  finish_rows(qn, i, k, y, y16, 0, std::size_t(n_out), 1);
}

/// Fully connected over `count` images at once (x, y, y16: image after image): the active
/// weight rows packed once, the images' features as the rows of one GEMM's B operand.
void fc_batch(const QuantizedNetwork& qn, std::size_t i, int k, const std::int16_t* x, std::int32_t* y,
              std::int16_t* y16, Scratch& s, std::size_t count) {
  const Network& net = qn.net;
  const Layer& l = net.layers[i];
  const QuantLayerParams& q = qn.quant_params[i];
  const auto& outs = net.active_channels(int(i), k);
  const std::vector<int> f = net.active_features(i, k);
  const int n_in = int(f.size()), n_out = int(outs.size());
  const int Kp = intgemm::round_up(std::max(n_in, 1), intgemm::kColAlign);
  const int Np = intgemm::round_up(int(count), intgemm::kRowAlign);
  s.a.assign(std::size_t(n_out) * Kp, 0);
  s.bias.resize(std::size_t(n_out));
  for (int o = 0; o < n_out; ++o) {
    const std::size_t n = std::size_t(outs[std::size_t(o)]);
    s.bias[std::size_t(o)] = q.bias[n];
    for (int j = 0; j < n_in; ++j)
      s.a[std::size_t(o) * Kp + std::size_t(j)] = q.weight[n * std::size_t(l.in.c) + std::size_t(f[std::size_t(j)])];
  }
  s.b.assign(std::size_t(Np) * Kp, 0);
  for (std::size_t b = 0; b < count; ++b) std::copy_n(x + b * n_in, n_in, s.b.data() + b * Kp);
  s.acc.resize(std::size_t(n_out) * count);
  intgemm::gemm_abt(n_out, int(count), std::max(n_in, 1), s.a.data(), std::size_t(Kp), s.b.data(), std::size_t(Kp),
                    s.bias.data(), s.acc.data(), count);
  for (std::size_t b = 0; b < count; ++b) {
    for (int o = 0; o < n_out; ++o) y[b * n_out + std::size_t(o)] = s.acc[std::size_t(o) * count + b];
    finish_rows(qn, i, k, y + b * n_out, y16 + b * n_out, 0, std::size_t(n_out), 1);
  }
}

void maxpool(const QuantizedNetwork& qn, std::size_t i, int k, const std::int16_t* x, std::int32_t* y,
             std::int16_t* y16, Scratch& s) {
  const Layer& l = qn.net.layers[i];
  const Shape3 in = qn.net.in_shape(i, k);
  const Shape3 out = qn.net.out_shape(i, k);
  std::vector<std::int16_t>& colmax = s.b;  // max down the window's rows, per input column
  colmax.resize(std::size_t(in.w));
  for (int c = 0; c < out.c; ++c) {
    const std::int16_t* plane = x + std::size_t(c) * in.h * in.w;
    for (int oy = 0; oy < out.h; ++oy) {
      // Padded positions take no part in the max.
      const int y0 = oy * l.stride_h - l.pad_top;
      const int ylo = std::max(y0, 0), yhi = std::min(y0 + l.kernel_h, in.h);
      std::copy_n(plane + std::size_t(ylo) * in.w, in.w, colmax.data());
      for (int iy = ylo + 1; iy < yhi; ++iy) {
        const std::int16_t* row = plane + std::size_t(iy) * in.w;
        for (int ix = 0; ix < in.w; ++ix) colmax[std::size_t(ix)] = std::max(colmax[std::size_t(ix)], row[ix]);
      }
      for (int ox = 0; ox < out.w; ++ox) {
        const int x0 = ox * l.stride_w - l.pad_left;
        std::int16_t m = INT16_MIN;
        for (int ix = std::max(x0, 0); ix < std::min(x0 + l.kernel_w, in.w); ++ix) m = std::max(m, colmax[std::size_t(ix)]);
        const std::size_t o = (std::size_t(c) * out.h + oy) * out.w + ox;
        y16[o] = m;
        y[o] = m;
      }
    }
  }
}

void avgpool(const QuantizedNetwork& qn, std::size_t i, int k, const std::int16_t* x, std::int32_t* y,
             std::int16_t* y16) {
  const Layer& l = qn.net.layers[i];
  const Shape3 in = qn.net.in_shape(i, k), out = qn.net.out_shape(i, k);
  for (int c = 0; c < out.c; ++c) {
    const std::int16_t* plane = x + std::size_t(c) * in.h * in.w;
    for (int oy = 0; oy < out.h; ++oy)
      for (int ox = 0; ox < out.w; ++ox) {
        const int y0 = oy * l.stride_h - l.pad_top, x0 = ox * l.stride_w - l.pad_left;
        const int ylo = std::max(y0, 0), yhi = std::min(y0 + l.kernel_h, in.h);
        const int xlo = std::max(x0, 0), xhi = std::min(x0 + l.kernel_w, in.w);
        std::int64_t sum = 0;
        for (int iy = ylo; iy < yhi; ++iy)
          for (int ix = xlo; ix < xhi; ++ix) sum += plane[std::size_t(iy) * in.w + ix];
        const std::int64_t count =
            l.count_include_pad ? std::int64_t(l.kernel_h) * l.kernel_w : std::int64_t(yhi - ylo) * (xhi - xlo);
        const std::int32_t v = arith::clamp64(arith::round_div(sum, count), arith::qmin(qn.bits), arith::qmax(qn.bits));
        const std::size_t o = (std::size_t(c) * out.h + oy) * out.w + ox;
        y[o] = v;
        y16[o] = static_cast<std::int16_t>(v);
      }
  }
}

/// Runs node i on the int16 inputs of `count` images (x[j]: input j, image after image, each
/// that input's active-width size); writes its int32 output y and the int16 copy y16 (image after
/// image). Convolutions pack their weights once for all images; fully connected layers of
/// several images run as one GEMM.
void run_node(const QuantizedNetwork& qn, std::size_t i, int k, const std::vector<const std::int16_t*>& x,
              std::int32_t* y, std::int16_t* y16, Scratch& s, std::size_t count = 1) {
  const Layer& l = qn.net.layers[i];
  const std::size_t in_size = std::size_t(qn.net.input_shape(i, 0, k).size());
  const std::size_t out_size = std::size_t(qn.net.out_shape(i, k).size());
  const std::size_t n_all = out_size * count;  // elementwise nodes: every value of every image
  switch (l.kind) {
    case LayerKind::Conv:
      if (l.depthwise())
        for (std::size_t b = 0; b < count; ++b) depthwise(qn, i, k, x[0] + b * in_size, y + b * out_size, y16 + b * out_size);
      else conv(qn, i, k, x[0], y, y16, s, count);
      return;
    case LayerKind::Fc:
      if (count == 1) fc(qn, i, k, x[0], y, y16, s);
      else fc_batch(qn, i, k, x[0], y, y16, s, count);
      return;
    case LayerKind::MaxPool:
      for (std::size_t b = 0; b < count; ++b) maxpool(qn, i, k, x[0] + b * in_size, y + b * out_size, y16 + b * out_size, s);
      return;
    case LayerKind::AvgPool:
      for (std::size_t b = 0; b < count; ++b) avgpool(qn, i, k, x[0] + b * in_size, y + b * out_size, y16 + b * out_size);
      return;
    case LayerKind::Add: {
      const int sa = qn.tensor_shift(l.in_ids[0]), sb = qn.tensor_shift(l.in_ids[1]);
      const int so = qn.quant_params[i].out_shift;
      const std::int32_t lo = qn.out_lo(i), hi = qn.out_hi(i);
      for (std::size_t j = 0; j < n_all; ++j) {
        y[j] = arith::add_requant(x[0][j], sa, x[1][j], sb, so, lo, hi);
        y16[j] = static_cast<std::int16_t>(y[j]);
      }
      return;
    }
    case LayerKind::Concat: {
      const int so = qn.quant_params[i].out_shift;
      std::size_t o = 0;
      for (std::size_t b = 0; b < count; ++b)
        for (std::size_t j = 0; j < x.size(); ++j) {
          const int sj = qn.tensor_shift(l.in_ids[j]);
          const std::size_t nj = std::size_t(qn.net.input_shape(i, j, k).size());
          for (const std::int16_t* v = x[j] + b * nj; v != x[j] + (b + 1) * nj; ++v) {
            y[o] = arith::clamp64(arith::rescale(*v, sj, so), arith::qmin(qn.bits), arith::qmax(qn.bits));
            y16[o] = static_cast<std::int16_t>(y[o]);
            ++o;
          }
        }
      return;
    }
    case LayerKind::Flatten:
      for (std::size_t j = 0; j < n_all; ++j) y[j] = y16[j] = x[0][j];
      return;
    case LayerKind::Act: {
      const std::int32_t lo = qn.out_lo(i), hi = qn.out_hi(i);
      for (std::size_t j = 0; j < n_all; ++j) {
        y[j] = arith::clamp64(x[0][j], lo, hi);
        y16[j] = static_cast<std::int16_t>(y[j]);
      }
      return;
    }
    case LayerKind::BatchNorm: break;
  }
  throw InternalError("int_forward: unknown layer kind");
}

void to_int16(const std::vector<std::int32_t>& v, Tensor16& out) {
  out.resize(v.size());
  // Values were checked to fit qn.bits ≤ 16.
  for (std::size_t j = 0; j < v.size(); ++j) out[j] = static_cast<std::int16_t>(v[j]);
}

}  // namespace

std::vector<std::int32_t> int_node_forward(const QuantizedNetwork& qn, std::size_t i, int k,
                                           const std::vector<const std::vector<std::int32_t>*>& inputs) {
  detail::check_quantized_sizes(qn);
  detail::check_node_inputs(qn, i, k, inputs);
  Scratch& s = scratch();
  std::vector<Tensor16> in16(inputs.size());
  std::vector<const std::int16_t*> x;
  for (std::size_t j = 0; j < inputs.size(); ++j) to_int16(*inputs[j], in16[j]), x.push_back(in16[j].data());
  std::vector<std::int32_t> y(std::size_t(qn.net.out_shape(i, k).size()));
  Tensor16 y16(y.size());
  run_node(qn, i, k, x, y.data(), y16.data(), s);
  return y;
}

std::vector<std::int32_t> int_layer_forward(const QuantizedNetwork& qn, std::size_t i, int k,
                                            const std::vector<std::int32_t>& input) {
  return int_node_forward(qn, i, k, {&input});
}

std::vector<std::vector<std::int32_t>> int_forward(const QuantizedNetwork& qn, int k,
                                                   const std::vector<std::int32_t>& image_q) {
  detail::check_quantized_sizes(qn);
  detail::check_layer_input(qn, 0, k, image_q);
  if (std::int64_t(image_q.size()) != qn.net.input.size())
    throw InputError("image has " + std::to_string(image_q.size()) + " values, network '" + qn.net.name +
                     "' expects " + std::to_string(qn.net.input.size()));
  Scratch& s = scratch();
  const std::size_t L = qn.net.layers.size();
  Tensor16 image16;
  to_int16(image_q, image16);
  // int16 copies of the outputs that later nodes read; each is freed after its last reader.
  std::vector<Tensor16> act(L);
  std::vector<int> last_reader(L, -1);
  for (std::size_t i = 0; i < L; ++i)
    for (int t : qn.net.layers[i].in_ids)
      if (t != kNetworkInput) last_reader[std::size_t(t)] = int(i);
  std::vector<std::vector<std::int32_t>> outs(L);
  std::vector<const std::int16_t*> x;
  for (std::size_t i = 0; i < L; ++i) {
    const Layer& l = qn.net.layers[i];
    x.clear();
    for (int t : l.in_ids) x.push_back(t == kNetworkInput ? image16.data() : act[std::size_t(t)].data());
    const std::size_t n = std::size_t(qn.net.out_shape(i, k).size());
    outs[i].resize(n);
    act[i].resize(n);
    run_node(qn, i, k, x, outs[i].data(), act[i].data(), s);
    for (int t : l.in_ids)
      if (t != kNetworkInput && last_reader[std::size_t(t)] == int(i)) Tensor16().swap(act[std::size_t(t)]);
  }
  return outs;
}

namespace {

using Buffer16 = UninitializedBuffer<std::int16_t>;

/// A batch's images as int16 after checking that every value fits qn.bits.
void images_to_int16(const QuantizedNetwork& qn, const std::int32_t* images_q, std::size_t count, Buffer16& out) {
  const std::size_t values = std::size_t(qn.net.input.size()) * count;
  const auto [lo, hi] = std::minmax_element(images_q, images_q + values);
  if (*lo < arith::qmin(qn.bits) || *hi > arith::qmax(qn.bits))
    throw InputError("image value " + std::to_string(*lo < arith::qmin(qn.bits) ? *lo : *hi) + " does not fit " +
                     std::to_string(qn.bits) + " bits");
  out.resize(values);
  for (std::size_t j = 0; j < values; ++j) out[j] = static_cast<std::int16_t>(images_q[j]);
}

/// The int16 outputs of a run at a wider width kw, reused for the width-invariant nodes
/// (host/width_invariant.h) other than the classifier (whose int32 logits are not kept).
struct WideRun {
  const std::vector<Buffer16>* act = nullptr;
  int kw = 0;
  const std::vector<bool>* invariant = nullptr;
};

/// Runs `count` int16 images at width k: every node's int16 output into act[i] (image after
/// image), the classifier's int32 logits into `logits`. Buffers are reused (kept allocated by the
/// callers between batches: no allocation, no zero-filling per batch).
void forward_batch(const QuantizedNetwork& qn, int k, const Buffer16& image16, std::size_t count,
                   std::vector<Buffer16>& act, UninitializedBuffer<std::int32_t>& y, const WideRun& wide = {}) {
  Scratch& s = scratch();
  const Network& net = qn.net;
  const std::size_t L = net.layers.size();
  act.resize(std::max(act.size(), L));
  std::vector<const std::int16_t*> x;
  for (std::size_t i = 0; i < L; ++i) {
    const Layer& l = net.layers[i];
    const std::size_t n = std::size_t(net.out_shape(i, k).size()) * count;
    act[i].resize(n);
    if (wide.act && (*wide.invariant)[i] && i + 1 < L) {
      // The same values as at width kw: select this width's channels.
      const std::vector<int> pos = positions_at_width(net, int(i), k, wide.kw);
      const std::size_t wide_size = std::size_t(net.out_shape(i, wide.kw).size());
      const std::size_t plane = wide_size / net.active_channels(int(i), wide.kw).size();
      const std::int16_t* src = (*wide.act)[i].data();
      std::int16_t* dst = act[i].data();
      for (std::size_t b = 0; b < count; ++b)
        for (int p : pos) dst = std::copy_n(src + b * wide_size + std::size_t(p) * plane, plane, dst);
      continue;
    }
    x.clear();
    for (int t : l.in_ids) x.push_back(t == kNetworkInput ? image16.data() : act[std::size_t(t)].data());
    y.resize(n);
    run_node(qn, i, k, x, y.data(), act[i].data(), s, count);
  }
}

}  // namespace

std::vector<std::int32_t> int_logits_batch(const QuantizedNetwork& qn, int k, const std::int32_t* images_q,
                                           std::size_t count) {
  detail::check_quantized_sizes(qn);
  qn.net.check_width(k);
  if (count == 0) return {};
  thread_local Buffer16 image16;
  thread_local std::vector<Buffer16> act;
  thread_local UninitializedBuffer<std::int32_t> y;
  images_to_int16(qn, images_q, count, image16);
  forward_batch(qn, k, image16, count, act, y);
  return std::vector<std::int32_t>(y.begin(), y.end());
}

std::vector<std::vector<std::int32_t>> int_logits_widths(const QuantizedNetwork& qn, const std::vector<int>& widths,
                                                         const std::int32_t* images_q, std::size_t count) {
  detail::check_quantized_sizes(qn);
  for (int k : widths) qn.net.check_width(k);
  std::vector<std::vector<std::int32_t>> logits(widths.size());
  if (count == 0 || widths.empty()) return logits;
  thread_local Buffer16 image16;
  thread_local std::vector<Buffer16> wide_act, act;
  thread_local UninitializedBuffer<std::int32_t> y;
  images_to_int16(qn, images_q, count, image16);
  // The widest width first, kept; the others select its width-invariant outputs.
  const std::size_t widest = std::size_t(std::max_element(widths.begin(), widths.end()) - widths.begin());
  const std::vector<bool> invariant = width_invariant_nodes(qn, false);
  forward_batch(qn, widths[widest], image16, count, wide_act, y);
  logits[widest].assign(y.begin(), y.end());
  const WideRun wide{&wide_act, widths[widest], &invariant};
  for (std::size_t w = 0; w < widths.size(); ++w)
    if (w != widest) {
      forward_batch(qn, widths[w], image16, count, act, y, wide);
      logits[w].assign(y.begin(), y.end());
    }
  return logits;
}

}  // namespace rcsim
