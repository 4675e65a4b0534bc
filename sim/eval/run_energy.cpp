#include "eval/run_energy.h"

#include <vector>

#include "energy/arch_energy.h"
#include "energy/energy_accounting.h"

namespace rcsim::eval {

energy::EnergyReport energy_of_run(const energy::EnergyTable& table, const ArchParams& arch, const InferenceRun& run) {
  std::vector<LayerCounters> counters;
  counters.reserve(run.layers.size());
  for (const auto& l : run.layers) counters.push_back(l.counters);
  return energy::account_energy(table, energy::energy_hardware_of(arch), counters);
}

energy::EnergyReport energy_of_run(const ArchParams& arch, const InferenceRun& run) {
  return energy_of_run(energy::load_energy_table(energy::energy_hardware_of(arch).tech), arch, run);
}

}  // namespace rcsim::eval
