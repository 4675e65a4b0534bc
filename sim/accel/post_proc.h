#pragma once
// Post-processing unit on the array's output stream: bias is the accumulator's initial value;
// this unit requantizes (shift, ReLU, saturate; core/int_arith.h) and max-pools.
#include <cstdint>
#include <vector>

#include "accel/counters.h"
#include "core/int_arith.h"
#include "core/network.h"

namespace rcsim {

struct PostProc {
  int bits = 8;
  int lanes = 16;  ///< parallel pool lanes (= array columns)

  /// The classifier keeps int32 logits; hidden layers are requantized.
  std::int32_t finish(std::int32_t acc, int shift, bool relu, bool classifier) const {
    return classifier ? acc : arith::requantize(acc, shift, relu, bits);
  }
  /// Max-pool of an active-width CHW tensor; counts reads, compares and writes.
  std::vector<std::int32_t> pool(const Layer& l, const Shape3& in, const Shape3& out,
                                 const std::vector<std::int32_t>& x, LayerCounters& c) const {
    std::vector<std::int32_t> y(out.size());
    for (int ch = 0; ch < out.c; ++ch)
      for (int oy = 0; oy < out.h; ++oy)
        for (int ox = 0; ox < out.w; ++ox) {
          std::int32_t best = 0;
          bool first = true;
          for (int ky = 0; ky < l.kernel; ++ky)
            for (int kx = 0; kx < l.kernel; ++kx) {
              const int iy = oy * l.stride + ky - l.pad, ix = ox * l.stride + kx - l.pad;
              if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
              const std::int32_t v = x[(std::size_t(ch) * in.h + iy) * in.w + ix];
              ++c.act_reads;
              if (first) best = v, first = false;
              else ++c.pool_compares, best = v > best ? v : best;
            }
          y[(std::size_t(ch) * out.h + oy) * out.w + ox] = best;
        }
    c.act_writes += out.size();
    return y;
  }
  /// Pool cycles: `lanes` windows in parallel, one window element per cycle.
  std::int64_t pool_cycles(const Layer& l, const Shape3& out) const {
    return (out.size() + lanes - 1) / lanes * l.kernel * l.kernel;
  }
};

}  // namespace rcsim
