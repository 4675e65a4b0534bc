// rtl/pe_array.sv (16×16, 4×16 int8 and 4×4 int16 instances) against the contract's golden model
// (pe_array_golden.h) every cycle, and against GEMMs computed directly with int_arith.h when
// real folds are streamed through it per docs/pe-array-timing.md.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <map>
#include <vector>

#include "core/int_arith.h"
#include "rtl/operand_source.h"
#include "rtl/pe_array_golden.h"
#include "rtl/rtl_dut.h"
#include "rtl/ws_fold_schedule.h"

#ifndef RCSIM_RTL_NO_16X16
#include "Vpe_array_16x16.h"
#endif
#include "Vpe_array_4x16.h"
#include "Vpe_array_4x4_d16.h"

namespace rcsim::rtltest {
namespace {

template <class V, int R, int C, int Bits>
struct ArrayModel {
  using Model = V;
  static constexpr int rows = R, cols = C, bits = Bits;
};

template <class M>
class RtlPeArray : public ::testing::Test {
 protected:
  static constexpr int R = M::rows, C = M::cols, kBits = M::bits;

  void drive(const PeArrayInputs& in) {
    for (int r = 0; r < R; ++r) {
      dut->act_in[r] = to_port(in.act[r], kBits);
      dut->act_valid_in[r] = in.act_valid[r];
      dut->act_sel_in[r] = in.act_sel[r];
    }
    for (int c = 0; c < C; ++c) dut->w_in[c] = to_port(in.w[c], kBits);
    dut->load = in.load;
    dut->load_sel = in.load_sel;
    dut.tick();
    golden.edge(in);
  }
  std::int32_t psum(int c) { return static_cast<std::int32_t>(dut->psum_out[c]); }
  bool psum_valid(int c) { return dut->psum_valid[c] != 0; }

  /// Every output equals the golden model's after the last edge.
  ::testing::AssertionResult matches_golden() {
    for (int c = 0; c < C; ++c) {
      if (psum(c) != golden.psum_out(c) || psum_valid(c) != golden.psum_valid(c))
        return ::testing::AssertionFailure()
               << "cycle " << dut.cycles() << " column " << c << ": rtl " << psum(c) << "/"
               << psum_valid(c) << ", golden " << golden.psum_out(c) << "/" << golden.psum_valid(c);
    }
    return ::testing::AssertionSuccess();
  }

  /// Runs out[m][n] = Σ_k W[k][n]·X[m][k] through the array fold by fold and compares with the
  /// direct GEMM (int32 wrap). `bubble_p`: probability of a bubble slot between pixels.
  void run_gemm(int M_, int K, int N, bool overlapped, double bubble_p, std::uint64_t seed) {
    OperandSource src(seed, kBits);
    std::vector<std::int32_t> W(K * N), X(M_ * K);
    for (auto& v : W) v = src.operand();
    for (auto& v : X) v = src.operand();
    std::vector<WsFold> folds;
    std::vector<std::pair<int, int>> origin;  // (k0, n0) per fold
    for (int k0 = 0; k0 < K; k0 += R)
      for (int n0 = 0; n0 < N; n0 += C) {
        WsFold f;
        f.w.assign(R * C, 0);
        f.x.assign(M_ * R, 0);
        for (int r = 0; r < R && k0 + r < K; ++r) {
          for (int c = 0; c < C && n0 + c < N; ++c) f.w[r * C + c] = W[(k0 + r) * N + n0 + c];
          for (int m = 0; m < M_; ++m) f.x[m * R + r] = X[m * K + k0 + r];
        }
        for (int m = 0; m < M_; ++m) {
          while (src.chance(bubble_p)) f.slots.push_back(-1);
          f.slots.push_back(m);
        }
        folds.push_back(std::move(f));
        origin.emplace_back(k0, n0);
      }
    const WsSchedule s = schedule_ws_folds(R, C, folds, overlapped);
    std::map<std::int64_t, std::vector<WsResult>> at;
    for (const WsResult& res : s.results) at[res.edge].push_back(res);

    std::vector<std::int32_t> out(M_ * N, 0);  // the accumulator SRAM: sums over k-folds
    for (std::size_t e = 0; e < s.edges.size(); ++e) {
      drive(s.edges[e]);
      ASSERT_TRUE(matches_golden());
      std::vector<bool> expect_valid(C, false);
      if (auto it = at.find(static_cast<std::int64_t>(e)); it != at.end())
        for (const WsResult& res : it->second) {
          if (res.m < 0) continue;
          expect_valid[res.c] = true;
          const auto [k0, n0] = origin[res.fold];
          if (n0 + res.c < N)
            out[res.m * N + n0 + res.c] = arith::wrap_add(out[res.m * N + n0 + res.c], psum(res.c));
        }
      for (int c = 0; c < C; ++c)
        ASSERT_EQ(psum_valid(c), expect_valid[c]) << "edge " << e << " column " << c;
    }
    for (int m = 0; m < M_; ++m)
      for (int n = 0; n < N; ++n) {
        std::int32_t ref = 0;
        for (int k = 0; k < K; ++k) ref = arith::mac(ref, W[k * N + n], X[m * K + k]);
        ASSERT_EQ(out[m * N + n], ref) << "out[" << m << "][" << n << "]";
      }
  }

