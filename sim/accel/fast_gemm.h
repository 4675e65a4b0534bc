#pragma once
// Fast mode's output GEMM: a job's accumulators (bias + Σ w·x, int32 wrap-around) computed
// without the array. Everything else sees only this class.
//
// Two kernels, both exact (docs/performance.md, "Fast mode's GEMM" has the measurement that chose
// them): oneDNN's u8×s8→s32 matmul (X + 128 against the weights, in reduction chunks whose sums
// stay exact, fast_gemm.cpp says why) when every weight of the job is an int8 value and the CPU
// has VNNI (vpdpbusd sums u8·s8 products in int32; without VNNI oneDNN's vpmaddubsw path can
// saturate at int16), and the
// host's int16 kernels (host/int_gemm.h) otherwise — int16 networks, older CPUs, rcsim built
// without libdnnl-dev, or an image whose activations leave the int8 range. Jobs of fewer than
// 4 output channels skip the GEMM: a direct window sum per weight (grouped and depthwise convs
// do not come here in fast mode: accel/grouped_conv_kernel.h computes them per node).
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "accel/gemm_job.h"

namespace rcsim {

class FastGemm {
 public:
  /// Prepares the job once (per layer and width, cached by the controller): the int8 weights in
  /// oneDNN's own layout and its primitive, when the oneDNN kernel applies. `same_weights`: a
  /// prepared GEMM over the same weight columns (another row tile of the node): its packed weights
  /// are shared, not packed again (InternalError if its columns are not the job's).
  explicit FastGemm(const GemmJob& job, const FastGemm* same_weights = nullptr);
  ~FastGemm();
  FastGemm(const FastGemm&) = delete;
  FastGemm& operator=(const FastGemm&) = delete;
  /// acc[m*N + n] = bias[n] + Σ_k W[k][n]·X[m][k] for the input activations `in`.
  /// The operand buffers are per thread (reused by every job run on it).
  /// With `column_add`, the kernel may leave a per-column constant out of acc: *column_add is then
  /// [N] values the caller adds to each column (int32 wrap-around; the post-processing pass does,
  /// saving a pass over the outputs), else null.
  void outputs(const GemmJob& job, const std::vector<std::int32_t>& in, std::vector<std::int32_t>& acc,
               const std::int32_t** column_add = nullptr) const;
  /// "onednn" or "int16": the kernel outputs() uses for int8 activations.
  const char* kernel() const;
  /// The oneDNN-packed weights' first byte (null without oneDNN): the same for GEMMs sharing them.
  const void* packed_weights() const;
  /// Whether outputs() reads the job's output pixels as a window grid, never its per-pixel window
  /// origins (OperandGather::oy0/ox0), which the job's owner may then drop.
  bool reads_grid() const { return grid_.has_value(); }

  struct OneDnn;  // the prepared oneDNN matmul (fast_gemm.cpp)

 private:
  /// Jobs of fewer than 4 output channels on a window grid (a narrow dense conv): each weight times
  /// the input lines it meets, added into the outputs (int32 wrap-around, any precision).
  void direct_outputs(const GemmJob& job, const std::vector<std::int32_t>& in, std::vector<std::int32_t>& acc) const;
  void int16_outputs(const GemmJob& job, const std::vector<std::int32_t>& in, std::vector<std::int32_t>& acc) const;
  /// The job's output pixels as a grid: m = oy·out_w + ox reads the window at row
  /// oy0 + oy·sh, column ox0 + ox·sw (empty when the job's pixels are not such a grid).
  struct Grid {
    int out_h, out_w, sh, sw, oy0, ox0;
  };
  /// One row of X^T + 128 (u8) for a reduction row reading `plane` at window offset (dy, dx):
  /// dst[oy·out_w + ox] = plane[(oy·sh + dy)·in_w + ox·sw + dx], 128 (zero) outside the plane.
  static void gather_row(const std::uint8_t* plane, int in_h, int in_w, const Grid& g, int dy, int dx,
                         std::uint8_t* dst);
  std::optional<Grid> grid_;
  bool identity_gather_ = false;  ///< X^T + 128 is the converted input itself (pointwise conv, whole node)
  std::vector<std::int32_t> planes_;  ///< first address of every input plane the job reads
  JobWeights weights_;  ///< the columns prepared (what a GEMM sharing them must read)
  std::unique_ptr<OneDnn> dnnl_;
};

/// How many oneDNN weight blocks this process packed, and how many prepared GEMMs reused another
/// row tile's block instead (tests check that a node's row tiles pack their columns once).
struct FastGemmPreparations {
  std::int64_t packed = 0, shared = 0;
};
FastGemmPreparations fast_gemm_preparations();

/// Whether this build and CPU run fast mode's int8 GEMMs on oneDNN (VNNI present, libdnnl-dev
/// found at configure time). Loads the oneDNN plugin (accel/onednn_plugin.h) on its first call:
/// EnvironmentError if the build has oneDNN but the plugin cannot be loaded.
bool fast_gemm_uses_onednn();

}  // namespace rcsim
