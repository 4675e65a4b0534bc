#include "sweep/point_evaluator.h"

#include <charconv>

#include "area/area_model.h"
#include "eval/eval_json.h"
#include "mapper/weight_layout.h"
#include "sweep/sweep_spec.h"

namespace rcsim::sweep {

namespace {

std::string num(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string scalar_text(const nlohmann::json& v) {
  if (v.is_boolean()) return v.get<bool>() ? "1" : "0";
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number()) return num(v.get<double>());
  if (v.is_string()) return v.get<std::string>();
  return "";
}

}  // namespace

Params evaluate_point(eval::Evaluator& ev, const DesignPoint& p, const PointEvalOptions& o) {
  eval::EvalRequest r;
  r.network = p.get("network");
  r.width = std::stoi(p.get("width"));
  r.arch = p.get("arch", "default");
  for (const auto& [name, value] : p.params) {
    if (name.rfind("set.", 0) == 0) {
      r.arch_sets.push_back(name.substr(4) + "=" + value);
      continue;
    }
    for (const auto& ax : known_axes())
      if (name == ax.name && *ax.set_path) r.arch_sets.push_back(std::string(ax.set_path) + "=" + value);
  }
  r.weights = o.weights;
  r.seed = 1;
  r.accel.mode = parse_exec_mode(o.mode);
  // Timing and counters only: a sweep needs no outputs (fast mode then skips the GEMMs).
  r.accel.compute_outputs = false;
  r.check_outputs = false;
  r.images = eval::ImageSpec::zeros(1);
  const eval::EvalResult res = ev.evaluate(r);

  const nlohmann::json report = eval::to_json(res);
  Params out = {{"evaluator", "rcsim"}, {"mode", o.mode}};
  for (const char* key : {"cycles", "latency_s", "macs", "utilization"}) out.emplace_back(key, scalar_text(report[key]));
  for (const auto& [key, v] : report["totals"].items())
    if (v.is_primitive()) out.emplace_back("count." + key, scalar_text(v));
  const energy::EnergyReport& e = res.energy;
  out.emplace_back("energy_j", num(e.energy_j));
  out.emplace_back("dynamic_j", num(e.dynamic_j));
  out.emplace_back("static_j", num(e.static_j));
  out.emplace_back("avg_power_w", num(e.avg_power_w));
  out.emplace_back("edp_js", num(e.edp_js));
  for (const auto& [comp, j] : e.energy_by_component_j) out.emplace_back("energy_by_component_j." + comp, num(j));
  // Area: empty cells (never a guess) for a technology node without a shipped area table.
  out.emplace_back("area_mm2", res.area ? num(res.area->area_mm2) : "");
  out.emplace_back("edap_jsmm2", res.area ? num(*res.edap()) : "");
  for (const auto& comp : area::area_component_names())
    out.emplace_back("area_by_component_mm2." + comp, res.area ? num(res.area->components_mm2.at(comp)) : "");
  // Whether the full-width network stays on chip: the governor may widen this point at run time,
  // and then chunks that are not resident stream from DRAM on every inference.
  const WeightLayout layout(*res.network, res.arch);
  std::int64_t full_bytes = 0;
  bool holds = true;
  for (std::size_t i = 0; i < res.network->layers.size(); ++i) {
    if (!res.network->layers[i].has_weights()) continue;
    for (int g = 1; g <= layout.groups(); ++g) {
      full_bytes += layout.group_bytes(i, g);
      holds = holds && layout.resident(i, g);
    }
  }
  out.emplace_back("full_width_weight_bytes", std::to_string(full_bytes));
  out.emplace_back("wsram_holds_full_width", holds ? "1" : "0");
  return out;
}

}  // namespace rcsim::sweep
