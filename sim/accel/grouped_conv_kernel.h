#pragma once
// Fast mode's outputs of a grouped or depthwise conv node at width k, the whole node in one call.
//
// The array runs such a node as one GEMM job per channel group (mapper/node_jobs.h; a depthwise
// conv: one per channel, K = kh·kw, N = 1), and per-cycle mode keeps doing so. Fast mode used to
// compute and keep them that way too: MobileNetV2 has ~7 000 such jobs (tens of thousands once
// row-tiled), each with its gather tables, fold program and GEMM object, so fixed per-job costs
// were most of its fast-mode time and memory. Fast mode's timing is closed-form and
// data-independent (summed per tile once, accel/controller.h), so its outputs need not follow the
// jobs: this kernel holds the node's weights and window geometry compactly (~60 bytes per
// depthwise channel) and computes every channel's output plane directly, channel-major, as the
// post-processing unit stores it (no transpose). Exact: int32 wrap-around like the array.
#include <cstdint>
#include <string>
#include <vector>

#include "accel/layer_operands.h"
#include "core/network.h"

namespace rcsim {

class GroupedConvKernel {
 public:
  /// From the node's own jobs (prepare_layer: one per channel group, every output pixel).
  /// InternalError if the jobs are not a conv's window grid.
  GroupedConvKernel(const Layer& l, const LayerOperands& op);
  /// acc[n·M + m] = bias[n] + Σ_k W[k][n]·X[m][k] for every compact output channel n (acc resized
  /// to M·N), from the node's compact CHW input `in`.
  void outputs(const std::vector<std::int32_t>& in, std::vector<std::int32_t>& acc) const;
  /// Bytes the kernel holds (tests and the memory figure's breakdown).
  std::size_t bytes() const;
  /// Tests: every later call runs the kernel built for "avx512", "avx2" or "baseline" (SSE2), or
  /// the best the CPU has (""), so one machine checks every build. False if the CPU lacks it.
  static bool use_build_for_tests(const std::string& isa);

  // The kernel's tables (public for grouped_conv_kernel.cpp's vector code).
  struct Group {  // one channel group (one job)
    std::int32_t item0, items;  ///< its input planes: item_base_[item0 .. item0 + items)
    std::int32_t col0, cols;    ///< its output columns: col_* [col0 .. col0 + cols)
  };
  /// The window offsets of one column offset: their products are summed, then masked once at the
  /// output columns where that column offset leaves the input (grouped_conv_kernel.cpp).
  struct TapClass {
    std::int32_t first, taps;  ///< taps_[first .. first + taps)
    std::int32_t dx;           ///< column offset − pad
  };
  struct Tap {
    std::int32_t off;  ///< where output 0 reads it in an input plane's phase planes
    std::int32_t j;    ///< its window offset (job row within the input plane): the weight's index
  };



 private:
  std::int64_t M_ = 0, N_ = 0;
  int in_h_ = 0, in_w_ = 0, out_h_ = 0, out_w_ = 0, sh_ = 1, sw_ = 1;
  int kk_ = 1;  ///< window offsets per input plane (kh·kw)
  // Phase planes (grouped_conv_kernel.cpp): sh·sw per input plane, Hq rows of Wq, `lead` values
  // before row 0 (phase row 0 is input row r_lo·sh + phase row), phase_size_ values each.
  int Wq_ = 0, Hq_ = 0, r_lo_ = 0, lead_ = 0;
  std::size_t phase_size_ = 0;
  /// Every class has the same row offsets, in the same order: a tap reads at its class's column
  /// offset plus its row's (the kernel then addresses rows and columns separately).
  bool grid_ = false;
  std::int32_t max_items_ = 0;           ///< input planes of the largest group
  std::vector<TapClass> classes_;
  std::vector<Tap> taps_;                ///< [kk], by class
  std::vector<Group> groups_;
  std::vector<std::int32_t> item_base_;  ///< first address of each input plane
  std::vector<std::int32_t> col_out_;    ///< [cols]: compact output channel
  std::vector<std::int32_t> col_bias_;   ///< [cols]
  std::vector<std::int32_t> weights_;    ///< per column, its group's items·kk weights in job row order
};

}  // namespace rcsim
