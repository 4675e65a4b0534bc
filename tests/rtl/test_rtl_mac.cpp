// rtl/mac.sv (8- and 16-bit) against rcsim::arith::mac(): directed corner cases and > 10^6
// random cycles per model, every output compared every cycle.
#include <gtest/gtest.h>

#include <array>
#include <climits>
#include <cstdint>

#include "core/int_arith.h"
#include "rtl/operand_source.h"
#include "rtl/rtl_dut.h"

#include "Vmac8.h"
#ifndef RCSIM_RTL_MUTANT_BUILD
#include "Vmac16.h"
#endif

namespace rcsim::rtltest {
namespace {

/// The MAC unit's specification written with the integer reference (see the header of mac.sv).
struct MacReference {
  std::int32_t acc = 0;
  bool acc_valid = false;
  void edge(bool clear, bool valid, std::int32_t a, std::int32_t w) {
    const std::int32_t base = clear ? 0 : acc;
    acc = valid ? arith::mac(base, w, a) : base;
    acc_valid = valid;
  }
};

template <class V, int Bits>
struct MacModel {
  using Model = V;
  static constexpr int bits = Bits;
};

template <class M>
class RtlMac : public ::testing::Test {
 protected:
  using V = typename M::Model;
  static constexpr int kBits = M::bits;
  static constexpr std::int32_t kMin = -(1 << (kBits - 1));
  static constexpr std::int32_t kMax = (1 << (kBits - 1)) - 1;

  /// Drives one edge into both the RTL and the reference and compares the outputs.
  void edge(bool clear, bool valid, std::int32_t a, std::int32_t w) {
    dut->clear = clear;
    dut->valid = valid;
    dut->a = to_port(a, kBits);
    dut->w = to_port(w, kBits);
    dut.tick();
    ref.edge(clear, valid, a, w);
    ASSERT_EQ(static_cast<std::int32_t>(dut->acc), ref.acc)
        << "cycle " << dut.cycles() << " clear=" << clear << " valid=" << valid << " a=" << a
        << " w=" << w;
    ASSERT_EQ(dut->acc_valid != 0, ref.acc_valid) << "cycle " << dut.cycles();
  }

  Dut<V> dut;
  MacReference ref;
};

#ifdef RCSIM_RTL_MUTANT_BUILD
using MacModels = ::testing::Types<MacModel<Vmac8, 8>>;
#else
using MacModels = ::testing::Types<MacModel<Vmac8, 8>, MacModel<Vmac16, 16>>;
#endif
TYPED_TEST_SUITE(RtlMac, MacModels);

TYPED_TEST(RtlMac, MinTimesMinIsPositive) {
  this->edge(true, true, this->kMin, this->kMin);
  // (-2^(b-1))^2 = 2^(2b-2): the one product that needs all 2b bits.
  EXPECT_EQ(static_cast<std::int32_t>(this->dut->acc), std::int32_t(1) << (2 * this->kBits - 2));
  this->edge(false, true, this->kMax, this->kMin);
  this->edge(false, true, this->kMin, this->kMax);
  this->edge(false, true, -1, this->kMin);
}

TYPED_TEST(RtlMac, AccumulatorWrapsAroundLikeInt32) {
  // Add the largest product until the sum passes INT32_MAX; it must wrap to negative, then
  // come back up through zero (no saturation, no sticky overflow).
  const std::int64_t prod = std::int64_t(this->kMin) * this->kMin;
  const std::int64_t n = (std::int64_t(INT32_MAX) / prod) + 2;
  this->edge(true, false, 0, 0);
  for (std::int64_t i = 0; i < n && !this->HasFatalFailure(); ++i) this->edge(false, true, this->kMin, this->kMin);
  ASSERT_FALSE(this->HasFatalFailure());
  EXPECT_LT(static_cast<std::int32_t>(this->dut->acc), 0) << "after " << n << " MACs";
  for (std::int64_t i = 0; i < n && !this->HasFatalFailure(); ++i) this->edge(false, true, this->kMin, this->kMin);
  ASSERT_FALSE(this->HasFatalFailure());
  // Negative direction too.
  const std::int64_t n_neg = (std::int64_t(INT32_MAX) / -(std::int64_t(this->kMin) * this->kMax)) + 2;
  this->edge(true, false, 0, 0);
  for (std::int64_t i = 0; i < n_neg && !this->HasFatalFailure(); ++i) this->edge(false, true, this->kMin, this->kMax);
  ASSERT_FALSE(this->HasFatalFailure());
  EXPECT_GT(static_cast<std::int32_t>(this->dut->acc), 0);
}

TYPED_TEST(RtlMac, ClearDuringValidStartsWithThisProduct) {
  this->edge(false, true, 7, 9);
  this->edge(false, true, -3, 11);
  this->edge(true, true, 5, -6);
  EXPECT_EQ(static_cast<std::int32_t>(this->dut->acc), -30);
  this->edge(true, false, 100, 100);  // clear without a product: acc = 0, not valid
  EXPECT_EQ(static_cast<std::int32_t>(this->dut->acc), 0);
  EXPECT_EQ(this->dut->acc_valid, 0);
}

TYPED_TEST(RtlMac, InvalidOperandsLeaveTheSumAlone) {
  this->edge(true, true, 12, 12);
  for (int i = 0; i < 10; ++i) this->edge(false, false, this->kMin, this->kMin);
  EXPECT_EQ(static_cast<std::int32_t>(this->dut->acc), 144);
}

TYPED_TEST(RtlMac, ResetZeroesTheAccumulator) {
  this->edge(true, true, 12, 12);
  this->dut->rst = 1;
  this->dut.tick();
  this->dut->rst = 0;
  EXPECT_EQ(static_cast<std::int32_t>(this->dut->acc), 0);
  EXPECT_EQ(this->dut->acc_valid, 0);
}

// 4 seeds × 300 000 cycles = 1.2 M random cycles per model. The clear rate (never / rarely /
// often) and the products' sign bias change every 4096 cycles, so sums both stay short and grow
// long (a drifting block without clear adds up to ±10^7–10^8).
TYPED_TEST(RtlMac, RandomCyclesMatchTheReference) {
  for (std::uint64_t seed : {1u, 2u, 3u, 4u}) {
    OperandSource src(seed * 7919 + this->kBits, this->kBits);
    double clear_p = 0;
    int drift = 0;  // −1 / +1: every product of the block ≤ 0 / ≥ 0, so long sums leave 24 bits
    for (int i = 0; i < 300000; ++i) {
      if (i % 4096 == 0) {
        clear_p = std::array<double, 3>{0.0, 1.0 / 512, 0.25}[src.uniform(0, 2)];
        drift = src.uniform(-1, 1);
      }
      const bool clear = src.chance(clear_p);
      const bool valid = src.chance(0.85);
      std::int32_t a = src.operand(), w = src.operand();
      if (drift != 0 && (std::int64_t(a) * w) * drift < 0) a = a == this->kMin ? this->kMax : -a;
      this->edge(clear, valid, a, w);
      if (::testing::Test::HasFatalFailure()) {
        ADD_FAILURE() << "seed " << seed << " cycle " << i;
        return;
      }
    }
  }
}

}  // namespace
}  // namespace rcsim::rtltest
