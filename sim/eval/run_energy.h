#pragma once
// The energy of one accelerator run: sim/accel's per-layer counters priced by sim/energy with the
// architecture's technology table (energy/arch_energy.h maps the ArchParams sizes).
#include "accel/accelerator.h"
#include "energy/energy_report.h"
#include "energy/energy_table.h"
#include "core/arch_params.h"

namespace rcsim::eval {

/// Energy of one inference from its per-layer counters, with `table` (the arch's technology).
energy::EnergyReport energy_of_run(const energy::EnergyTable& table, const ArchParams& arch, const InferenceRun& run);
/// The same, loading the arch's technology table.
energy::EnergyReport energy_of_run(const ArchParams& arch, const InferenceRun& run);

}  // namespace rcsim::eval
