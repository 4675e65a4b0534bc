#include "sweep/idle_power.h"

#include "core/errors.h"

namespace rcsim::sweep {

IdlePower idle_power_of(const area::GatingModel& g, int width_groups) {
  if (width_groups < 1) throw InputError("idle power: width groups must be >= 1");
  IdlePower p;
  p.modelled = true;
  p.always_on_w = g.always_on_leakage_w;
  for (const auto& u : g.units) {
    IdleUnit base{u.name, u.count, 0, u.on_leakage_w, u.gated_leakage_w, u.wake_j, u.wake_s};
    if (u.name != "weight_sram_bank") {
      p.units.push_back(base);
      continue;
    }
    if (u.count % width_groups != 0)
      throw InputError("idle power: " + std::to_string(u.count) + " weight-SRAM banks are not a multiple of " +
                       std::to_string(width_groups) + " width groups");
    for (int grp = 1; grp <= width_groups; ++grp) {
      IdleUnit b = base;
      b.count = u.count / width_groups;
      b.width_group = grp;
      p.units.push_back(b);
    }
  }
  return p;
}

}  // namespace rcsim::sweep
