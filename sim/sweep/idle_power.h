#pragma once
// The governor's idle model from the area model's power-gating units: weight banks are split
// into width groups by the mapper's rule (banks/G per group, bank b in group b/(banks/G) + 1), PE
// columns are gateable at every width; the never-gated leakage stays on.
#include "area/power_gating.h"
#include "sweep/governor.h"

namespace rcsim::sweep {

/// InputError if the banks are not a multiple of `width_groups`.
IdlePower idle_power_of(const area::GatingModel& gating, int width_groups);

}  // namespace rcsim::sweep
