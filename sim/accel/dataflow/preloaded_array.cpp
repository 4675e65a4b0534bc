#include "accel/dataflow/preloaded_array.h"

namespace rcsim {

FoldPlan PreloadedDataflow::plan(const GemmView& g, int rows, int cols) const {
  std::int64_t Sr = 0, Sc = 0, T = 0;
  dims(g, Sr, Sc, T);
  return tile_folds(id(), g, rows, cols, Sr, Sc, T, ReductionAxis::ArrayRows);
}

FoldSchedule PreloadedDataflow::schedule(const FoldPlan& p, TimingMode timing,
                                         const std::vector<std::int64_t>* load_stalls) const {
  const std::int64_t F = std::int64_t(p.folds.size()), R = p.R, C = p.C, T = p.T;
  FoldSchedule s;
  s.load_start.resize(F);
  s.t0.resize(F);
  s.load_cycles.assign(F, R);
  if (load_stalls)
    for (std::int64_t f = 0; f < F; ++f) s.load_cycles[f] += (*load_stalls)[f];
  // Cycle of the last multiply of a fold whose first operand entered at t0: its last streamed
  // operand reaches PE(R−1, C−1) at t0 + (T−1) + (R−1) + (C−1) (docs/pe-array-timing.md).
  auto last_use = [&](std::int64_t t0) { return t0 + T + R + C - 3; };
  for (std::int64_t f = 0; f < F; ++f) {
    if (timing == TimingMode::ScaleSim) {
      // Serialized: R preload cycles, then the fold's T + R + C − 2 compute cycles.
      s.load_start[f] = f == 0 ? 0 : last_use(s.t0[f - 1]) + 1;
      s.t0[f] = s.load_start[f] + R;
    } else {
      // One loader (R cycles per fold); buffer f%2 is free once fold f−2's last operand left.
      std::int64_t ls = f == 0 ? 0 : s.load_start[f - 1] + s.load_cycles[f - 1];
      if (f >= 2) ls = std::max(ls, last_use(s.t0[f - 2]) + 1);
      s.load_start[f] = ls;
      const std::int64_t loaded = ls + s.load_cycles[f];
      s.t0[f] = f == 0 ? loaded : std::max(s.t0[f - 1] + T, loaded);
    }
  }
  s.last_cycle = F == 0 ? -1 : last_use(s.t0[F - 1]);
  return s;
}

std::int64_t PreloadedDataflow::scalesim_cycles(const GemmView& g, int rows, int cols) const {
  std::int64_t Sr = 0, Sc = 0, T = 0;
  dims(g, Sr, Sc, T);
  const std::int64_t folds = ((Sr + rows - 1) / rows) * ((Sc + cols - 1) / cols);
  return folds * (2 * std::int64_t(rows) + cols + T - 2) - 1;
}

void PreloadedDataflow::closed_form_array(const FoldPlan& p, LayerCounters& c) {
  const std::int64_t R = p.R, C = p.C, T = p.T;
  for (const Fold& f : p.folds) {
    const std::int64_t sr = f.sr, sc = f.sc;
    c.pe_active_cycles += T * sr * sc;
    c.pe_weight_loads += R * R * C;  // every register shifts in each of the R load cycles
    c.link_operand_transfers += T * sr * (sc - 1);
    c.link_psum_transfers += T * sc * (R - 1);
    c.accum_writes += T * sc;
    if (!f.first_of_column_range) c.accum_reads += T * sc;
  }
}

}  // namespace rcsim
