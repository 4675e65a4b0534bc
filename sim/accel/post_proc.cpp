#include "accel/post_proc.h"

#include "core/int_arith.h"

namespace rcsim {

void PostProc::finish_layer(const std::vector<std::int32_t>& acc, std::int64_t M, std::int64_t N, int shift,
                            bool relu, bool classifier) {
  std::vector<std::int32_t>& y = act_out->output();
  if (acc.empty()) {
    y.clear();
    return;
  }
  y.resize(std::size_t(M * N));
  // The classifier keeps int32 logits; hidden layers are requantized.
  for (std::int64_t m = 0; m < M; ++m)
    for (std::int64_t n = 0; n < N; ++n) {
      const std::int32_t a = acc[m * N + n];
      y[n * M + m] = classifier ? a : arith::requantize(a, shift, relu, bits_);
    }
}

void PostProc::pool(const Layer& l, const Shape3& in, const Shape3& out, LayerCounters& c) {
  // Timing-only runs have no data: pool zeros (same counters, output discarded).
  const std::vector<std::int32_t>& src = act_out->input();
  const bool no_data = src.empty();
  const std::vector<std::int32_t> zeros(no_data ? in.size() : 0, 0);
  const std::vector<std::int32_t>& x = no_data ? zeros : src;
  std::vector<std::int32_t>& y = act_out->output();
  y.assign(out.size(), 0);
  for (int ch = 0; ch < out.c; ++ch)
    for (int oy = 0; oy < out.h; ++oy)
      for (int ox = 0; ox < out.w; ++ox) {
        std::int32_t best = 0;
        bool first = true;
        for (int ky = 0; ky < l.kernel_h; ++ky)
          for (int kx = 0; kx < l.kernel_h; ++kx) {
            const int iy = oy * l.stride_h + ky - l.pad_top, ix = ox * l.stride_h + kx - l.pad_top;
            if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
            const std::int32_t v = x[(std::size_t(ch) * in.h + iy) * in.w + ix];
            ++c.act_reads;
            if (first) best = v, first = false;
            else ++c.pool_compares, best = v > best ? v : best;
          }
        y[(std::size_t(ch) * out.h + oy) * out.w + ox] = best;
      }
  c.act_writes += out.size();
  if (no_data) y.clear();
}

}  // namespace rcsim
