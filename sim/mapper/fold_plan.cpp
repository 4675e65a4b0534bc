#include "mapper/fold_plan.h"

#include <algorithm>

namespace rcsim {

namespace {
std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }
}  // namespace

void scalesim_dims(const GemmView& g, Dataflow df, std::int64_t& Sr, std::int64_t& Sc, std::int64_t& T) {
  switch (df) {
    case Dataflow::OS: Sr = g.M, Sc = g.N, T = g.K; break;
    case Dataflow::WS: Sr = g.K, Sc = g.N, T = g.M; break;
    case Dataflow::IS: Sr = g.K, Sc = g.M, T = g.N; break;
  }
}

std::int64_t fold_count(const GemmView& g, Dataflow df, int R, int C) {
  std::int64_t Sr = 0, Sc = 0, T = 0;
  scalesim_dims(g, df, Sr, Sc, T);
  return ceil_div(Sr, R) * ceil_div(Sc, C);
}

std::int64_t scalesim_cycles(const GemmView& g, Dataflow df, int R, int C) {
  std::int64_t Sr = 0, Sc = 0, T = 0;
  scalesim_dims(g, df, Sr, Sc, T);
  const std::int64_t per_fold = df == Dataflow::OS ? R + C + T - 2 : 2 * R + C + T - 2;
  return fold_count(g, df, R, C) * per_fold - 1;
}

FoldPlan plan_folds(const GemmView& g, Dataflow df, int R, int C) {
  FoldPlan p;
  p.dataflow = df;
  p.R = R, p.C = C, p.g = g;
  scalesim_dims(g, df, p.Sr, p.Sc, p.T);
  const std::int64_t row_folds = ceil_div(p.Sr, R), col_folds = ceil_div(p.Sc, C);
  p.folds.reserve(row_folds * col_folds);
  if (df == Dataflow::WS || df == Dataflow::IS) {
    // IS is WS with the operand roles swapped (stationary X^T, streamed W): same fold order.
    for (std::int64_t cf = 0; cf < col_folds; ++cf)
      for (std::int64_t rf = 0; rf < row_folds; ++rf) {
        Fold f;
        f.r0 = rf * R, f.sr = int(std::min<std::int64_t>(R, p.Sr - f.r0));
        f.c0 = cf * C, f.sc = int(std::min<std::int64_t>(C, p.Sc - f.c0));
        f.first_of_column_range = rf == 0;
        f.last_of_column_range = rf + 1 == row_folds;
        p.folds.push_back(f);
      }
  } else {
    for (std::int64_t rf = 0; rf < row_folds; ++rf)
      for (std::int64_t cf = 0; cf < col_folds; ++cf) {
        Fold f;
        f.r0 = rf * R, f.sr = int(std::min<std::int64_t>(R, p.Sr - f.r0));
        f.c0 = cf * C, f.sc = int(std::min<std::int64_t>(C, p.Sc - f.c0));
        f.first_of_column_range = f.last_of_column_range = true;
        p.folds.push_back(f);
      }
  }
  return p;
}

}  // namespace rcsim
