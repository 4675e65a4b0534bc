#pragma once
// An energy table as JSON (`rcsim energy --json`, Python's rcsim.energy_table): node, file,
// voltage, description, every entry with its value and source, the SRAM access and leakage points.
#include <nlohmann/json.hpp>

#include "energy/energy_table.h"

namespace rcsim::energy {

nlohmann::json energy_table_json(const EnergyTable& t);

}  // namespace rcsim::energy
