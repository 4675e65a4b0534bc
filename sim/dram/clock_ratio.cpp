#include "dram/clock_ratio.h"

#include <cmath>

#include "core/errors.h"

namespace rcsim::dram {

namespace {
using u128 = unsigned __int128;
constexpr std::int64_t kPsPerSecond = 1000000000000;

std::int64_t ceil_div(u128 a, u128 b) { return std::int64_t((a + b - 1) / b); }
}  // namespace

ClockRatio::ClockRatio(double accel_clock_hz, std::int64_t tck_ps) : hz_(0), tck_ps_(tck_ps) {
  if (!(accel_clock_hz >= 1) || accel_clock_hz > 1e15 || accel_clock_hz != std::floor(accel_clock_hz))
    throw ConfigError("clock_hz " + std::to_string(accel_clock_hz) +
                      " is not a positive whole number of Hz (needed for an exact DRAM clock conversion)");
  if (tck_ps <= 0) throw ConfigError("DRAM tCK must be > 0 ps");
  hz_ = std::int64_t(accel_clock_hz);
}

// accel cycle c starts at c / hz seconds = c * 1e12 / hz ps; DRAM cycle d starts at d * tck ps.
Cycle ClockRatio::to_dram(std::int64_t c) const {
  if (c <= 0) return 0;
  return ceil_div(u128(c) * u128(kPsPerSecond), u128(hz_) * u128(tck_ps_));
}

std::int64_t ClockRatio::to_accel(Cycle d) const {
  if (d <= 0) return 0;
  return ceil_div(u128(d) * u128(tck_ps_) * u128(hz_), u128(kPsPerSecond));
}

}  // namespace rcsim::dram
