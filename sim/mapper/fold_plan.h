#pragma once
// Folds (SCALE-Sim's term): the tiles of a GEMM mapped onto the R×C array, in the order the
// controller executes them, and their schedule. Which GEMM dimension runs along the array's
// rows, along its columns and through time, and when each fold starts, is the dataflow's choice:
// plan_folds(), fold_schedule() and scalesim_cycles() dispatch to the dataflow's plug-in
// (sim/accel/dataflow/dataflow.h). This header holds the dataflow-independent shapes and the
// tiling every plug-in uses.
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
  bool first_of_column_range = false;  ///< first row fold of its column range (bias added here)
  bool last_of_column_range = false;   ///< last row fold (requantize after it)
};

struct FoldPlan {
  Dataflow dataflow = Dataflow::WS;
  int R = 0, C = 0;
  GemmView g;
  std::int64_t Sr = 0, Sc = 0, T = 0;  ///< SCALE-Sim's operand-matrix dimensions for the dataflow
  std::vector<Fold> folds;
};

/// Per-fold schedule relative to the job's first array cycle.
struct FoldSchedule {
  std::vector<std::int64_t> load_start;  ///< first preload cycle (dataflows without a preload: = t0)
  std::vector<std::int64_t> load_cycles; ///< preload length (R + bank-conflict stalls; no preload: R)
  std::vector<std::int64_t> t0;          ///< first operand enters row 0
  std::int64_t last_cycle = 0;           ///< index of the cycle latching the job's last result
};

/// Where a dataflow's reduction (the K sum) happens, which fixes the fold order.
enum class ReductionAxis {
  ArrayRows,  ///< down the array's rows: column ranges outer, their row folds inner, partial sums
              ///< accumulating over the row folds (first/last_of_column_range mark the ends)
  Time        ///< in each PE over the streamed operands: row folds outer, every fold complete
};

/// Tiles the Sr×Sc operand matrix of GEMM `g` (T streamed) into R×C folds in execution order.
FoldPlan tile_folds(Dataflow df, const GemmView& g, int R, int C, std::int64_t Sr, std::int64_t Sc,
                    std::int64_t T, ReductionAxis reduction);

}  // namespace rcsim
