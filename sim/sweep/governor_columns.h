#pragma once
// The columns of the governor's CSVs, declared once for `rcsim info --fields governor`
// (docs/outputs.md); tests/unit/test_governor.cpp checks the writers' headers equal them.
// Naming rule: sweep/result_columns.h.
#include <string>
#include <vector>

namespace rcsim::sweep {

struct GovernorColumn {
  const char* file;  ///< which output: decisions (--out), table (--write-table / --table), adaptive (--adaptive --out)
  const char* name;
  const char* unit;
  const char* meaning;
};

inline const std::vector<GovernorColumn>& governor_columns() {
  static const std::vector<GovernorColumn> c = {
      {"decisions", "request", "", "request number, 0-based, in trace order"},
      {"decisions", "time_s", "s", "arrival time (from the trace)"},
      {"decisions", "width", "", "width configuration k chosen"},
      {"decisions", "start_s", "s", "start of service: max(arrival, previous finish)"},
      {"decisions", "finish_s", "s", "end of service (reconfiguration + latency)"},
      {"decisions", "response_s", "s", "finish_s − time_s"},
      {"decisions", "deadline_s", "s", "relative deadline from the trace (empty: none)"},
      {"decisions", "deadline_met", "", "1 when response_s ≤ deadline_s (or no deadline), else 0"},
      {"decisions", "energy_j", "J", "energy of the inference plus reconfiguration"},
      {"decisions", "reconfig_j", "J", "of which reconfiguration"},
      {"decisions", "power_ok", "", "1 when the width's avg_power_w is within the request's power budget"},
      {"decisions", "accuracy", "", "accuracy of the chosen width, 0..1"},
      {"decisions", "accuracy_ok", "", "1 when accuracy ≥ the request's min_accuracy"},
      {"decisions", "idle_s", "s", "idle time before this request"},
      {"decisions", "idle_j", "J", "leakage energy while idle before this request"},
      {"decisions", "units_gated", "", "power-gated units during that idle time"},
      {"table", "width", "", "width configuration k"},
      {"table", "cycles", "cycles", "cycles of one inference"},
      {"table", "latency_s", "s", "cycles / clock_hz"},
      {"table", "energy_j", "J", "energy of one inference"},
      {"table", "avg_power_w", "W", "energy_j / latency_s"},
      {"table", "accuracy", "", "top-1 accuracy, 0..1"},
      {"table", "widen_j", "J", "energy of bringing width k's banks back from width k−1"},
      {"table", "widen_cycles", "cycles", "time of that widening"},
      {"adaptive", "policy", "", "fixed:K or adaptive-next | adaptive-full"},
      {"adaptive", "threshold", "", "softmax-margin threshold below which an image escalates (empty for fixed)"},
      {"adaptive", "accuracy", "", "top-1 accuracy over the test images, 0..1"},
      {"adaptive", "energy_j", "J", "mean energy per image (every width run and reconfiguration)"},
      {"adaptive", "latency_s", "s", "mean latency per image"},
      {"adaptive", "escalated", "", "fraction of images run at more than width 1, 0..1"},
      {"adaptive", "share_w<k>", "", "fraction of images whose final width is k, 0..1"},
  };
  return c;
}

/// Column names of one file, in order.
inline std::vector<const char*> governor_column_names(const char* file) {
  std::vector<const char*> out;
  for (const auto& c : governor_columns())
    if (std::string(c.file) == file) out.push_back(c.name);
  return out;
}

}  // namespace rcsim::sweep
