// rtl/requant.sv (8- and 16-bit outputs) against rcsim::arith::requantize(wrap_add(acc, bias)):
// directed corner cases (ties of both signs, shift 0 and 31, saturation, ReLU, bias wrap) and
// > 10^6 random cycles per model.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>

#include "core/int_arith.h"
#include "rtl/operand_source.h"
#include "rtl/rtl_dut.h"

#include "Vrequant8.h"
#ifndef RCSIM_RTL_MUTANT_BUILD
#include "Vrequant16.h"
#endif

namespace rcsim::rtltest {
namespace {

constexpr std::int32_t kInt32Min = std::numeric_limits<std::int32_t>::min();
constexpr std::int32_t kInt32Max = std::numeric_limits<std::int32_t>::max();

template <class V, int Bits>
struct RequantModel {
  using Model = V;
  static constexpr int bits = Bits;
};

template <class M>
class RtlRequant : public ::testing::Test {
 protected:
  static constexpr int kBits = M::bits;

  /// One edge with these inputs; returns the RTL's output after it and checks it against the
  /// reference (the output register shows the previous edge's inputs' result).
  std::int32_t check(std::int32_t acc, std::int32_t bias, int shift, bool relu, bool valid = true) {
    dut->acc = static_cast<std::uint32_t>(acc);
    dut->bias = static_cast<std::uint32_t>(bias);
    dut->shift = static_cast<std::uint8_t>(shift);
    dut->relu = relu;
    dut->in_valid = valid;
    dut.tick();
    const std::int32_t expect = arith::requantize(arith::wrap_add(acc, bias), shift, relu, kBits);
    const std::int32_t got = sext(dut->out, kBits);
    EXPECT_EQ(got, expect) << "acc=" << acc << " bias=" << bias << " shift=" << shift
                           << " relu=" << relu << " bits=" << kBits;
    EXPECT_EQ(dut->out_valid != 0, valid);
    return got;
  }

