#pragma once
// Folds (SCALE-Sim's term): the tiles of a layer's GEMM mapped onto the R×C array, in the order
// the controller executes them, plus SCALE-Sim v2's closed-form cycle count.
//   WS: a fold holds rows k0..k0+sr−1 of K and columns n0..n0+sc−1 of N stationary and streams
//       all T = M pixels; order: column folds outer, row folds inner (partial sums of one column
//       range accumulate over its row folds).
//   OS: a fold holds outputs m0..m0+sr−1 × n0..n0+sc−1 and streams T = K; order: row folds outer.
//   IS: WS with the operand roles swapped: a fold holds X^T rows k0..k0+sr−1 × input patches
//       m0..m0+sc−1 stationary and streams the T = N weight columns (row n of W^T enters like a
//       WS pixel); same order as WS (partial sums of one patch range accumulate over row folds).
#include <cstdint>
#include <vector>

#include "core/arch_params.h"
#include "mapper/gemm_view.h"

namespace rcsim {

struct Fold {
  std::int64_t r0 = 0;  ///< first index along the array rows (WS, IS: k0; OS: m0)
  int sr = 0;           ///< used rows (≤ R)
  std::int64_t c0 = 0;  ///< first index along the array columns (WS, OS: n0; IS: m0)
  int sc = 0;           ///< used columns (≤ C)
  bool first_of_column_range = false;  ///< WS, IS: first row fold of its column range (bias added here)
  bool last_of_column_range = false;   ///< WS, IS: last row fold (requantize after it)
};

struct FoldPlan {
  Dataflow dataflow = Dataflow::WS;
  int R = 0, C = 0;
  GemmView g;
  std::int64_t Sr = 0, Sc = 0, T = 0;  ///< SCALE-Sim's operand-matrix dimensions for the dataflow
  std::vector<Fold> folds;
};

/// SCALE-Sim dimensions: OS Sr=M, Sc=N, T=K; WS Sr=K, Sc=N, T=M; IS Sr=K, Sc=M, T=N.
void scalesim_dims(const GemmView& g, Dataflow df, std::int64_t& Sr, std::int64_t& Sc, std::int64_t& T);

/// Number of folds ceil(Sr/R)·ceil(Sc/C).
std::int64_t fold_count(const GemmView& g, Dataflow df, int R, int C);

/// SCALE-Sim v2 compute cycles (CALC bandwidth mode), as it reports them (last cycle's index):
/// folds·per_fold − 1 with per_fold = R+C+T−2 (OS) or 2R+C+T−2 (WS, IS).
std::int64_t scalesim_cycles(const GemmView& g, Dataflow df, int R, int C);

/// The controller's fold sequence (WS, OS and IS).
FoldPlan plan_folds(const GemmView& g, Dataflow df, int R, int C);

}  // namespace rcsim
