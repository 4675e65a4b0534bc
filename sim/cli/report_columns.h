#pragma once
// The columns of `rcsim report`'s CSV (<net>-<dataset>.csv), declared once: cmd_report writes
// them in this order and `rcsim info --fields report` prints them (docs/outputs.md). Same names
// and SI units as `rcsim run --json` and the sweep CSV (sweep/result_columns.h has the rule).
#include <vector>

namespace rcsim::cli {

struct ReportColumn {
  const char* name;  ///< exact, or energy_by_component_j.<component>
  const char* unit;
  const char* meaning;
};

inline const std::vector<ReportColumn>& report_columns() {
  static const std::vector<ReportColumn> c = {
      {"width", "", "width configuration k, 1..G"},
      {"accuracy_incremental", "",
       "top-1 accuracy of the int8 integer reference with the incrementally trained weights, 0..1 (empty without "
       "them)"},
      {"accuracy_joint", "", "the same with the jointly (slimmable) trained weights"},
      {"cycles", "cycles", "accelerator clock cycles of one inference (fast mode, timing only)"},
      {"latency_s", "s", "cycles / clock_hz"},
      {"energy_j", "J", "energy of one inference = dynamic_j + static_j"},
      {"dynamic_j", "J", "Σ events × energy per event"},
      {"static_j", "J", "leakage over the inference's time"},
      {"saving_vs_full", "", "1 − energy_j / energy_j at full width, 0..1"},
      {"avg_power_w", "W", "energy_j / latency_s"},
      {"energy_by_component_j.<component>", "J",
       "energy per component (dynamic + static); the components sum to energy_j"},
  };
  return c;
}

}  // namespace rcsim::cli
