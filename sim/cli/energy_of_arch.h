#pragma once
// The energy model's view of an accelerator architecture, and the energy of one accelerator run:
// the few lines that join an accelerator run (sim/accel) to sim/energy (which never includes
// accelerator code). Header-only: used by `rcsim run` and `rcsim report`.
#include <nlohmann/json.hpp>
#include <vector>

#include "accel/accelerator.h"
#include "energy/arch_energy.h"
#include "energy/energy_accounting.h"
#include "energy/energy_hardware.h"
#include "energy/energy_table.h"
#include "core/arch_params.h"

namespace rcsim::cli {

/// Energy of one inference from its per-layer counters, with the arch's technology table.
inline energy::EnergyReport energy_of_run(const ArchParams& a, const InferenceRun& run) {
  const energy::EnergyHardware hw = energy::energy_hardware_of(a);
  std::vector<LayerCounters> counters;
  for (const auto& l : run.layers) counters.push_back(l.counters);
  return energy::account_energy(energy::load_energy_table(hw.tech), hw, counters);
}

/// Adds the energy fields to a `rcsim run --json` report: energy_j, energy_uj, dynamic_j,
/// static_j, avg_power_w, edp_js, energy_by_component_j{}, energy_by_layer_j[],
/// energy_components{name: {dynamic_j, static_j}}, energy_table{node, file, sources}, and
/// energy_j + energy_by_component_j in each entry of "layers".
inline void add_energy_to_json(const energy::EnergyReport& e, nlohmann::json& run) {
  const nlohmann::json ej = e.to_json();
  for (const char* k : {"energy_j", "energy_uj", "dynamic_j", "static_j", "avg_power_w", "edp_js",
                        "energy_by_component_j", "energy_by_layer_j"})
    run[k] = ej[k];
  run["energy_components"] = ej["components"];
  run["energy_table"] = ej["table"];
  if (run.contains("layers") && run["layers"].size() == ej["layers"].size())
    for (std::size_t i = 0; i < ej["layers"].size(); ++i) {
      run["layers"][i]["energy_j"] = ej["layers"][i]["energy_j"];
      run["layers"][i]["energy_by_component_j"] = ej["layers"][i]["energy_by_component_j"];
    }
}

}  // namespace rcsim::cli
