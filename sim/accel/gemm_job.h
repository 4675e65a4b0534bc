#pragma once
// One GEMM the array executes: out[m][n] = bias[n] + Σ_k W[k][n]·X[m][k], with X read from the
// activation buffer. Dataflow plug-ins (sim/accel/dataflow/) see only this, never a network
// node: a dense conv/fc node at width k is one job, a grouped or depthwise conv one job per
// channel group (mapper/node_jobs.h, accel/layer_operands.h).
//
// X is not stored as an im2col table (M·K addresses: ~7 MB for a 112×112 output of a 7×7×3
// conv) but as the window geometry (OperandGather): per reduction row its channel plane and
// window offset, per output pixel its window origin — K + M entries.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "accel/job_weights.h"
#include "mapper/gemm_view.h"
#include "mapper/node_jobs.h"

namespace rcsim {

/// Activation address of GEMM operand X[m][k] from the window geometry: the input element at
/// row oy0[m] + dy[k], column ox0[m] + dx[k] of plane base[k]; outside the plane it is zero
/// padding (−1: generated, never read). An fc reads its compact input: base[k] = k, one pixel.
struct OperandGather {
  int in_h = 1, in_w = 1;
  std::vector<std::int32_t> base;  ///< [K]: first address of row k's channel plane (fc: the feature)
  std::vector<std::int16_t> dy, dx;  ///< [K]: window offset − pad
  /// [M]: stride · output row / column; shared by a node's jobs (same output pixels).
  std::shared_ptr<const std::vector<std::int32_t>> oy0, ox0;

  std::int32_t addr(std::int64_t m, std::int64_t k) const {
    const int iy = (*oy0)[std::size_t(m)] + dy[std::size_t(k)], ix = (*ox0)[std::size_t(m)] + dx[std::size_t(k)];
    if (unsigned(iy) >= unsigned(in_h) || unsigned(ix) >= unsigned(in_w)) return -1;
    return base[std::size_t(k)] + iy * in_w + ix;
  }
};

struct GemmJob {
  GemmView g;                       ///< M, K, N
  /// W transposed, column n = output channel: w(k, n). A view of the node's weights (shared with
  /// the node's other tiles; accel/job_weights.h), int8 or int16 storage.
  JobWeights w;
  std::vector<std::int32_t> bias;   ///< [N]
  OperandGather x;                  ///< X[m][k] → activation address
  std::vector<std::int64_t> inbounds_per_k;  ///< [K]: number of m whose X[m][k] is not padding
  /// Where W lives in the weight SRAM (its reads are counted per bank): rows and columns of W
  /// as rows of the node's weight matrix and width groups (mapper/weight_layout.h).
  JobWeightRows rows;
  std::vector<int> out_pos;         ///< [N]: column n is channel out_pos[n] of the node's (compact) output

  std::int32_t W(std::int64_t k, std::int64_t n) const { return w(k, n); }
  std::int32_t X(const std::vector<std::int32_t>& in, std::int64_t m, std::int64_t k) const {
    const std::int32_t a = x.addr(m, k);
    return a < 0 ? 0 : in[std::size_t(a)];
  }
};

}  // namespace rcsim
