#include "eval/eval_json.h"

#include "accel/run_report.h"

namespace rcsim::eval {

nlohmann::json to_json(const EvalResult& r) {
  RunInfo info;
  info.network = r.network->name;
  info.arch = r.arch.name;
  info.weights = r.weights_label;
  info.width = r.width;
  info.opts = r.accel;
  info.images = int(r.images);
  info.outputs_match_reference = r.outputs_match_reference;
  info.accuracy = r.accuracy;
  nlohmann::json j = run_to_json(info, r.arch, *r.network, r.run);
  add_energy_to_json(r.energy, j);
  if (r.area) {
    const nlohmann::json a = r.area->to_json();
    j["area_mm2"] = a["area_mm2"];
    j["area_by_component_mm2"] = a["area_by_component_mm2"];
    j["area_table"] = a["area_table"];
    j["area_table"].erase("sources");  // `rcsim area` prints them; a run names the tables it used
    j["edap_jsmm2"] = *r.edap();
  }
  return j;
}

void add_energy_to_json(const energy::EnergyReport& e, nlohmann::json& run) {
  const nlohmann::json ej = e.to_json();
  for (const char* k :
       {"energy_j", "dynamic_j", "static_j", "avg_power_w", "edp_js", "energy_by_component_j", "energy_by_layer_j"})
    run[k] = ej[k];
  run["energy_components"] = ej["components"];
  run["energy_table"] = ej["table"];
  if (run.contains("layers") && run["layers"].size() == ej["layers"].size())
    for (std::size_t i = 0; i < ej["layers"].size(); ++i) {
      run["layers"][i]["energy_j"] = ej["layers"][i]["energy_j"];
      run["layers"][i]["energy_by_component_j"] = ej["layers"][i]["energy_by_component_j"];
    }
}

}  // namespace rcsim::eval
