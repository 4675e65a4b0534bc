#pragma once
// Synthetic request streams for checking presets (`rcsim dram`), tests and benchmarks.
#include <cstdint>
#include <string>
#include <vector>

#include "dram/dram_request.h"

namespace rcsim::dram {

enum class Pattern {
  Stream,  ///< consecutive bursts from address 0
  Random,  ///< uniformly random bursts over the whole capacity (fixed seed)
};

/// "stream" | "random"; anything else is an InputError.
Pattern parse_pattern(const std::string& name);

/// `count` burst requests of `bytes_per_burst` bytes inside `capacity_bytes`; request i arrives
/// at i * interval (interval 0: all at cycle 0, i.e. as fast as the controller accepts them).
std::vector<DramRequest> make_pattern(Pattern p, std::int64_t count, int bytes_per_burst,
                                      std::int64_t capacity_bytes, bool is_write, Cycle interval,
                                      std::uint64_t seed = 1);

}  // namespace rcsim::dram
