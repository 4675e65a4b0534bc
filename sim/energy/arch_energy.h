#pragma once
// The energy model's view of an accelerator architecture: which sizes of sim/core's ArchParams
// the energy tables are looked up with. One assignment per field, in one place.
#include "energy/energy_hardware.h"
#include "core/arch_params.h"

namespace rcsim::energy {

EnergyHardware energy_hardware_of(const ArchParams& arch);

}  // namespace rcsim::energy
