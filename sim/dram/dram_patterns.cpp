#include "dram/dram_patterns.h"

#include <random>

#include "core/errors.h"

namespace rcsim::dram {

Pattern parse_pattern(const std::string& name) {
  if (name == "stream") return Pattern::Stream;
  if (name == "random") return Pattern::Random;
  throw InputError("unknown pattern '" + name + "' (stream | random)");
}

std::vector<DramRequest> make_pattern(Pattern p, std::int64_t count, int bytes_per_burst,
                                      std::int64_t capacity_bytes, bool is_write, Cycle interval,
                                      std::uint64_t seed) {
  std::vector<DramRequest> out;
  out.reserve(std::size_t(std::max<std::int64_t>(count, 0)));
  const std::uint64_t bursts = std::uint64_t(capacity_bytes / bytes_per_burst);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::uint64_t> pick(0, bursts - 1);
  for (std::int64_t i = 0; i < count; ++i) {
    const std::uint64_t burst = p == Pattern::Stream ? std::uint64_t(i) % bursts : pick(rng);
    out.push_back({burst * std::uint64_t(bytes_per_burst), is_write, Cycle(i) * interval});
  }
  return out;
}

}  // namespace rcsim::dram
