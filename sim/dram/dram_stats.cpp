#include "dram/dram_stats.h"

namespace rcsim::dram {

bool DramStats::operator==(const DramStats& o) const { return to_json(*this) == to_json(o); }

nlohmann::json to_json(const DramStats& s) {
  return {{"activates", s.activates},
          {"precharges", s.precharges},
          {"reads", s.reads},
          {"writes", s.writes},
          {"refreshes", s.refreshes},
          {"row_hits", s.row_hits},
          {"row_misses", s.row_misses},
          {"row_conflicts", s.row_conflicts},
          {"powerdown_entries", s.powerdown_entries},
          {"self_refresh_entries", s.self_refresh_entries},
          {"active_standby_cycles", s.active_standby_cycles},
          {"precharge_standby_cycles", s.precharge_standby_cycles},
          {"refreshing_cycles", s.refreshing_cycles},
          {"active_powerdown_cycles", s.active_powerdown_cycles},
          {"precharge_powerdown_cycles", s.precharge_powerdown_cycles},
          {"self_refresh_cycles", s.self_refresh_cycles},
          {"read_latency_sum", s.read_latency_sum},
          {"read_latency_max", s.read_latency_max},
          {"write_latency_sum", s.write_latency_sum},
          {"write_latency_max", s.write_latency_max},
          {"bytes", s.bytes},
          {"last_completion", s.last_completion},
          {"elapsed", s.elapsed}};
}

}  // namespace rcsim::dram
