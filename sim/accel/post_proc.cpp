#include "accel/post_proc.h"

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
  std::vector<std::int32_t> y(data ? std::size_t(out.size()) : 0);
  for (int ch = 0; ch < out.c; ++ch)
    for (int oy = 0; oy < out.h; ++oy)
      for (int ox = 0; ox < out.w; ++ox) {
        std::int32_t best = std::numeric_limits<std::int32_t>::min();
        std::int64_t sum = 0, count = 0, seen = 0;
        for (int ky = 0; ky < l.kernel_h; ++ky)
          for (int kx = 0; kx < l.kernel_w; ++kx) {
            const int iy = oy * l.stride_h + ky - l.pad_top, ix = ox * l.stride_w + kx - l.pad_left;
            const bool inside = iy >= 0 && iy < in.h && ix >= 0 && ix < in.w;
            // Padded positions are not read; an average counts them only with count_include_pad.
            if (avg && (inside || l.count_include_pad)) ++count;
            if (!inside) continue;
            ++seen;
            if (!data) continue;
            const std::int32_t v = x[(std::size_t(ch) * in.h + iy) * in.w + ix];
            best = v > best ? v : best;
            sum += v;
          }
        c.act_reads += seen;
        if (avg) {
          c.pool_adds += seen - 1;
          ++c.pool_divides;
        } else {
          c.pool_compares += seen - 1;
        }
        if (data)
          y[(std::size_t(ch) * out.h + oy) * out.w + ox] =
              avg ? arith::clamp64(arith::round_div(sum, count), arith::qmin(bits_), arith::qmax(bits_)) : best;
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
