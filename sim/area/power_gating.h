#pragma once
// What power-gating an accelerator's units costs, and when it pays off (docs/area.md).
// Gated units: each weight-SRAM bank (a width group gates banks/G of them together; every bank of
// a group has the same break-even time, so the per-bank figures are the group's per bank) into
// the arch's gating state (retention: drowsy, contents kept; off: contents lost, reloaded from
// DRAM on wake), and each PE-array column (rows PEs, no state to keep: weights are reloaded every
// fold and partial sums drained before idling).
// Per unit: sleep-switch area = switch_area_fraction × unit area; isolation cells on the signals
// leaving the domain (a bank's read word + valid; a column's partial sum + valid); leakage when
// powered but clock-gated (P_on = active leakage × leakage_state.clock_gated_factor) and when gated
// (P_g = P_on × retention_factor or off_factor: the sleep switch's own leakage sets the residual);
// wake energy E_w and latency. Gating an idle unit saves (P_on − P_g) per second and costs E_w
// once, so it pays off for idle periods longer than the break-even time
//   t_be = E_w / (P_on − P_g)          (∞ if P_on ≤ P_g).
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "area/area_table.h"
#include "energy/energy_table.h"
#include "core/arch_params.h"

namespace rcsim::area {

/// The closed form above: E_w / (P_on − P_g); +∞ when P_on ≤ P_g (gating never pays), 0 when
/// E_w = 0 and P_on > P_g. InputError for negative or non-finite arguments.
double break_even_s(double wake_j, double on_leakage_w, double gated_leakage_w);

struct GatedUnit {
  std::string name;           ///< "weight_sram_bank" | "pe_column"
  int count = 0;              ///< units of this kind in the architecture
  std::string gated_state;    ///< "retention" | "off"
  double area_um2 = 0;        ///< one unit's gated area (SRAM macro, or the column's placed PE area)
  double switch_area_um2 = 0;
  int isolation_cells = 0;
  double isolation_area_um2 = 0;  ///< placed
  double on_leakage_w = 0;     ///< powered, clock-gated (idle)
  double gated_leakage_w = 0;  ///< in gated_state
  double wake_j = 0;           ///< one wake (+ reload of the contents if lost)
  double wake_s = 0;
  std::int64_t reload_bytes = 0;  ///< off state: bytes reloaded from DRAM on wake
  double break_even_s = 0;
};

struct GatingModel {
  std::string arch;
  std::string node;
  bool overhead = true;       ///< false: gating priced free (no wake cost, no switch/isolation area)
  std::vector<GatedUnit> units;
  /// Leakage while idle of what is never gated: controller, post-processing lanes, activation
  /// buffers, accumulator.
  double always_on_leakage_w = 0;
  double switch_area_mm2() const;
  double isolation_area_mm2() const;
  /// {"overhead", "always_on_leakage_w", "units"[{name, count, gated_state, area_um2, …, break_even_s}]}
  nlohmann::json to_json() const;
};

/// The gated units of `arch` priced with the area and energy tables of one node. A weight bank
/// in the off state reloads `bank_used_bytes` on wake (−1: the whole bank, the conservative
/// default without a network). `with_overhead = false` prices gating as free (what rcsim did
/// before the area model): wake energy and latency 0, no switch or isolation area.
GatingModel gating_model(const ArchParams& arch, const AreaTable& area, const energy::EnergyTable& energy,
                         bool with_overhead = true, std::int64_t bank_used_bytes = -1);

/// Sleep-switch plus isolation-cell area of `arch`'s gated units, mm² (the `power_gating` area
/// component; the same figures gating_model() reports per unit).
double power_gating_area_mm2(const ArchParams& arch, const AreaTable& area);

}  // namespace rcsim::area
