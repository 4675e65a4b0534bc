#include "accel/post_proc.h"

#include <algorithm>
#include <limits>

#include "core/int_arith.h"

namespace rcsim {

namespace {

/// arith::round_div, in 32-bit arithmetic when the operands allow it (every average pool of
/// int8/int16 activations): the same quotient, without a 64-bit division per output.
std::int32_t round_div_fast(std::int64_t sum, std::int64_t count) {
  const std::uint64_t mag = std::uint64_t(sum >= 0 ? sum : -sum);
  if (mag < (std::uint64_t(1) << 30) && count < (std::int64_t(1) << 29)) {
    const std::uint32_t q = (std::uint32_t(mag) * 2u + std::uint32_t(count)) / (2u * std::uint32_t(count));
    return sum >= 0 ? std::int32_t(q) : -std::int32_t(q);
  }
  return arith::round_div(sum, count);
}

}  // namespace

void PostProc::finish(int node, const std::vector<std::int32_t>& acc, std::int64_t M, std::int64_t N,
                      const PostOp& op) {
  std::vector<std::int32_t>& y = act_out->output(node);
  if (acc.empty()) {
    y.clear();
    return;
  }
  y.resize(std::size_t(M * N));
  // acc is [M][N], y is [N][M]: a transpose, done in blocks of kRows output pixels so that the
  // block of acc stays in L1 while every channel n reads its column of it.
  constexpr std::int64_t kRows = 64;
  for (std::int64_t m0 = 0; m0 < M; m0 += kRows) {
    const std::int64_t m1 = std::min(M, m0 + kRows);
    for (std::int64_t n = 0; n < N; ++n) {
      const std::int32_t* a = acc.data() + std::size_t(n);
      std::int32_t* out = y.data() + std::size_t(n * M);
      if (op.classifier) {  // the classifier keeps int32 logits
        for (std::int64_t m = m0; m < m1; ++m) out[m] = a[std::size_t(m * N)];
        continue;
      }
      // Hidden nodes are requantized per output channel.
      std::int32_t mult = 1, add = 0;
      int shift = op.shift;
      if (op.scale) {
        const std::size_t ch = std::size_t(op.out_channels[std::size_t(n)]);
        mult = op.scale->mult[ch], add = op.scale->add[ch], shift = op.scale->shift[ch];
      }
      const std::int32_t lo = op.lo, hi = op.hi;
      for (std::int64_t m = m0; m < m1; ++m)
        out[m] = arith::requantize_affine(a[std::size_t(m * N)], mult, add, shift, lo, hi);
    }
  }
}

std::int64_t PostProc::pool(int node, const Layer& l, int in_t, const Shape3& in, const Shape3& out,
                            LayerCounters& c) {
  const std::vector<std::int32_t>& x = act_out->tensor(in_t);
  const bool data = !x.empty();
  const bool avg = l.kind == LayerKind::AvgPool;
  // The layer's fields in locals: read through `l` inside the loops they would be reloaded on
  // every element (the stores to y may alias them), which made pooling cost more than fast
  // mode's GEMMs.
  const int kh = l.kernel_h, kw = l.kernel_w, sh = l.stride_h, sw = l.stride_w, pt = l.pad_top, pl = l.pad_left;
  const int in_h = in.h, in_w = in.w, out_h = out.h, out_w = out.w;
  const bool include_pad = l.count_include_pad;
  const std::int32_t lo = arith::qmin(bits_), hi = arith::qmax(bits_);
  std::vector<std::int32_t>& y = act_out->output(node);  // (x stays valid: tensors are node-based)
  y.assign(data ? std::size_t(out.size()) : 0, 0);
  // A window's part inside the input is a rectangle: rows [ky_lo, ky_hi) × columns [kx_lo, kx_hi),
  // the rows set by the output row alone, the columns by the output column alone. Padded
  // positions are not read; an average counts them only with count_include_pad. The counters do
  // not depend on the channel.
  struct Span {
    int lo, hi;  // [lo, hi) of the kernel inside the input
  };
  auto span = [](int o, int stride, int pad, int k, int in) {
    const int i0 = o * stride - pad;
    return Span{std::max(0, -i0), std::min(k, in - i0)};
  };
  std::int64_t seen_total = 0;
  for (int oy = 0; oy < out_h; ++oy) {
    const Span ry = span(oy, sh, pt, kh, in_h);
    for (int ox = 0; ox < out_w; ++ox) {
      const Span rx = span(ox, sw, pl, kw, in_w);
      seen_total += std::int64_t(std::max(0, ry.hi - ry.lo)) * std::max(0, rx.hi - rx.lo);
    }
  }
  if (data) {
    // Channel by channel (each plane read from one place), the column spans computed once.
    thread_local std::vector<Span> cols;
    cols.resize(std::size_t(out_w));
    for (int ox = 0; ox < out_w; ++ox) cols[std::size_t(ox)] = span(ox, sw, pl, kw, in_w);
    for (int ch = 0; ch < out.c; ++ch) {
      const std::int32_t* plane = x.data() + std::size_t(ch) * in_h * in_w;
      std::int32_t* yp = y.data() + std::size_t(ch) * out_h * out_w;
      for (int oy = 0; oy < out_h; ++oy) {
        const Span ry = span(oy, sh, pt, kh, in_h);
        const int iy0 = oy * sh - pt;
        for (int ox = 0; ox < out_w; ++ox) {
          const Span rx = cols[std::size_t(ox)];
          const int ix0 = ox * sw - pl;
          std::int32_t best = std::numeric_limits<std::int32_t>::min();
          std::int64_t sum = 0;
          for (int ky = ry.lo; ky < ry.hi; ++ky) {
            const std::int32_t* row = plane + std::size_t(iy0 + ky) * in_w + ix0;
            for (int kx = rx.lo; kx < rx.hi; ++kx) {
              const std::int32_t v = row[kx];
              best = v > best ? v : best;
              sum += v;
            }
          }
          std::int32_t r = best;
          if (avg) {
            const std::int64_t seen = std::int64_t(std::max(0, ry.hi - ry.lo)) * std::max(0, rx.hi - rx.lo);
            const std::int64_t count = include_pad ? std::int64_t(kh) * kw : seen;
            r = arith::clamp64(round_div_fast(sum, count), lo, hi);
          }
          yp[std::size_t(oy) * out_w + ox] = r;
        }
      }
    }
  }
  const std::int64_t outputs = std::int64_t(out.c) * out_h * out_w;
  c.act_reads += std::int64_t(out.c) * seen_total;
  if (avg) {
    c.pool_adds += std::int64_t(out.c) * seen_total - outputs;
    c.pool_divides += outputs;
  } else {
    c.pool_compares += std::int64_t(out.c) * seen_total - outputs;
  }
  c.act_writes += out.size();
  // One window element per lane per cycle; an average's divider takes one more cycle per window.
  return lane_cycles(out.size(), std::int64_t(l.kernel_h) * l.kernel_w + (avg ? 1 : 0));
}

std::int64_t PostProc::add(int node, const ScaledTensor& a, const ScaledTensor& b, int out_shift, std::int32_t lo,
                           std::int32_t hi, LayerCounters& c) {
  const std::vector<std::int32_t>& xa = act_out->tensor(a.tensor);
  const std::vector<std::int32_t>& xb = act_out->tensor(b.tensor);
  std::vector<std::int32_t>& y = act_out->output(node);
  y.resize(xa.size());
  // The operands' active channels are coupled (one width split): element j of both is the same
  // channel and pixel.
  for (std::size_t j = 0; j < y.size(); ++j) y[j] = arith::add_requant(xa[j], a.shift, xb[j], b.shift, out_shift, lo, hi);
  const std::int64_t n = a.elements;
  c.act_reads += 2 * n;
  c.eltwise_adds += n;
  c.act_writes += n;
  return lane_cycles(n, 1);
}

std::int64_t PostProc::concat(int node, const std::vector<ScaledTensor>& inputs, int out_shift, LayerCounters& c) {
  std::vector<std::int32_t> y;
  std::int64_t n = 0;
  bool data = true;
  for (const ScaledTensor& in : inputs) {
    const std::vector<std::int32_t>& x = act_out->tensor(in.tensor);
    data = data && !x.empty();
    // Each input's active channels in input order are the output's active channels.
    for (std::int32_t v : x)
      y.push_back(arith::clamp64(arith::rescale(v, in.shift, out_shift), arith::qmin(bits_), arith::qmax(bits_)));
    n += in.elements;
  }
  if (!data) y.clear();
  c.act_reads += n;
  c.postproc_ops += n;  // rescale (shift) + saturate: a requantization without bias
  c.act_writes += n;
  act_out->output(node) = std::move(y);
  return lane_cycles(n, 1);
}

std::int64_t PostProc::clamp(int node, const ScaledTensor& in, std::int32_t lo, std::int32_t hi, LayerCounters& c) {
  const std::vector<std::int32_t>& x = act_out->tensor(in.tensor);
  std::vector<std::int32_t>& y = act_out->output(node);
  y.resize(x.size());
  for (std::size_t j = 0; j < y.size(); ++j) y[j] = arith::clamp64(x[j], lo, hi);
  c.act_reads += in.elements;
  c.postproc_ops += in.elements;  // a clamp is the ReLU/saturate stage of a requantization
  c.act_writes += in.elements;
  return lane_cycles(in.elements, 1);
}

}  // namespace rcsim
