#pragma once
// Random signed operands for the RTL benches, biased toward the corner values where datapaths
// break (min, max, 0, ±1) so that a million random cycles hit them often.
#include <cstdint>
#include <random>

namespace rcsim::rtltest {

class OperandSource {
 public:
  OperandSource(std::uint64_t seed, int bits) : rng_(seed), bits_(bits) {}

  /// A `bits`-wide signed value: 1/4 corner values, else uniform.
  std::int32_t operand() {
    const std::int32_t lo = -(1 << (bits_ - 1)), hi = (1 << (bits_ - 1)) - 1;
    if (chance(0.25)) {
      static constexpr int kCorners = 5;
      switch (std::uniform_int_distribution<int>(0, kCorners - 1)(rng_)) {
        case 0: return lo;
        case 1: return hi;
        case 2: return 0;
        case 3: return 1;
        default: return -1;
      }
    }
    return std::uniform_int_distribution<std::int32_t>(lo, hi)(rng_);
  }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  std::int32_t uniform(std::int32_t lo, std::int32_t hi) {
    return std::uniform_int_distribution<std::int32_t>(lo, hi)(rng_);
  }
  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
  int bits_;
};

}  // namespace rcsim::rtltest
