#include "sweep/point_evaluator.h"

#include <charconv>
#include <map>

#include "accel/accelerator.h"
#include "accel/run_report.h"
#include "core/errors.h"
#include "core/network_yaml.h"
#include "energy/arch_energy.h"
#include "energy/energy_accounting.h"
#include "energy/energy_table.h"
#include "host/weights_file.h"
#include "sweep/sweep_spec.h"
#include "sweep/width_table_builder.h"

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

Params evaluate_point_in_process(const DesignPoint& p, const PointEvalOptions& o) {
  // Caches: a worker evaluates many points; networks, weights and tables repeat.
  static std::map<std::string, Network> nets;
  static std::map<std::string, QuantizedNetwork> weights;
  static std::map<std::string, energy::EnergyTable> tables;

  const std::string& net_name = p.get("network");
  auto nit = nets.find(net_name);
  if (nit == nets.end()) nit = nets.emplace(net_name, load_network(net_name)).first;
  const Network& net = nit->second;
  const int k = std::stoi(p.get("width"));
  net.check_width(k);

  std::vector<std::string> sets;
  for (const auto& [name, value] : p.params) {
    if (name.rfind("set.", 0) == 0) {
      sets.push_back(name.substr(4) + "=" + value);
      continue;
    }
    for (const auto& ax : known_axes())
      if (name == ax.name && *ax.set_path) sets.push_back(std::string(ax.set_path) + "=" + value);
  }
  const ArchParams arch = load_arch(p.get("arch", "default"), sets);

  const std::string wkey = net_name + "|" + o.weights + "|" + std::to_string(arch.precision);
  auto wit = weights.find(wkey);
  if (wit == weights.end()) {
    QuantizedNetwork qn = o.weights == "random" ? random_quantized_network(net, arch.precision, 1)
                                                : load_weights(o.weights, &net);
    wit = weights.emplace(wkey, std::move(qn)).first;
  }
  const QuantizedNetwork& qn = wit->second;

  AccelOptions opts;
  opts.mode = parse_exec_mode(o.mode);
  // compute_outputs = false crashes in Controller::run_image (maxpool of an empty input) as of
  // commit 88b86d8; outputs in fast mode are cheap, so keep them on.
  opts.compute_outputs = true;
  AcceleratorSim sim(qn, arch, opts);
  const std::vector<std::vector<std::int32_t>> image(1, std::vector<std::int32_t>(std::size_t(net.input.size()), 0));
  const InferenceRun run = sim.run(image, k).front();

  RunInfo info;
  info.network = net.name;
  info.arch = arch.name;
  info.weights = o.weights;
  info.width = k;
  info.opts = opts;
  const nlohmann::json report = run_to_json(info, arch, net, run);
  Params out = {{"evaluator", "rcsim"}, {"mode", o.mode}};
  for (const char* key : {"cycles", "latency_s", "macs", "utilization"}) out.emplace_back(key, scalar_text(report[key]));
  for (const auto& [key, v] : report["totals"].items())
    if (v.is_primitive()) out.emplace_back("count." + key, scalar_text(v));

  const energy::EnergyHardware hw = energy::energy_hardware_of(arch);
  auto tit = tables.find(hw.tech);
  if (tit == tables.end()) tit = tables.emplace(hw.tech, energy::load_energy_table(hw.tech)).first;
  std::vector<LayerCounters> counters;
  for (const auto& l : run.layers) counters.push_back(l.counters);
  const energy::EnergyReport e = energy::account_energy(tit->second, hw, counters);
  out.emplace_back("energy_j", num(e.energy_j));
  out.emplace_back("dynamic_j", num(e.dynamic_j));
  out.emplace_back("static_j", num(e.static_j));
  out.emplace_back("avg_power_w", num(e.avg_power_w));
  out.emplace_back("edp_js", num(e.edp_js));
  for (const auto& [comp, j] : e.energy_by_component_j) out.emplace_back("energy_by_component_j." + comp, num(j));
  return out;
}

}  // namespace rcsim::sweep
