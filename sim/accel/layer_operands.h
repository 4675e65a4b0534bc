#pragma once
// What the controller needs to execute one weighted node (conv/fc) at width k, prepared once per
// (node, width): its GEMM jobs (mapper/node_jobs.h: one for a dense node, one per channel group
// for grouped and depthwise convs) and how post-processing finishes the accumulators.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "accel/gemm_job.h"
#include "core/quantized_network.h"

namespace rcsim {

/// The post-processing of a weighted node's accumulators (core/int_arith.h requantize_affine):
/// per output channel y = clamp(round_shift(acc·mult + add, shift), lo, hi); without a
/// per-channel scale mult = 1, add = 0, shift = the node's requantization shift.
struct PostOp {
  bool classifier = false;       ///< outputs stay int32 logits
  int shift = 0;                 ///< plain requantization shift (scale == null)
  std::int32_t lo = 0, hi = 0;   ///< ReLU / ReLU6 / saturation bounds
  const PostScale* scale = nullptr;  ///< per-channel scale of this width (indexed by full-width channel)
  std::vector<int> out_channels;     ///< [N] full-width channel of each compact output channel
};

struct LayerOperands {
  std::vector<GemmJob> jobs;
  PostOp post;
  std::int64_t M = 0, N = 0;  ///< output pixels, active output channels of the node
};

LayerOperands prepare_layer(const QuantizedNetwork& qn, std::size_t i, int k);

/// The part of `job` computing output pixels [m0, m1) and columns [n0, n1): one tile's job
/// (mapper/tile_plan.h). Same reduction rows; a view of the job's weight columns (no copy: every
/// row tile of a column range reads one block), its own gather origins and padding counts.
GemmJob slice_job(const GemmJob& job, std::int64_t m0, std::int64_t m1, std::int64_t n0, std::int64_t n1);

}  // namespace rcsim
