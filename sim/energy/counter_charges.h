#pragma once
// Which table entries each event counter of sim/core/layer_counters.h is charged with: the one place
// that maps counters to energy (style anchor 7: table keys ↔ counter names). Every LayerCounters
// field has a row, even those charged only through time (cycles) or not at all (macs: useful
// work; the array's energy is charged on pe_active_cycles, which include padding MACs).
// tests/unit/test_energy_table.cpp checks that every table entry is charged by some row.
#include <string>
#include <vector>

namespace rcsim::energy {

/// Component names of the breakdown, in report order.
inline const std::vector<std::string>& component_names() {
  static const std::vector<std::string> c = {"pe_array",    "array_links", "weight_sram", "act_buffer",
                                             "accumulator", "dram",        "postproc",    "controller"};
  return c;
}

struct CounterCharge {
  const char* counter;               ///< LayerCounters field (or "(reconfiguration)")
  const char* component;             ///< where its energy is booked
  std::vector<const char*> entries;  ///< table entry ids it is multiplied with ("sram.*": the SRAM points;
                                     ///< "dram.preset": the currents of the arch's DRAM preset, energy_models/dram)
  const char* rule;                  ///< the formula, for `rcsim energy` and docs/energy-model.md
};

const std::vector<CounterCharge>& counter_charges();

}  // namespace rcsim::energy
