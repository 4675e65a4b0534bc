// rtl/pe_os.sv and rtl/pe_array_os.sv (4x16 int8 and 3x5 int16 instances): one PE against its
// rule written out with int_arith.h, hand-checked sequences, and whole GEMMs streamed fold by
// fold exactly as the `os` dataflow drives the array (sim/accel/dataflow/os_dataflow.cpp), every
// hand-out checked for its cycle (t0(f) + T−1 + r + c, docs/pe-array-timing.md) and its value
// (the direct GEMM).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "Vpe_array_os_3x5_d16.h"
#include "Vpe_array_os_4x16.h"
#include "Vpe_os8.h"
#include "core/int_arith.h"
#include "rtl/operand_source.h"
#include "rtl/rtl_dut.h"

namespace rcsim::rtltest {
namespace {

/// One PE's registers per the rule in rtl/pe_os.sv.
struct PeOsGolden {
  std::int32_t a = 0, w = 0, acc = 0, sum = 0;
  bool a_valid = false, a_last = false, sum_valid = false;
  void edge(std::int32_t a_in, bool valid, bool last, std::int32_t w_in) {
    const std::int32_t s = arith::mac(acc, w_in, a_in);
    sum_valid = valid && last;
    if (valid && last) {
      sum = s;
      acc = 0;
    } else if (valid) {
      acc = s;
    }
    a = a_in, a_valid = valid, a_last = last, w = w_in;
  }
};

class RtlPeOs : public ::testing::Test {
 protected:
  void drive(std::int32_t a, bool valid, bool last, std::int32_t w) {
    pe->a_in = to_port(a, 8);
    pe->a_valid_in = valid;
    pe->a_last_in = last;
    pe->w_in = to_port(w, 8);
    pe.tick();
    golden.edge(a, valid, last, w);
  }
  ::testing::AssertionResult matches() {
    const std::int32_t sum = static_cast<std::int32_t>(pe->sum_out);
    const std::int32_t a = sext(pe->a_out, 8), w = sext(pe->w_out, 8);
    if ((pe->sum_valid != 0) != golden.sum_valid || (golden.sum_valid && sum != golden.sum) || a != golden.a ||
        w != golden.w || (pe->a_valid_out != 0) != golden.a_valid || (pe->a_last_out != 0) != golden.a_last)
      return ::testing::AssertionFailure() << "cycle " << pe.cycles() << ": rtl sum " << sum << "/" << int(pe->sum_valid)
                                           << " a " << a << " w " << w << "; golden sum " << golden.sum << "/"
                                           << golden.sum_valid << " a " << golden.a << " w " << golden.w;
    return ::testing::AssertionSuccess();
  }
  Dut<Vpe_os8> pe;
  PeOsGolden golden;
};

TEST_F(RtlPeOs, HandsOutTheSumWithTheLastOperandAndStartsAgainFromZero) {
  drive(3, true, false, 4);  // 12
  EXPECT_FALSE(pe->sum_valid);
  drive(-2, true, false, 5);  // 2
  drive(100, false, false, 100);  // bubble: adds nothing
  EXPECT_FALSE(pe->sum_valid);
  drive(7, true, true, -1);  // 2 − 7 = −5, handed out
  EXPECT_TRUE(pe->sum_valid);
  EXPECT_EQ(static_cast<std::int32_t>(pe->sum_out), -5);
  drive(-128, true, true, -128);  // a one-operand fold right behind: 16384, not −5 + 16384
  EXPECT_TRUE(pe->sum_valid);
  EXPECT_EQ(static_cast<std::int32_t>(pe->sum_out), 16384);
  drive(0, false, false, 0);
  EXPECT_FALSE(pe->sum_valid);
  EXPECT_EQ(static_cast<std::int32_t>(pe->sum_out), 16384);  // held until the next hand-out
  EXPECT_TRUE(matches());
}

TEST_F(RtlPeOs, OperandAndWeightMoveOnOneEdgeLater) {
  drive(-5, true, true, 9);
  EXPECT_EQ(sext(pe->a_out, 8), -5);
  EXPECT_TRUE(pe->a_valid_out);
  EXPECT_TRUE(pe->a_last_out);
  EXPECT_EQ(sext(pe->w_out, 8), 9);
  drive(1, false, false, -7);
  EXPECT_EQ(sext(pe->a_out, 8), 1);  // bubbles move too (their valid bit is 0)
  EXPECT_FALSE(pe->a_valid_out);
  EXPECT_EQ(sext(pe->w_out, 8), -7);
}

TEST_F(RtlPeOs, RandomCyclesMatchTheRule) {
  OperandSource src(11, 8);
  for (int t = 0; t < 200000; ++t) {
    const bool valid = !src.chance(0.1), last = src.chance(0.05);
    drive(src.operand(), valid, last, src.operand());
    ASSERT_TRUE(matches());
  }
}

template <class V, int R, int C, int Bits>
struct OsArrayModel {
  using Model = V;
  static constexpr int rows = R, cols = C, bits = Bits;
};

template <class M>
class RtlPeArrayOs : public ::testing::Test {
 protected:
  static constexpr int R = M::rows, C = M::cols, kBits = M::bits;

