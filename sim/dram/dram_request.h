#pragma once
// One DRAM access as the controller sees it: a read or a write of the burst that holds `addr`
// (Organization::bytes_per_burst bytes), arriving at a DRAM clock cycle.
#include <cstdint>

#include "dram/dram_config.h"

namespace rcsim::dram {

/// Requests are numbered 0, 1, 2, ... in submission order.
using RequestId = std::int64_t;

struct DramRequest {
  std::uint64_t addr = 0;
  bool is_write = false;
  Cycle arrival = 0;  ///< DRAM cycle the request reaches the controller
};

/// Sees every request as it is submitted (trace writers).
class DramRequestObserver {
 public:
  virtual ~DramRequestObserver() = default;
  virtual void on_submit(RequestId id, const DramRequest& r) = 0;
};

}  // namespace rcsim::dram
