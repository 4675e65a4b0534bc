#pragma once
// Fast mode's output GEMM: a job's accumulators (bias + Σ w·x, int32 wrap-around) computed
// without the array. Everything else sees only this class.
//
// Fast mode's kernels write the sums channel-major, y[n·ld + m] (an output channel's pixels
// contiguous, as the activation buffer stores a tensor), straight into the node's output tensor;
// the post-processing pass adds the bias and requantizes each channel's run in place. Two
// kernels, both exact (docs/performance.md, "Fast mode's GEMM" has the measurement that chose
// them): oneDNN's s8×s8→s32 matmul of W^T (read in place from the network's weight tensor: nothing
// is packed, so every width shares it) and X^T, in reduction chunks whose sums stay exact
// (fast_gemm.cpp says why), when every weight of the job is stored int8 and the CPU has VNNI
// (without it oneDNN's vpmaddubsw path can saturate at int16); and the host's int16 kernels
// (host/int_gemm.h) otherwise — int16 networks, older CPUs, rcsim built without libdnnl-dev, or
// an image whose activations leave the int8 range. Jobs of fewer than 4 output channels skip the
// GEMM: a direct window sum per weight (grouped and depthwise convs do not come here in fast
// mode: accel/grouped_conv_kernel.h computes them per node).
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "accel/gemm_job.h"

namespace rcsim {

class FastGemm {
 public:
  /// Prepares the job once (per layer and width, cached by the controller): its window grid and,
  /// when the oneDNN kernel applies, the matmul primitives of its reduction chunks. `ld` (≥ M):
  /// the distance between two output channels' runs in what outputs() writes.
  FastGemm(const GemmJob& job, std::int64_t ld);
  ~FastGemm();
  FastGemm(const FastGemm&) = delete;
  FastGemm& operator=(const FastGemm&) = delete;
  /// y[n·ld + m] = Σ_k W[k][n]·X[m][k] (int32 wrap-around; no bias: the caller adds it) for the
  /// job's N columns and M pixels, from the input activations `in`. Writes every such value and
  /// nothing between the runs.
  /// The operand buffers are per thread (reused by every job run on it).
  void outputs(const GemmJob& job, const std::vector<std::int32_t>& in, std::int32_t* y) const;
  /// "onednn" or "int16": the kernel outputs() uses for int8 activations.
  const char* kernel() const;
  /// The weights the oneDNN kernel reads (null without oneDNN): the job's own storage, in place.
  const void* onednn_weights() const;
  /// Whether outputs() reads the job's output pixels as a window grid, never its per-pixel window
  /// origins (OperandGather::oy0/ox0), which the job's owner may then drop.
  bool reads_grid() const { return grid_.has_value(); }

  struct OneDnn;  // the prepared oneDNN matmuls (fast_gemm.cpp)

 private:
  /// Jobs of fewer than 4 output channels on a window grid (a narrow dense conv): each weight times
  /// the input lines it meets, added into the outputs (int32 wrap-around, any precision).
  void direct_outputs(const GemmJob& job, const std::vector<std::int32_t>& in, std::int32_t* y) const;
  void int16_outputs(const GemmJob& job, const std::vector<std::int32_t>& in, std::int32_t* y) const;
  /// The job's output pixels as a grid: m = oy·out_w + ox reads the window at row
  /// oy0 + oy·sh, column ox0 + ox·sw (empty when the job's pixels are not such a grid).
  struct Grid {
    int out_h, out_w, sh, sw, oy0, ox0;
  };
  /// One row of X^T (s8) for a reduction row reading `plane` at window offset (dy, dx):
  /// dst[oy·out_w + ox] = plane[(oy·sh + dy)·in_w + ox·sw + dx], 0 outside the plane.
  static void gather_row(const std::int8_t* plane, int in_h, int in_w, const Grid& g, int dy, int dx,
                         std::int8_t* dst);
  std::int64_t ld_ = 0;
  std::optional<Grid> grid_;
  bool identity_gather_ = false;  ///< X^T is the converted input itself (pointwise conv, whole node)
  std::vector<std::int32_t> planes_;  ///< first address of every input plane the job reads
  std::pair<int, int> read_rows_{0, 0};  ///< (first, count): the rows of those planes it reads
  std::unique_ptr<OneDnn> dnnl_;
};

/// Whether this build and CPU run fast mode's int8 GEMMs on oneDNN (VNNI present, libdnnl-dev
/// found at configure time). Loads the oneDNN plugin (accel/onednn_plugin.h) on its first call:
/// EnvironmentError if the build has oneDNN but the plugin cannot be loaded.
bool fast_gemm_uses_onednn();

}  // namespace rcsim