  /// out[m][n] = Σ_k X[m][k]·W[k][n] through the array, folds tiled over M (rows) and N
  /// (columns), fold f starting at t0[f] = previous + T + gap (gap 0: `overlapped` timing;
  /// R + C − 2: `scalesim`; random: a stalled controller). Checks every hand-out.
  void run_gemm(int M_, int K, int N, int gap, bool random_gaps, std::uint64_t seed) {
    OperandSource src(seed, kBits);
    std::vector<std::int32_t> X(M_ * K), W(K * N), want(M_ * N, 0);
    for (auto& v : X) v = src.operand();
    for (auto& v : W) v = src.operand();
    for (int m = 0; m < M_; ++m)
      for (int n = 0; n < N; ++n)
        for (int k = 0; k < K; ++k) want[m * N + n] = arith::mac(want[m * N + n], W[k * N + n], X[m * K + k]);
    struct Fold {
      int m0, n0;
      std::int64_t t0;
    };
    std::vector<Fold> folds;
    const std::int64_t T = K;
    std::int64_t t0 = 0;
    for (int m0 = 0; m0 < M_; m0 += R)
      for (int n0 = 0; n0 < N; n0 += C) {
        folds.push_back({m0, n0, t0});
        t0 += T + (random_gaps ? src.uniform(0, 3) : gap);
      }
    const std::int64_t F = std::int64_t(folds.size());
    const std::int64_t last_cycle = folds.back().t0 + T + R + C - 3;
    std::vector<int> seen(M_ * N, 0);
    std::vector<int> handed(std::size_t(F) * R * C, 0);
    for (std::int64_t t = 0; t <= last_cycle + 3; ++t) {
      for (int r = 0; r < R; ++r) {
        dut->act_in[r] = 0, dut->act_valid_in[r] = 0, dut->act_last_in[r] = 0;
        for (std::int64_t f = 0; f < F; ++f) {
          const std::int64_t k = t - folds[f].t0 - r;
          if (k < 0 || k >= T) continue;
          const int m = folds[f].m0 + r;
          dut->act_in[r] = to_port(m < M_ ? X[m * K + k] : 0, kBits);  // rows past M: zero operands
          dut->act_valid_in[r] = 1;
          dut->act_last_in[r] = k == T - 1;
        }
      }
      for (int c = 0; c < C; ++c) {
        dut->w_in[c] = 0;
        for (std::int64_t f = 0; f < F; ++f) {
          const std::int64_t k = t - folds[f].t0 - c;
          const int n = folds[f].n0 + c;
          if (k >= 0 && k < T && n < N) dut->w_in[c] = to_port(W[k * N + n], kBits);
        }
      }
      dut.tick();
      for (int r = 0; r < R; ++r)
        for (int c = 0; c < C; ++c) {
          if (!dut->sum_valid[r][c]) continue;
          // The fold whose last operand passed PE(r,c) at this edge.
          std::int64_t f = 0;
          while (f < F && folds[f].t0 + T - 1 + r + c != t) ++f;
          ASSERT_LT(f, F) << "PE(" << r << "," << c << ") hands out a sum at edge " << t << ", which ends no fold";
          ++handed[(f * R + r) * C + c];
          const int m = folds[f].m0 + r, n = folds[f].n0 + c;
          if (m >= M_ || n >= N) continue;
          ++seen[m * N + n];
          ASSERT_EQ(static_cast<std::int32_t>(dut->sum_out[r][c]), want[m * N + n])
              << "out[" << m << "][" << n << "] from PE(" << r << "," << c << ") at edge " << t;
        }
    }
    for (std::size_t i = 0; i < handed.size(); ++i) ASSERT_EQ(handed[i], 1) << "fold/PE " << i << " handed out " << handed[i] << " sums";
    for (int i = 0; i < M_ * N; ++i) ASSERT_EQ(seen[i], 1) << "output " << i;
  }
  Dut<typename M::Model> dut;
};

using Models = ::testing::Types<OsArrayModel<Vpe_array_os_4x16, 4, 16, 8>, OsArrayModel<Vpe_array_os_3x5_d16, 3, 5, 16>>;
TYPED_TEST_SUITE(RtlPeArrayOs, Models);

TYPED_TEST(RtlPeArrayOs, OverlappedFoldsBackToBack) {
  this->run_gemm(11, 37, 21, 0, false, 1);
}
TYPED_TEST(RtlPeArrayOs, ScaleSimFoldsSerialized) {
  this->run_gemm(9, 20, 33, TestFixture::R + TestFixture::C - 2, false, 2);
}
TYPED_TEST(RtlPeArrayOs, StalledFoldsAndOneOperandFolds) {
  this->run_gemm(7, 1, 40, 0, true, 3);
  this->run_gemm(13, 5, 6, 0, true, 4);
}
TYPED_TEST(RtlPeArrayOs, ResetClearsEveryAccumulator) {
  // Operands without a last bit leave sums in the accumulators; after reset a fresh GEMM is exact.
  for (int r = 0; r < TestFixture::R; ++r) this->dut->act_in[r] = 1, this->dut->act_valid_in[r] = 1;
  for (int c = 0; c < TestFixture::C; ++c) this->dut->w_in[c] = 1;
  for (int i = 0; i < 5; ++i) this->dut.tick();
  for (int r = 0; r < TestFixture::R; ++r) this->dut->act_valid_in[r] = 0;
  this->dut->rst = 1;
  this->dut.tick();
  this->dut->rst = 0;
  this->run_gemm(5, 6, 7, 0, false, 5);
}

}  // namespace
}  // namespace rcsim::rtltest
