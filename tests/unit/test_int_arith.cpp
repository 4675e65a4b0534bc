#include <gtest/gtest.h>

#include <limits>

#include "core/int_arith.h"

using namespace rcsim::arith;

TEST(IntArith, RoundHalfAwayFromZero) {
  EXPECT_EQ(round_shift(5, 1), 3);    // 2.5 -> 3
  EXPECT_EQ(round_shift(-5, 1), -3);  // -2.5 -> -3
  EXPECT_EQ(round_shift(7, 2), 2);    // 1.75 -> 2
  EXPECT_EQ(round_shift(-6, 2), -2);  // -1.5 -> -2
  EXPECT_EQ(round_shift(-5, 2), -1);  // -1.25 -> -1
  EXPECT_EQ(round_shift(123, 0), 123);
  EXPECT_EQ(round_shift(std::numeric_limits<std::int32_t>::min(), 31), -1);
  EXPECT_EQ(round_shift(std::numeric_limits<std::int32_t>::max(), 31), 1);
}

TEST(IntArith, RequantizeSaturatesAndRelu) {
  EXPECT_EQ(requantize(1000, 2, false, 8), 127);
  EXPECT_EQ(requantize(-1000, 2, false, 8), -128);
  EXPECT_EQ(requantize(-1000, 2, true, 8), 0);
  EXPECT_EQ(requantize(100000, 2, false, 16), 25000);
  EXPECT_EQ(requantize(200000, 2, false, 16), 32767);
}

TEST(IntArith, MacWrapsAround) {
  EXPECT_EQ(mac(std::numeric_limits<std::int32_t>::max(), 1, 1), std::numeric_limits<std::int32_t>::min());
  EXPECT_EQ(mac(0, -128, -128), 16384);
}

TEST(IntArith, QuantizeValue) {
  EXPECT_EQ(quantize_value(0.5, 7, 8), 64);
  EXPECT_EQ(quantize_value(1.0, 7, 8), 127);
  EXPECT_EQ(quantize_value(-1.0, 7, 8), -128);
  EXPECT_EQ(quantize_value(-0.01171875, 7, 8), -2);  // -1.5 -> -2 (half away)
}
