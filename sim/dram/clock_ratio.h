#pragma once
// Exact conversion between the accelerator's clock (arch.clock_hz, a whole number of hertz) and
// the DRAM clock (tCK, a whole number of picoseconds). Both directions round up to the first
// cycle of the other clock that starts at or after the given one, using 128-bit integers: no
// floating point, so per-cycle and fast simulation modes get the same answer.
#include <cstdint>

#include "dram/dram_config.h"

namespace rcsim::dram {

class ClockRatio {
 public:
  /// Throws ConfigError if `accel_clock_hz` is not a positive whole number of Hz or tck_ps <= 0.
  ClockRatio(double accel_clock_hz, std::int64_t tck_ps);
  /// First DRAM cycle starting at or after accelerator cycle `accel_cycle` starts.
  Cycle to_dram(std::int64_t accel_cycle) const;
  /// First accelerator cycle starting at or after DRAM cycle `dram_cycle` starts.
  std::int64_t to_accel(Cycle dram_cycle) const;
  std::int64_t accel_hz() const { return hz_; }
  std::int64_t tck_ps() const { return tck_ps_; }

 private:
  std::int64_t hz_;
  std::int64_t tck_ps_;
};

}  // namespace rcsim::dram
