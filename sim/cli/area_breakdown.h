#pragma once
// The per-component area table of an architecture as `rcsim area` and `rcsim info --arch` print it.
#include <ostream>

#include "area/area_model.h"
#include "core/arch_params.h"

namespace rcsim::cli {

/// "area of arch 'X' at 45nm (…):" then one line per component (mm², share, how computed) and the total.
void print_area_breakdown(std::ostream& os, const ArchParams& arch, const area::AreaReport& r);

}  // namespace rcsim::cli
