#pragma once
// What the DRAM did: commands issued, row-buffer outcomes, latency, and how long the ranks spent
// in each power state (rank-cycles, summed over every rank of every channel). The energy model
// (dram_energy.h) turns these into joules; nothing else is needed from the timing model.
#include <cstdint>
#include <nlohmann/json.hpp>

#include "dram/dram_config.h"

namespace rcsim::dram {

struct DramStats {
  // Commands (precharges include auto-precharges and those before refresh / self-refresh).
  std::int64_t activates = 0, precharges = 0, reads = 0, writes = 0, refreshes = 0;
  // Row-buffer outcome of each request: hit (no ACT issued for it), miss (bank was closed),
  // conflict (another row was open and had to be precharged).
  std::int64_t row_hits = 0, row_misses = 0, row_conflicts = 0;
  std::int64_t powerdown_entries = 0, self_refresh_entries = 0;
  // Rank-cycles per state. Refreshing = the tRFC after each REF (charged at IDD3N background,
  // as DRAMPower does, plus the refresh command energy).
  Cycle active_standby_cycles = 0, precharge_standby_cycles = 0, refreshing_cycles = 0;
  Cycle active_powerdown_cycles = 0, precharge_powerdown_cycles = 0, self_refresh_cycles = 0;
  // Arrival to last data beat.
  Cycle read_latency_sum = 0, read_latency_max = 0, write_latency_sum = 0, write_latency_max = 0;
  std::int64_t bytes = 0;      ///< bytes moved by completed requests
  Cycle last_completion = 0;   ///< last data beat of any request
  Cycle elapsed = 0;           ///< cycles accounted so far (the controller's now())

  Cycle state_cycles() const {
    return active_standby_cycles + precharge_standby_cycles + refreshing_cycles + active_powerdown_cycles +
           precharge_powerdown_cycles + self_refresh_cycles;
  }
  double avg_read_latency() const { return reads ? double(read_latency_sum) / double(reads) : 0.0; }
  double avg_write_latency() const { return writes ? double(write_latency_sum) / double(writes) : 0.0; }
  bool operator==(const DramStats& o) const;
};

nlohmann::json to_json(const DramStats& s);

}  // namespace rcsim::dram
