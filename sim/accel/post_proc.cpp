#include "accel/post_proc.h"

#include <algorithm>
#include <limits>

#include "core/int_arith.h"

namespace rcsim {

void PostProc::finish(int node, const std::vector<std::int32_t>& acc, std::int64_t M, std::int64_t N,
                      const PostOp& op) {
  std::vector<std::int32_t>& y = act_out->output(node);
  if (acc.empty()) {
    y.clear();
    return;
  }
  y.resize(std::size_t(M * N));
  // The classifier keeps int32 logits; hidden nodes are requantized per output channel.
  for (std::int64_t n = 0; n < N; ++n) {
    std::int32_t mult = 1, add = 0;
    int shift = op.shift;
    if (op.scale) {
      const std::size_t ch = std::size_t(op.out_channels[std::size_t(n)]);
      mult = op.scale->mult[ch], add = op.scale->add[ch], shift = op.scale->shift[ch];
    }
    for (std::int64_t m = 0; m < M; ++m) {
      const std::int32_t a = acc[std::size_t(m * N + n)];
      y[std::size_t(n * M + m)] = op.classifier ? a : arith::requantize_affine(a, mult, add, shift, op.lo, op.hi);
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
  const std::int32_t lo = arith::qmin(bits_), hi = arith::qmax(bits_);
  std::vector<std::int32_t> y(data ? std::size_t(out.size()) : 0);
  // A window's part inside the input is a rectangle: rows [ky_lo, ky_hi) × columns [kx_lo, kx_hi).
  // Padded positions are not read; an average counts them only with count_include_pad. The
  // counters do not depend on the channel.
  std::int64_t seen_total = 0;
  for (int oy = 0; oy < out_h; ++oy) {
    const int iy0 = oy * sh - pt;
    const int ky_lo = std::max(0, -iy0), ky_hi = std::min(kh, in_h - iy0);
    for (int ox = 0; ox < out_w; ++ox) {
      const int ix0 = ox * sw - pl;
      const int kx_lo = std::max(0, -ix0), kx_hi = std::min(kw, in_w - ix0);
      const std::int64_t seen = std::int64_t(std::max(0, ky_hi - ky_lo)) * std::max(0, kx_hi - kx_lo);
      seen_total += seen;
      if (!data) continue;
      const std::int64_t count = l.count_include_pad ? std::int64_t(kh) * kw : seen;
      for (int ch = 0; ch < out.c; ++ch) {
        const std::int32_t* plane = x.data() + std::size_t(ch) * in_h * in_w;
        std::int32_t best = std::numeric_limits<std::int32_t>::min();
        std::int64_t sum = 0;
        for (int ky = ky_lo; ky < ky_hi; ++ky) {
          const std::int32_t* row = plane + std::size_t(iy0 + ky) * in_w + ix0;
          for (int kx = kx_lo; kx < kx_hi; ++kx) {
            const std::int32_t v = row[kx];
            best = v > best ? v : best;
            sum += v;
          }
        }
        y[(std::size_t(ch) * out_h + oy) * out_w + ox] = avg ? arith::clamp64(arith::round_div(sum, count), lo, hi) : best;
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
  act_out->output(node) = std::move(y);
  // One window element per lane per cycle; an average's divider takes one more cycle per window.
  return lane_cycles(out.size(), std::int64_t(l.kernel_h) * l.kernel_w + (avg ? 1 : 0));
}

std::int64_t PostProc::add(int node, const ScaledTensor& a, const ScaledTensor& b, int out_shift, std::int32_t lo,
                           std::int32_t hi, LayerCounters& c) {
  const std::vector<std::int32_t>& xa = act_out->tensor(a.tensor);
  const std::vector<std::int32_t>& xb = act_out->tensor(b.tensor);
  std::vector<std::int32_t> y(xa.size());
  // The operands' active channels are coupled (one width split): element j of both is the same
  // channel and pixel.
  for (std::size_t j = 0; j < y.size(); ++j) y[j] = arith::add_requant(xa[j], a.shift, xb[j], b.shift, out_shift, lo, hi);
  const std::int64_t n = a.elements;
  c.act_reads += 2 * n;
  c.eltwise_adds += n;
  c.act_writes += n;
  act_out->output(node) = std::move(y);
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
  std::vector<std::int32_t> y(x.size());
  for (std::size_t j = 0; j < y.size(); ++j) y[j] = arith::clamp64(x[j], lo, hi);
  c.act_reads += in.elements;
  c.postproc_ops += in.elements;  // a clamp is the ReLU/saturate stage of a requantization
  c.act_writes += in.elements;
  act_out->output(node) = std::move(y);
  return lane_cycles(in.elements, 1);
}

}  // namespace rcsim
