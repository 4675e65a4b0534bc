#pragma once
// Energy of one inference: per layer and per component, dynamic and static, in joules, with the
// table's provenance. Produced by account_energy() (energy_accounting.h).
#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace rcsim::energy {

struct ComponentEnergy {
  double dynamic_j = 0;  ///< Σ events × per-event energy
  double static_j = 0;   ///< Σ leakage power × state factor × time in state
  double total_j() const { return dynamic_j + static_j; }
};

struct LayerEnergy {
  std::string layer;
  std::int64_t cycles = 0;
  double time_s = 0;
  std::map<std::string, ComponentEnergy> components;  ///< every name of component_names()
  double dynamic_j = 0;
  double static_j = 0;
  double energy_j = 0;
};

struct EnergyReport {
  std::string tech;          ///< table node, e.g. "45nm"
  std::string table_origin;  ///< file the table came from
  std::vector<LayerEnergy> layers;
  std::map<std::string, ComponentEnergy> components;  ///< summed over layers
  std::map<std::string, double> energy_by_component_j;
  std::vector<double> energy_by_layer_j;
  std::int64_t cycles = 0;
  double time_s = 0;
  double energy_j = 0;
  double dynamic_j = 0;
  double static_j = 0;
  double avg_power_w = 0;  ///< energy_j / time_s
  double edp_js = 0;       ///< energy_j × time_s
  std::map<std::string, std::string> sources;  ///< every table entry used → its source

  /// {"energy_j", "dynamic_j", "static_j", "avg_power_w", "edp_js", "time_s",
  ///  "energy_by_component_j"{}, "energy_by_layer_j"[], "layers"[…], "table"{node, file, sources}}
  nlohmann::json to_json() const;
};

}  // namespace rcsim::energy
