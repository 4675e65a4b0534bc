#pragma once
// DRAM energy from datasheet currents, the way DRAMPower (Chandrasekar et al.) and Micron's power
// calculator (TN-41-01) compute it: each command costs its current above the background current
// for the time it occupies the device, and every rank-cycle costs the background current of the
// state the rank is in. Per supply rail, times devices_per_rank; formulas in docs/dram.md:
//   ACT  n_act x tRAS      x (IDD0  - IDD3N) x V        PRE  n_pre x (tRC - tRAS) x (IDD0 - IDD2N) x V
//   RD   n_rd  x BL/2 tCK  x (IDD4R - IDD3N) x V        WR   n_wr  x BL/2 tCK     x (IDD4W - IDD3N) x V
//   REF  n_ref x tRFC      x (IDD5B - IDD3N) x V
//   background: active standby + refreshing x IDD3N, precharge standby x IDD2N, active power-down
//   x IDD3P, precharge power-down x IDD2P, self-refresh x IDD6 (each x V x tCK).
// I/O and termination power (VDDQ, ODT) are not modelled: IDD4R/W are measured with IOUT = 0.
#include <nlohmann/json.hpp>

#include "dram/dram_config.h"
#include "dram/dram_stats.h"

namespace rcsim::dram {

struct DramEnergy {
  // Commands, joules.
  double activate_j = 0, precharge_j = 0, read_j = 0, write_j = 0, refresh_j = 0;
  // Background per state, joules (refreshing cycles are in active_standby_j, at IDD3N).
  double active_standby_j = 0, precharge_standby_j = 0, active_powerdown_j = 0, precharge_powerdown_j = 0,
         self_refresh_j = 0;

  double command_j() const { return activate_j + precharge_j + read_j + write_j + refresh_j; }
  double background_j() const {
    return active_standby_j + precharge_standby_j + active_powerdown_j + precharge_powerdown_j + self_refresh_j;
  }
  double total_j() const { return command_j() + background_j(); }
};

DramEnergy dram_energy(const DramConfig& config, const DramStats& stats);

/// {"total_j", "command_j", "background_j", and one key per component}.
nlohmann::json to_json(const DramEnergy& e);

}  // namespace rcsim::dram
