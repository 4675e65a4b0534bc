#include "energy/energy_table_json.h"

namespace rcsim::energy {

nlohmann::json energy_table_json(const EnergyTable& t) {
  nlohmann::json j;
  j["node"] = t.node;
  j["file"] = t.origin;
  j["voltage_v"] = t.voltage_v;
  j["description"] = t.description;
  for (const auto& [id, e] : t.entries) j["entries"][id] = {{"value", e.value}, {"source", e.source}};
  for (const auto& p : t.sram_access)
    j["sram_access"]["points"].push_back({{"capacity_kb", p.capacity_kb}, {"word_bits", p.word_bits},
                                          {"read_pj", p.read_pj}, {"write_pj", p.write_pj}});
  j["sram_access"]["source"] = t.sram_access_source;
  for (const auto& p : t.sram_leakage)
    j["sram_leakage"]["points"].push_back({{"capacity_kb", p.capacity_kb}, {"uw_per_kb", p.uw_per_kb}});
  j["sram_leakage"]["source"] = t.sram_leakage_source;
  return j;
}

}  // namespace rcsim::energy
