#include "accel/dataflow/dataflow.h"

namespace rcsim {

GemmProgram IDataflow::program(const GemmJob& job, const ArchParams& arch, const WeightLayout& layout) const {
  (void)layout;
  GemmProgram prog;
  prog.plan = plan(job.g, arch.rows, arch.cols);
  prog.schedule = schedule(prog.plan, arch.timing, nullptr);
  return prog;
}

FoldPlan plan_folds(const GemmView& g, Dataflow df, int R, int C) { return dataflow_plugin(df).plan(g, R, C); }

FoldSchedule fold_schedule(const FoldPlan& p, TimingMode timing, const std::vector<std::int64_t>* load_stalls) {
  return dataflow_plugin(p.dataflow).schedule(p, timing, load_stalls);
}

std::int64_t scalesim_cycles(const GemmView& g, Dataflow df, int R, int C) {
  return dataflow_plugin(df).scalesim_cycles(g, R, C);
}

}  // namespace rcsim
