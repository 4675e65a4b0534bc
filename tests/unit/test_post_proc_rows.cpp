// The post-processing unit's row kernels (accel/post_proc_rows.h) against core/int_arith.h, value
// by value, on runs long enough for every vector clone's main loop and tail: int32 extremes, the
// rounding ties (±x.5 after the shift), every shift, biases that wrap the int32 sum, saturation at
// both ends, and per-channel scales with large multipliers.
#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <vector>

#include "accel/post_proc_rows.h"
#include "core/int_arith.h"

namespace rcsim {
namespace {

constexpr std::int32_t kMin = std::numeric_limits<std::int32_t>::min(), kMax = std::numeric_limits<std::int32_t>::max();

/// Accumulator-like values: extremes, ties around every power of two, small and random ones.
std::vector<std::int32_t> values(std::mt19937& rng) {
  std::vector<std::int32_t> v{kMin, kMin + 1, kMax, kMax - 1, 0, 1, -1, 2, -2, 3, -3};
  for (int s = 1; s <= 31; ++s) {
    const std::int64_t p = std::int64_t(1) << (s - 1);  // x.5 after a shift by s
    for (std::int64_t d : {-1, 0, 1})
      for (std::int64_t x : {p + d, -p + d, 3 * p + d, -3 * p + d})
        if (x >= kMin && x <= kMax) v.push_back(std::int32_t(x));
  }
  std::uniform_int_distribution<std::int32_t> any(kMin, kMax), small(-5000, 5000);
  for (int i = 0; i < 400; ++i) v.push_back(i % 2 ? any(rng) : small(rng));
  return v;  // ~800 values: every clone's vector loop and its tail
}

TEST(PostProcRows, RequantizeRowEqualsTheScalarDefinition) {
  std::mt19937 rng(1);
  const std::vector<std::int32_t> in = values(rng);
  for (const std::uint32_t bias : {0u, 1u, 0x7fffffffu, 0x80000000u, 0xfffffff0u, 12345u})
    for (int shift = 0; shift <= 32; ++shift)
      for (const auto& [lo, hi] : {std::pair{-128, 127}, std::pair{0, 127}, std::pair{-32768, 32767}, std::pair{0, 6 << 4}}) {
        std::vector<std::int32_t> v = in;
        requantize_row(v.data(), v.size(), bias, shift, lo, hi);
        for (std::size_t i = 0; i < in.size(); ++i)
          ASSERT_EQ(v[i], arith::requantize_affine(arith::wrap_add(in[i], std::int32_t(bias)), 1, 0, shift, lo, hi))
              << "value " << in[i] << ", bias " << bias << ", shift " << shift << ", clamp [" << lo << ", " << hi << "]";
      }
}

TEST(PostProcRows, RequantizeAffineRowEqualsTheScalarDefinition) {
  std::mt19937 rng(2);
  const std::vector<std::int32_t> in = values(rng);
  for (const std::uint32_t bias : {0u, 0x80000000u, 777u})
    for (const std::int32_t mult : {1, -1, 3, 1 << 20, kMax, kMin, -12345})
      for (const std::int32_t add : {0, 1 << 30, kMin, -999})
        for (int shift : {0, 1, 7, 16, 31, 40, 62}) {
          std::vector<std::int32_t> v = in;
          requantize_affine_row(v.data(), v.size(), bias, mult, add, shift, -128, 127);
          for (std::size_t i = 0; i < in.size(); ++i)
            ASSERT_EQ(v[i], arith::requantize_affine(arith::wrap_add(in[i], std::int32_t(bias)), mult, add, shift, -128, 127))
                << "value " << in[i] << ", bias " << bias << ", mult " << mult << ", add " << add << ", shift " << shift;
        }
}

TEST(PostProcRows, AddRequantRowEqualsTheScalarDefinition) {
  std::mt19937 rng(3);
  const std::vector<std::int32_t> a = values(rng);
  std::vector<std::int32_t> b = values(rng);
  std::shuffle(b.begin(), b.end(), rng);
  b.resize(a.size());
  std::vector<std::int32_t> y(a.size());
  for (int sa : {0, 1, 5, 31})
    for (int sb : {0, 3, 31})
      for (int so : {0, 2, 5, 31})
        for (const auto& [lo, hi] : {std::pair{-128, 127}, std::pair{0, 127}, std::pair{kMin, kMax}}) {
          add_requant_row(a.data(), b.data(), y.data(), y.size(), sa, sb, so, lo, hi);
          for (std::size_t i = 0; i < a.size(); ++i)
            ASSERT_EQ(y[i], arith::add_requant(a[i], sa, b[i], sb, so, lo, hi))
                << a[i] << "·2^-" << sa << " + " << b[i] << "·2^-" << sb << " → 2^-" << so;
        }
}

}  // namespace
}  // namespace rcsim
