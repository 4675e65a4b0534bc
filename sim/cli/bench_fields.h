#pragma once
// The fields of `rcsim bench --json`, declared once for `rcsim info --fields bench`
// (docs/outputs.md). Naming rule: sweep/result_columns.h.
#include <vector>

namespace rcsim::cli {

struct BenchField {
  const char* name;
  const char* unit;
  const char* meaning;
};

inline const std::vector<BenchField>& bench_fields() {
  static const std::vector<BenchField> f = {
      {"network", "", "network name"},
      {"width", "", "width configuration k"},
      {"arch", "", "architecture name"},
      {"rows", "", "PE-array rows"},
      {"cols", "", "PE-array columns"},
      {"cycles_per_inference", "cycles", "simulated cycles of one inference"},
      {"per_cycle_s_per_inference", "s", "wall time of one per-cycle inference"},
      {"per_cycle_simulated_cycles_per_s", "cycles/s", "simulated cycles per second of wall time, per-cycle mode"},
      {"fast_s_per_inference", "s", "wall time of one fast-mode inference (with outputs)"},
      {"fast_timing_only_s_per_inference", "s", "wall time of one fast-mode inference, timing and counters only"},
      {"fast_over_per_cycle", "", "per_cycle_s_per_inference / fast_s_per_inference"},
      {"fast_timing_only_over_per_cycle", "", "per_cycle_s_per_inference / fast_timing_only_s_per_inference"},
  };
  return f;
}

}  // namespace rcsim::cli
