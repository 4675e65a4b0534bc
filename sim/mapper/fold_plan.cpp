#include "mapper/fold_plan.h"

#include <algorithm>

namespace rcsim {

FoldPlan tile_folds(Dataflow df, const GemmView& g, int R, int C, std::int64_t Sr, std::int64_t Sc,
                    std::int64_t T, ReductionAxis reduction) {
  FoldPlan p;
  p.dataflow = df;
  p.R = R, p.C = C, p.g = g;
  p.Sr = Sr, p.Sc = Sc, p.T = T;
  const std::int64_t row_folds = (Sr + R - 1) / R, col_folds = (Sc + C - 1) / C;
  p.folds.reserve(row_folds * col_folds);
  auto add = [&](std::int64_t rf, std::int64_t cf) {
    Fold f;
    f.r0 = rf * R, f.sr = int(std::min<std::int64_t>(R, Sr - f.r0));
    f.c0 = cf * C, f.sc = int(std::min<std::int64_t>(C, Sc - f.c0));
    const bool across_rows = reduction == ReductionAxis::ArrayRows;
    f.first_of_column_range = !across_rows || rf == 0;
    f.last_of_column_range = !across_rows || rf + 1 == row_folds;
    p.folds.push_back(f);
  };
  if (reduction == ReductionAxis::ArrayRows) {
    for (std::int64_t cf = 0; cf < col_folds; ++cf)
      for (std::int64_t rf = 0; rf < row_folds; ++rf) add(rf, cf);
  } else {
    for (std::int64_t rf = 0; rf < row_folds; ++rf)
      for (std::int64_t cf = 0; cf < col_folds; ++cf) add(rf, cf);
  }
  return p;
}

}  // namespace rcsim
