#pragma once
// Energy = Σ counters × table entries + Σ leakage power × time per state, computed after the
// simulation from the accelerator's counters (style anchor 7). The counter → entry map is
// counter_charges(); the formulas are in docs/energy-model.md.
#include <vector>

#include "core/layer_counters.h"
#include "energy/energy_hardware.h"
#include "energy/energy_report.h"
#include "energy/energy_table.h"

namespace rcsim::energy {

/// Energy of one layer. Per-bank vectors must have hw.wsram_banks entries (wsram_reads/writes
/// may be empty = no accesses), and each bank's active + retention + off cycles must equal
/// `c.cycles`; otherwise InputError naming the layer and counter.
LayerEnergy account_layer(const EnergyTable& t, const EnergyHardware& hw, const LayerCounters& c);

/// Energy of one inference (the layers in order). Validates `hw` first.
EnergyReport account_energy(const EnergyTable& t, const EnergyHardware& hw,
                            const std::vector<LayerCounters>& layers);

}  // namespace rcsim::energy
