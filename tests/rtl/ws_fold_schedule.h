#pragma once
// Per-cycle input streams for a sequence of weight-stationary folds, built exactly as
// docs/pe-array-timing.md prescribes (preload order, row skew, buffer select, overlapped or
// serialized loads), and the edge at which each result appears at the bottom of the array.
// The RTL benches use it to run real GEMMs through the verilated array.
#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "rtl/pe_array_golden.h"

namespace rcsim::rtltest {

struct WsFold {
  std::vector<std::int32_t> w;  ///< [r * cols + c]: W[k0 + r][n0 + c], 0 for unused PEs
  std::vector<std::int32_t> x;  ///< [m * rows + r]: X[m][k0 + r], 0 for unused rows
  /// Pixel slots streamed in order: a pixel index m, or −1 for a bubble (all rows invalid).
  std::vector<int> slots;
};

struct WsResult {
  std::int64_t edge;  ///< after this edge (0-based) psum_out[c] holds the sum
  int fold;
  int m;  ///< pixel, or −1 for a bubble (psum_valid[c] must be low)
  int c;
};

struct WsSchedule {
  std::vector<PeArrayInputs> edges;  ///< inputs applied at each edge
  std::vector<WsResult> results;
};

/// `overlapped`: fold f uses buffer f mod 2 and preloads while fold f−1 computes, as soon as
/// no operand of fold f−2 (same buffer) can still multiply; otherwise load and compute are
/// serialized (scalesim mode: 2R + C + T − 2 cycles per fold).
inline WsSchedule schedule_ws_folds(int rows, int cols, const std::vector<WsFold>& folds,
                                    bool overlapped) {
  struct Times { std::int64_t load, t0, end; };  // end: first edge after the last result
  std::vector<Times> t(folds.size());
  for (std::size_t f = 0; f < folds.size(); ++f) {
    const std::int64_t T = static_cast<std::int64_t>(folds[f].slots.size());
    std::int64_t load = 0, t0 = 0;
    if (!overlapped) {
      load = f == 0 ? 0 : t[f - 1].end;
      t0 = load + rows;
    } else {
      load = f == 0 ? 0 : t[f - 1].load + rows;  // one preload port: loads back to back at most
      if (f >= 2) {
        // Last multiply with buffer f mod 2 by fold f−2: PE(R−1, C−1) at t0 + T − 1 + R − 1 + C − 1.
        const std::int64_t T2 = static_cast<std::int64_t>(folds[f - 2].slots.size());
        load = std::max(load, t[f - 2].t0 + T2 + rows + cols - 2);
      }
      t0 = load + rows;
      if (f >= 1) t0 = std::max(t0, t[f - 1].t0 + static_cast<std::int64_t>(folds[f - 1].slots.size()));
    }
    t[f] = {load, t0, t0 + T + rows + cols - 2};
  }
  std::int64_t total = 0;
  for (const Times& x : t) total = std::max(total, x.end);

  WsSchedule s;
  s.edges.assign(static_cast<std::size_t>(total), PeArrayInputs(rows, cols));
  for (std::size_t f = 0; f < folds.size(); ++f) {
    const WsFold& fold = folds[f];
    const bool buf = overlapped ? (f % 2) : false;
    for (int j = 0; j < rows; ++j) {
      PeArrayInputs& in = s.edges[t[f].load + j];
      if (in.load) throw std::logic_error("two preloads in one cycle");
      in.load = true;
      in.load_sel = buf;
      for (int c = 0; c < cols; ++c) in.w[c] = fold.w[(rows - 1 - j) * cols + c];
    }
    for (std::size_t p = 0; p < fold.slots.size(); ++p) {
      const int m = fold.slots[p];
      for (int r = 0; r < rows; ++r) {
        PeArrayInputs& in = s.edges[t[f].t0 + static_cast<std::int64_t>(p) + r];
        if (in.act_valid[r]) throw std::logic_error("two operands in one row and cycle");
        in.act_valid[r] = m >= 0;
        in.act_sel[r] = buf;
        in.act[r] = m >= 0 ? fold.x[m * rows + r] : 0;
      }
      for (int c = 0; c < cols; ++c)
        s.results.push_back({t[f].t0 + static_cast<std::int64_t>(p) + rows - 1 + c,
                             static_cast<int>(f), m, c});
    }
  }
  return s;
}

}  // namespace rcsim::rtltest
