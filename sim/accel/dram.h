#pragma once
// Off-chip memory: a fixed latency plus bytes / bandwidth. Used for weights that do not fit
// their group's banks; the fetch happens before the layer's first fold and stalls the array.
#include <cmath>
#include <cstdint>

#include "mapper/arch_params.h"

namespace rcsim {

class Dram {
 public:
  explicit Dram(const ArchParams& a) : bw_(a.dram_bytes_per_cycle), latency_(a.dram_latency_cycles) {}
  /// Cycles to read `bytes` (0 for none).
  std::int64_t fetch_cycles(std::int64_t bytes) const {
    return bytes == 0 ? 0 : latency_ + std::int64_t(std::ceil(double(bytes) / bw_));
  }

 private:
  double bw_;
  std::int64_t latency_;
};

}  // namespace rcsim