  Dut<typename M::Model> dut;
  PeArrayGolden golden{R, C};
};

#ifdef RCSIM_RTL_NO_16X16  // the coverage build (tests/rtl/coverage.sh)
using ArrayModels = ::testing::Types<ArrayModel<Vpe_array_4x16, 4, 16, 8>,
                                     ArrayModel<Vpe_array_4x4_d16, 4, 4, 16>>;
#else
using ArrayModels = ::testing::Types<ArrayModel<Vpe_array_16x16, 16, 16, 8>,
                                     ArrayModel<Vpe_array_4x16, 4, 16, 8>,
                                     ArrayModel<Vpe_array_4x4_d16, 4, 4, 16>>;
#endif
TYPED_TEST_SUITE(RtlPeArray, ArrayModels);

TYPED_TEST(RtlPeArray, PreloadPutsRowROfTheFoldIntoRowR) {
  constexpr int R = TestFixture::R, C = TestFixture::C;
  // A distinct in-range int8 value per (row, column, buffer).
  const auto tag = [](int r, int c, int buf) { return (r * 31 + c * 7 + buf * 13) % 255 - 127; };
  for (int buf : {0, 1}) {
    for (int j = 0; j < R; ++j) {
      PeArrayInputs in(R, C);
      in.load = true;
      in.load_sel = buf;
      for (int c = 0; c < C; ++c) in.w[c] = tag(R - 1 - j, c, buf);
      this->drive(in);
    }
    for (int r = 0; r < R; ++r)
      for (int c = 0; c < C; ++c) ASSERT_EQ(this->golden.weight(r, c, buf), tag(r, c, buf));
  }
  // Observe the RTL's weights through the array: one-hot operands (row r, either select) make
  // the bottom outputs show W_b[r][c]; compare with the golden model every cycle.
  for (int buf : {0, 1})
    for (int r = 0; r < R; ++r) {
      PeArrayInputs in(R, C);
      for (int rr = 0; rr < R; ++rr) {
        in.act_valid[rr] = true;
        in.act_sel[rr] = buf;
        in.act[rr] = rr == r ? 1 : 0;
      }
      this->drive(in);
      ASSERT_TRUE(this->matches_golden());
    }
  for (int i = 0; i < R + C; ++i) {
    this->drive(PeArrayInputs(R, C));
    ASSERT_TRUE(this->matches_golden());
  }
}

TYPED_TEST(RtlPeArray, ExtremeOperandsInEveryPe) {
  constexpr int R = TestFixture::R, C = TestFixture::C, B = TestFixture::kBits;
  const std::int32_t lo = arith::qmin(B), hi = arith::qmax(B);
  for (int j = 0; j < R; ++j) {
    PeArrayInputs in(R, C);
    in.load = true;
    for (int c = 0; c < C; ++c) in.w[c] = (c % 2) ? lo : hi;
    this->drive(in);
  }
  for (int i = 0; i < 4 * (R + C); ++i) {
    PeArrayInputs in(R, C);
    for (int r = 0; r < R; ++r) {
      in.act_valid[r] = true;
      in.act[r] = (i + r) % 3 == 0 ? lo : hi;
    }
    this->drive(in);
    ASSERT_TRUE(this->matches_golden());
  }
}

TYPED_TEST(RtlPeArray, GemmSerializedFolds) {
  // K and N not multiples of the array: partial folds with unused rows and columns.
  this->run_gemm(9, TestFixture::R * 2 + 3, TestFixture::C + 5, false, 0.0, 21);
}

TYPED_TEST(RtlPeArray, GemmOverlappedFoldsLoadWhileComputing) {
  // Next fold's weights preload into the other buffer while the current fold computes.
  this->run_gemm(20, TestFixture::R * 3 - 1, TestFixture::C * 2 - 3, true, 0.0, 22);
}

TYPED_TEST(RtlPeArray, GemmOverlappedFoldsShortStreams) {
  // T < R + C: the next load must wait for the buffer's last multiply (fold f−2).
  this->run_gemm(2, TestFixture::R * 3, TestFixture::C * 2, true, 0.0, 23);
}

TYPED_TEST(RtlPeArray, GemmWithBubbles) {
  this->run_gemm(12, TestFixture::R + 1, TestFixture::C, true, 0.3, 24);
}

// Random inputs on every port every cycle (loads into either buffer while operands of both
// selects are in flight, bubbles, corner operands), compared with the golden model every cycle.
// Cycle budget: ~1.2 M cycles per model (fewer PEs → more cycles is cheap; the 16×16 instance
// gets 4 × 250 000).
TYPED_TEST(RtlPeArray, RandomCyclesMatchTheGoldenModel) {
  constexpr int R = TestFixture::R, C = TestFixture::C;
  const int per_seed = R * C >= 256 ? 250000 : 300000;
  for (std::uint64_t seed : {31u, 32u, 33u, 34u}) {
    OperandSource src(seed * 15485863 + R * 100 + C, TestFixture::kBits);
    PeArrayInputs in(R, C);
    double valid_p = 0.8;
    for (int i = 0; i < per_seed; ++i) {
      if (i % 1024 == 0) valid_p = std::array<double, 3>{0.2, 0.8, 1.0}[src.uniform(0, 2)];
      for (int r = 0; r < R; ++r) {
        in.act[r] = src.operand();
        in.act_valid[r] = src.chance(valid_p);
        in.act_sel[r] = src.chance(0.5);
      }
      for (int c = 0; c < C; ++c) in.w[c] = src.operand();
      in.load = src.chance(0.3);
      in.load_sel = src.chance(0.5);
      this->drive(in);
      ASSERT_TRUE(this->matches_golden()) << "seed " << seed << " cycle " << i;
    }
  }
}

}  // namespace
}  // namespace rcsim::rtltest
