#include "sweep/result_columns.h"

#include "sweep/sweep_spec.h"

namespace rcsim::sweep {

const std::vector<ResultColumn>& result_columns() {
  using G = ColumnGroup;
  static const std::vector<ResultColumn> c = {
      {"point_id", "", G::Identity,
       "16 hex digits of FNV-1a-64 over the point's normalized name=value pairs: equal parameters, equal id"},
      {"point_index", "", G::Identity, "enumeration order in the spec (duplicates removed); rows are sorted by it"},
      {"status", "", G::Identity, "ok, or error when the architecture rejects the point (message in `error`)"},
      {"<axis>", "", G::Axis,
       "each design axis the spec sets (network, width, rows, cols, dataflow, … : docs/sweeps.md), every point filled"},
      {"set.<field>", "", G::Axis,
       "an architecture field set by the spec (`rcsim info --fields arch`), canonical text"},
      {"evaluator", "", G::Metric,
       "what produced the row: rcsim (worker process), rcsim-run, sleep (synthetic test numbers)"},
      {"mode", "", G::Metric, "accelerator execution mode: fast | per-cycle"},
      {"cycles", "cycles", G::Metric, "accelerator clock cycles of one inference"},
      {"latency_s", "s", G::Metric, "cycles / clock_hz"},
      {"macs", "", G::Metric, "multiply-accumulates of one inference at this width"},
      {"utilization", "", G::Metric, "macs / (rows × cols × cycles), 0..1"},
      {"count.<counter>", "(counter's)", G::Metric,
       "total of each scalar event counter over the layers (`rcsim info --fields counters`)"},
      {"energy_j", "J", G::Metric, "energy of one inference = dynamic_j + static_j"},
      {"dynamic_j", "J", G::Metric, "Σ events × energy per event"},
      {"static_j", "J", G::Metric, "leakage energy over the inference's time"},
      {"avg_power_w", "W", G::Metric, "energy_j / latency_s"},
      {"edp_js", "J·s", G::Metric, "energy-delay product energy_j × latency_s"},
      {"energy_by_component_j.<component>", "J", G::Metric,
       "energy per component (dynamic + static); the components sum to energy_j"},
      {"area_mm2", "mm²", G::Metric,
       "silicon area of the architecture at the energy table's node (docs/area.md); empty for a node without an area "
       "table"},
      {"edap_jsmm2", "J·s·mm²", G::Metric, "energy-delay-area product energy_j × latency_s × area_mm2"},
      {"area_by_component_mm2.<component>", "mm²", G::Metric, "area per component; the components sum to area_mm2"},
      {"full_width_weight_bytes", "bytes", G::Metric,
       "weight bytes of the whole network at full width and this precision"},
      {"wsram_holds_full_width", "", G::Metric,
       "1 when the weight SRAM holds every full-width weight chunk on chip, 0 when some stream from DRAM at full width "
       "(the governor may widen to it)"},
      {"accuracy", "", G::Metric,
       "top-1 accuracy of the integer reference at this width over the test set, 0..1 (empty without weights)"},
      {"pareto", "", G::Trailer,
       "1 on the Pareto front of the spec's objectives within its network, 0 off it, empty for error rows"},
      {"error", "", G::Trailer, "one-line message of an error row"},
  };
  return c;
}

bool is_declared_column(const std::string& name) {
  for (const auto& c : result_columns()) {
    const std::string n = c.name;
    const auto lt = n.find('<');
    if (lt == std::string::npos) {
      if (name == n) return true;
    } else if (n == "<axis>") {
      for (const auto& a : known_axes())
        if (name == a.name) return true;
    } else if (name.size() > lt && name.compare(0, lt, n, 0, lt) == 0) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> metric_column_order() {
  std::vector<std::string> out;
  for (const auto& c : result_columns())
    if (c.group == ColumnGroup::Metric) out.push_back(c.name);
  return out;
}

}  // namespace rcsim::sweep
