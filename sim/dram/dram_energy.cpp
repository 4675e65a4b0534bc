#include "dram/dram_energy.h"

namespace rcsim::dram {

DramEnergy dram_energy(const DramConfig& c, const DramStats& s) {
  DramEnergy e;
  const double tck = c.tck_s(), dev = c.org.devices_per_rank;
  const Timing& t = c.timing;
  // Current (mA) flowing for `cycles` tCK at `v` volts, in joules, for every device of a rank.
  auto j = [&](double cycles, double ma, double v) { return cycles * tck * ma * 1e-3 * v * dev; };
  for (const Rail& r : c.rails) {
    const double v = r.voltage_v;
    e.activate_j += j(double(s.activates) * t.tras, r.idd0_ma - r.idd3n_ma, v);
    e.precharge_j += j(double(s.precharges) * (t.trc - t.tras), r.idd0_ma - r.idd2n_ma, v);
    e.read_j += j(double(s.reads) * c.org.burst_cycles(), r.idd4r_ma - r.idd3n_ma, v);
    e.write_j += j(double(s.writes) * c.org.burst_cycles(), r.idd4w_ma - r.idd3n_ma, v);
    e.refresh_j += j(double(s.refreshes) * t.trfc, r.idd5b_ma - r.idd3n_ma, v);
    e.active_standby_j += j(double(s.active_standby_cycles + s.refreshing_cycles), r.idd3n_ma, v);
    e.precharge_standby_j += j(double(s.precharge_standby_cycles), r.idd2n_ma, v);
    e.active_powerdown_j += j(double(s.active_powerdown_cycles), r.idd3p_ma, v);
    e.precharge_powerdown_j += j(double(s.precharge_powerdown_cycles), r.idd2p_ma, v);
    e.self_refresh_j += j(double(s.self_refresh_cycles), r.idd6_ma, v);
  }
  return e;
}

nlohmann::json to_json(const DramEnergy& e) {
  return {{"total_j", e.total_j()},
          {"command_j", e.command_j()},
          {"background_j", e.background_j()},
          {"activate_j", e.activate_j},
          {"precharge_j", e.precharge_j},
          {"read_j", e.read_j},
          {"write_j", e.write_j},
          {"refresh_j", e.refresh_j},
          {"active_standby_j", e.active_standby_j},
          {"precharge_standby_j", e.precharge_standby_j},
          {"active_powerdown_j", e.active_powerdown_j},
          {"precharge_powerdown_j", e.precharge_powerdown_j},
          {"self_refresh_j", e.self_refresh_j}};
}

}  // namespace rcsim::dram