  Dut<typename M::Model> dut;
};

#ifdef RCSIM_RTL_MUTANT_BUILD
using RequantModels = ::testing::Types<RequantModel<Vrequant8, 8>>;
#else
using RequantModels = ::testing::Types<RequantModel<Vrequant8, 8>, RequantModel<Vrequant16, 16>>;
#endif
TYPED_TEST_SUITE(RtlRequant, RequantModels);

TYPED_TEST(RtlRequant, TiesRoundAwayFromZeroForBothSigns) {
  // x.5 → away from zero: 2.5 → 3, −2.5 → −3, 0.5 → 1, −0.5 → −1; and not-quite ties.
  EXPECT_EQ(this->check(5, 0, 1, false), 3);
  EXPECT_EQ(this->check(-5, 0, 1, false), -3);
  EXPECT_EQ(this->check(1, 0, 1, false), 1);
  EXPECT_EQ(this->check(-1, 0, 1, false), -1);
  EXPECT_EQ(this->check(23, 0, 3, false), 3);    // 2.875
  EXPECT_EQ(this->check(-19, 0, 3, false), -2);  // −2.375
  for (int shift = 1; shift <= 31; ++shift)
    for (std::int64_t k : {-3, -2, -1, 0, 1, 2}) {
      const std::int64_t tie = k * (std::int64_t(1) << shift) + (std::int64_t(1) << (shift - 1));
      if (tie < kInt32Min || tie > kInt32Max) continue;
      for (std::int64_t d : {-1, 0, 1})
        for (std::int64_t v : {tie + d, -(tie + d)})
          if (v >= kInt32Min && v <= kInt32Max)
            this->check(static_cast<std::int32_t>(v), 0, shift, false);
    }
}

TYPED_TEST(RtlRequant, ShiftZeroIsIdentityThenSaturates) {
  const std::int32_t qmax = arith::qmax(this->kBits), qmin = arith::qmin(this->kBits);
  EXPECT_EQ(this->check(qmax, 0, 0, false), qmax);
  EXPECT_EQ(this->check(qmin, 0, 0, false), qmin);
  EXPECT_EQ(this->check(qmax + 1, 0, 0, false), qmax);
  EXPECT_EQ(this->check(qmin - 1, 0, 0, false), qmin);
  EXPECT_EQ(this->check(kInt32Max, 0, 0, false), qmax);
  EXPECT_EQ(this->check(kInt32Min, 0, 0, false), qmin);
  EXPECT_EQ(this->check(-7, 0, 0, false), -7);
}

TYPED_TEST(RtlRequant, ShiftThirtyOneAtTheInt32Extremes) {
  EXPECT_EQ(this->check(kInt32Max, 0, 31, false), 1);   // (2^31 − 1) / 2^31 ≈ 1.0
  EXPECT_EQ(this->check(kInt32Min, 0, 31, false), -1);  // exactly −1
  EXPECT_EQ(this->check(1 << 30, 0, 31, false), 1);     // 0.5 tie → 1
  EXPECT_EQ(this->check(-(1 << 30), 0, 31, false), -1); // −0.5 tie → −1
  EXPECT_EQ(this->check((1 << 30) - 1, 0, 31, false), 0);
  EXPECT_EQ(this->check(-(1 << 30) + 1, 0, 31, false), 0);
  EXPECT_EQ(this->check(kInt32Min, 0, 31, true), 0);
}

TYPED_TEST(RtlRequant, ReluClampsNegativesOnly) {
  EXPECT_EQ(this->check(-1000, 0, 2, true), 0);
  EXPECT_EQ(this->check(-1, 0, 1, true), 0);  // rounds to −1 first, then ReLU
  EXPECT_EQ(this->check(1000, 0, 4, true), arith::requantize(1000, 4, false, this->kBits));
  EXPECT_EQ(this->check(kInt32Max, 0, 0, true), arith::qmax(this->kBits));
}

TYPED_TEST(RtlRequant, BiasAddWrapsLikeInt32) {
  this->check(kInt32Max, 1, 0, false);  // wraps to INT32_MIN → saturates low
  EXPECT_EQ(this->check(kInt32Max, 1, 0, false), arith::qmin(this->kBits));
  EXPECT_EQ(this->check(kInt32Min, -1, 0, false), arith::qmax(this->kBits));
  EXPECT_EQ(this->check(100, -300, 1, false), -100);
}

TYPED_TEST(RtlRequant, InvalidInputsGiveAnInvalidOutput) {
  this->check(5, 0, 1, false, false);
  this->check(5, 0, 1, false, true);
}

// 4 seeds × 300 000 cycles = 1.2 M random cycles per model. Accumulators come from several
// distributions: full int32, values near the saturation bounds at the chosen shift, and exact
// ties ± 1, so rounding and saturation are exercised every few cycles.
TYPED_TEST(RtlRequant, RandomCyclesMatchTheReference) {
  for (std::uint64_t seed : {11u, 12u, 13u, 14u}) {
    OperandSource src(seed * 104729 + this->kBits, 32);
    for (int i = 0; i < 300000; ++i) {
      const int shift = src.uniform(0, 31);
      std::int64_t acc;
      switch (src.uniform(0, 3)) {
        case 0: acc = src.uniform(kInt32Min, kInt32Max); break;
        case 1: {  // around ±qmax·2^shift
          const std::int64_t edge = std::int64_t(arith::qmax(this->kBits)) * (std::int64_t(1) << shift) *
                                    (src.chance(0.5) ? 1 : -1);
          acc = edge + src.uniform(-(1 << 12), 1 << 12);
          break;
        }
        case 2: {  // exact tie ± 1
          const std::int64_t k = src.uniform(-(1 << 20), 1 << 20);
          acc = k * (std::int64_t(1) << shift) + (shift ? (std::int64_t(1) << (shift - 1)) : 0) + src.uniform(-1, 1);
          break;
        }
        default: acc = src.uniform(-(1 << 16), 1 << 16); break;
      }
      acc = std::max<std::int64_t>(kInt32Min, std::min<std::int64_t>(kInt32Max, acc));
      const std::int32_t bias = src.chance(0.5) ? 0
                                : src.chance(0.9) ? src.uniform(-(1 << 16), 1 << 16)
                                                  : src.uniform(kInt32Min, kInt32Max);
      this->check(static_cast<std::int32_t>(acc), bias, shift, src.chance(0.5), src.chance(0.9));
      if (::testing::Test::HasFailure()) {
        ADD_FAILURE() << "seed " << seed << " cycle " << i;
        return;
      }
    }
  }
}

}  // namespace
}  // namespace rcsim::rtltest
