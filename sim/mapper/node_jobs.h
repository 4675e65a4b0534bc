#pragma once
// How a weighted node (conv / fc) at width k runs on the array: as one or more GEMM jobs, each
// out[m][n] = bias[n] + Σ_k W[k][n]·X[m][k] over COMPACT tensors (at width k a tensor holds only
// its active channels, in increasing channel order; docs/networks.md).
//   dense conv / fc : one job, K = kh·kw·(active inputs) (fc: active features), N = active outputs
//   grouped conv    : one job per channel group with an active output: K = kh·kw·(active inputs
//                     of the group), N = active outputs of the group
//   depthwise conv  : the grouped case with one input per group (K = kh·kw, N = multiplier) —
//                     how a weight/output-stationary array runs it; its low utilization is real
// A job row k is input item k / kk (conv: a channel, kk = kh·kw window offsets; fc: a feature,
// kk = 1) at window offset k mod kk. JobWeightRows says where each row and column of the job's W
// lives in the banked weight SRAM (mapper/weight_layout.h).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/network.h"
#include "mapper/gemm_view.h"

namespace rcsim {

/// Where a job's W[K][N] lives in the weight SRAM: per row, the width group of its input channel
/// and its row of the node's full-width weight matrix (the bank within the group is slot mod
/// banks-per-group); per column, the width group of its output channel. Weight W[k][n] belongs to
/// group max(row_group[k], col_group[n]).
struct JobWeightRows {
  std::vector<std::uint8_t> row_group;  ///< [K]
  std::vector<std::int32_t> row_slot;   ///< [K]: conv: (input channel within its group)·kh·kw + ky·kw + kx; fc: feature
  std::vector<std::uint8_t> col_group;  ///< [N]
};

struct NodeJob {
  GemmView g;
  int kk = 1;                     ///< rows per input item: conv kh·kw, fc 1
  int conv_group = 0;             ///< the conv channel group it computes (0 for dense / fc)
  std::vector<int> in_pos;        ///< [K/kk]: compact position of each input item in the input tensor
                                  ///< (conv: channel; fc: feature index of the flattened compact input)
  std::vector<int> out_channels;  ///< [N]: full-width output channels
  std::vector<int> out_pos;       ///< [N]: compact positions in the node's output tensor
  JobWeightRows rows;
};

/// The jobs of weighted node i at width k, in execution order (InternalError for other kinds).
/// A channel group whose outputs are active but whose inputs are not yet gives a job with K = 0:
/// its outputs are the biases (no array work).
std::vector<NodeJob> node_jobs(const Network& net, std::size_t i, int k);

}  // namespace rcsim
