// The fold schedule (hand-derived cases) and the systolic PE-array model against
// docs/pe-array-timing.md, driven through IPeArray exactly
// as a testbench would drive the RTL: preload, skewed operands, results at the bottom at the
// cycle the contract names (and not one cycle earlier), double buffering, bubbles, wrap-around.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "accel/controller.h"
#include "accel/pe_array/i_pe_array.h"
#include "accel/pe_array/systolic_pe_array.h"
#include "core/errors.h"
#include "core/int_arith.h"
#include "rtl/pe_array_golden.h"

namespace rcsim {
namespace {

// Drives one fold (or two back to back, second into the other buffer) and records every valid
// bottom output as (cycle, column) → value.
struct Driver {
  std::unique_ptr<IPeArray> pe;
  PeArrayInputs in;
  std::int64_t t = 0;
  std::map<std::pair<std::int64_t, int>, std::int32_t> outs;
  Driver(int R, int C) : pe(make_pe_array("systolic", {R, C})) { in.resize(R, C); }
  void step() {
    pe->set_inputs(in);
    pe->step();
    for (int c = 0; c < pe->cols(); ++c)
      if (pe->outputs().psum_valid[c]) outs[{t, c}] = pe->outputs().psum_out[c];
    ++t;
    in.resize(pe->rows(), pe->cols());
  }
};

// W[k][n], X[m][k]: the fold's GEMM.
using Mat = std::vector<std::vector<std::int32_t>>;

std::int32_t dot(const Mat& W, const Mat& X, int m, int n) {
  std::int32_t s = 0;
  for (std::size_t k = 0; k < W.size(); ++k) s = arith::mac(s, W[k][n], X[m][k]);
  return s;
}

TEST(PeArray, OneFoldResultsAppearWhereTheContractSays) {
  const int R = 3, C = 4, T = 5;
  std::mt19937 rng(1);
  std::uniform_int_distribution<int> d(-128, 127);
  Mat W(R, std::vector<std::int32_t>(C)), X(T, std::vector<std::int32_t>(R));
  for (auto& row : W) for (auto& w : row) w = d(rng);
  for (auto& row : X) for (auto& x : row) x = d(rng);
  Driver dr(R, C);
  // Preload: in load cycle j, w_in[c] = W[R−1−j][c].
  for (int j = 0; j < R; ++j) {
    dr.in.load = true;
    dr.in.load_sel = 0;
    for (int c = 0; c < C; ++c) dr.in.w_in[c] = W[R - 1 - j][c];
    dr.step();
  }
  const std::int64_t t0 = dr.t;  // = R
  // Operand X[m][r] at act_in[r] in cycle t0 + m + r; run until the last result has latched.
  while (dr.t <= t0 + T + R + C - 3) {
    for (int r = 0; r < R; ++r) {
      const std::int64_t m = dr.t - t0 - r;
      if (m >= 0 && m < T) dr.in.act_in[r] = X[m][r], dr.in.act_valid[r] = 1, dr.in.act_sel[r] = 0;
    }
    dr.step();
  }
  // Column c's sum for pixel m is latched by the edge of cycle t0 + m + (R−1) + c.
  ASSERT_EQ(dr.outs.size(), std::size_t(T * C));
  for (int m = 0; m < T; ++m)
    for (int c = 0; c < C; ++c) {
      const auto it = dr.outs.find({t0 + m + R - 1 + c, c});
      ASSERT_NE(it, dr.outs.end()) << "m=" << m << " c=" << c;
      EXPECT_EQ(it->second, dot(W, X, m, c)) << "m=" << m << " c=" << c;
    }
  // Fold time from first operand to last result: T + R + C − 2 cycles.
  EXPECT_EQ(dr.outs.rbegin()->first.first - t0 + 1, T + R + C - 2);
}

TEST(PeArray, NextFoldLoadsIntoTheOtherBufferWhileTheCurrentOneComputes) {
  const int R = 2, C = 2, T = 4;
  const Mat W0{{1, 2}, {3, 4}}, W1{{-5, 6}, {7, -8}};
  const Mat X{{1, 1}, {2, -1}, {0, 3}, {5, 5}};
  Driver dr(R, C);
  for (int j = 0; j < R; ++j) {
    dr.in.load = true, dr.in.load_sel = 0;
    for (int c = 0; c < C; ++c) dr.in.w_in[c] = W0[R - 1 - j][c];
    dr.step();
  }
  const std::int64_t t0 = dr.t, t1 = t0 + T;  // fold 1 streams right behind fold 0
  while (dr.t <= t1 + T + R + C - 3) {
    // Buffer 1 loads during fold 0's first R cycles of streaming.
    const std::int64_t j = dr.t - t0;
    if (j >= 0 && j < R) {
      dr.in.load = true, dr.in.load_sel = 1;
      for (int c = 0; c < C; ++c) dr.in.w_in[c] = W1[R - 1 - j][c];
    }
    for (int r = 0; r < R; ++r) {
      for (auto [start, sel] : {std::pair{t0, 0}, {t1, 1}}) {
        const std::int64_t m = dr.t - start - r;
        if (m >= 0 && m < T)
          dr.in.act_in[r] = X[m][r], dr.in.act_valid[r] = 1, dr.in.act_sel[r] = std::uint8_t(sel);
      }
    }
    dr.step();
  }
  for (int m = 0; m < T; ++m)
    for (int c = 0; c < C; ++c) {
      EXPECT_EQ(dr.outs.at({t0 + m + R - 1 + c, c}), dot(W0, X, m, c));
      EXPECT_EQ(dr.outs.at({t1 + m + R - 1 + c, c}), dot(W1, X, m, c));
    }
}

TEST(PeArray, BubblesAreNotValidAndSumsWrapAround) {
  Driver dr(1, 1);
  dr.in.load = true;
  dr.in.w_in[0] = 32767;
  dr.step();
  dr.step();  // bubble
  EXPECT_EQ(dr.outs.count({1, 0}), 0u);
  dr.in.act_in[0] = 32767, dr.in.act_valid[0] = 1;
  dr.step();
  EXPECT_EQ(dr.outs.at({2, 0}), arith::mul(32767, 32767));
  dr.pe->reset();
  EXPECT_EQ(dr.pe->outputs().psum_valid[0], 0);
}

// The systolic model skips PEs whose partial sums cannot change (bubbles, zero operands, zero
// weights, fill and drain) and keeps its registers in shifted layouts; every register the
// contract defines must still match the plain golden model (tests/rtl/pe_array_golden.h) edge
// by edge, on stimulus mixing dense bursts, sparse operands, invalid non-zero operands, zero
// weight columns, both buffers and resets, long enough to wrap the operand history.
TEST(PeArray, SkippingIdlePesMatchesTheGoldenModelOnRandomStimulus) {
  for (const auto& [R, C] : std::vector<std::pair<int, int>>{{1, 1}, {1, 5}, {3, 1}, {4, 7}, {16, 16}, {5, 37}, {9, 3}}) {
    SystolicPeArray pe(R, C);
    rtltest::PeArrayGolden golden(R, C);
    std::mt19937_64 rng(std::uint64_t(R * 1000 + C));
    std::uniform_int_distribution<int> pct(0, 99), val(-128, 127), wide(-40000, 40000);
    PeArrayInputs in;
    in.resize(R, C);
    int dense = 50;  // % chance a row gets a valid operand; changes in phases
    for (int t = 0; t < 6000; ++t) {
      if (t % 500 == 0) dense = std::vector<int>{0, 3, 30, 90, 100}[std::size_t(pct(rng) % 5)];
      if (t == 4321) {
        pe.reset();
        golden = rtltest::PeArrayGolden(R, C);
      }
      rtltest::PeArrayInputs g(R, C);
      for (int r = 0; r < R; ++r) {
        in.act_valid[r] = std::uint8_t(pct(rng) < dense);
        const int kind = pct(rng);
        in.act_in[r] = kind < 20 ? 0 : kind < 25 ? wide(rng) : val(rng);
        in.act_sel[r] = std::uint8_t(pct(rng) < 50);
        g.act[r] = in.act_in[r], g.act_valid[r] = in.act_valid[r] != 0, g.act_sel[r] = in.act_sel[r] != 0;
      }
      in.load = pct(rng) < 30;
      in.load_sel = std::uint8_t(pct(rng) < 50);
      const int used = pct(rng) % (C + 1);  // columns beyond `used` load zero weights
      for (int c = 0; c < C; ++c) in.w_in[c] = c < used && pct(rng) < 90 ? val(rng) : 0;
      g.load = in.load, g.load_sel = in.load_sel != 0, g.w = in.w_in;
      pe.set_inputs(in);
      pe.step();
      golden.edge(g);
      for (int c = 0; c < C; ++c) {
        ASSERT_EQ(pe.outputs().psum_out[c], golden.psum_out(c)) << R << "x" << C << " edge " << t << " column " << c;
        ASSERT_EQ(pe.outputs().psum_valid[c] != 0, golden.psum_valid(c)) << R << "x" << C << " edge " << t;
      }
      if (t % 97 == 0)
        for (int r = 0; r < R; ++r)
          for (int c = 0; c < C; ++c) {
            ASSERT_EQ(pe.psum(r, c), golden.psum(r, c)) << R << "x" << C << " edge " << t << " PE " << r << "," << c;
            for (int b = 0; b < 2; ++b) ASSERT_EQ(pe.weight(b, r, c), golden.weight(r, c, b));
          }
    }
  }
}

TEST(PeArray, UnknownBackendListsTheValidOnes) {
  try {
    make_pe_array("verilog", {4, 4});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("systolic"), std::string::npos);
  }
}

}  // namespace
}  // namespace rcsim


namespace rcsim {
namespace {

// fold_schedule, derived by hand for a 2×2 array, T = 3, three folds.
// last_use(t0) = t0 + T + R + C − 3 = t0 + 4 (the last operand's multiply in PE(1,1)).
TEST(FoldSchedule, WsOverlappedHandDerived) {
  const FoldPlan p = plan_folds(GemmView{3, 2, 6}, Dataflow::WS, 2, 2);  // 1 row fold × 3 column folds
  ASSERT_EQ(p.folds.size(), 3u);
  const FoldSchedule s = fold_schedule(p, TimingMode::Overlapped);
  // f0: preload cycles 0–1, first operand at 2.
  // f1: the loader is free at 2 and buffer 1 was never used → preload 2–3; operands follow
  //     f0's last one: t0 = max(2 + 3, 2 + 2) = 5.
  // f2: buffer 0 is free once f0's last operand multiplied (2 + 4 = 6) → preload 7–8;
  //     t0 = max(5 + 3, 7 + 2) = 9. The layer's last result latches in 9 + 4 = 13.
  EXPECT_EQ(s.load_start, (std::vector<std::int64_t>{0, 2, 7}));
  EXPECT_EQ(s.t0, (std::vector<std::int64_t>{2, 5, 9}));
  EXPECT_EQ(s.last_cycle, 13);
}

TEST(FoldSchedule, ScaleSimSerializesFolds) {
  const FoldPlan ws = plan_folds(GemmView{3, 2, 6}, Dataflow::WS, 2, 2);
  const FoldSchedule s = fold_schedule(ws, TimingMode::ScaleSim);
  // Each fold: 2 preload + 2+2+3−2 = 5 compute cycles = 7 = 2R + C + T − 2.
  EXPECT_EQ(s.t0, (std::vector<std::int64_t>{2, 9, 16}));
  EXPECT_EQ(s.last_cycle, 3 * 7 - 1);
  EXPECT_EQ(s.last_cycle, scalesim_cycles(ws.g, Dataflow::WS, 2, 2));
  const FoldPlan os = plan_folds(GemmView{2, 3, 6}, Dataflow::OS, 2, 2);  // T = K = 3
  const FoldSchedule o = fold_schedule(os, TimingMode::ScaleSim);
  EXPECT_EQ(o.last_cycle, 3 * (2 + 2 + 3 - 2) - 1);
  EXPECT_EQ(o.last_cycle, scalesim_cycles(os.g, Dataflow::OS, 2, 2));
  // Overlapped OS: folds stream back to back, t0 = 0, 3, 6; last = 6 + 4.
  EXPECT_EQ(fold_schedule(os, TimingMode::Overlapped).last_cycle, 10);
}

TEST(FoldSchedule, BankConflictStallsLengthenThePreload) {
  const FoldPlan p = plan_folds(GemmView{3, 2, 6}, Dataflow::WS, 2, 2);
  const std::vector<std::int64_t> stalls{1, 0, 2};
  const FoldSchedule s = fold_schedule(p, TimingMode::Overlapped, &stalls);
  // f0 preloads 0–2 (3 cycles), t0 = 3; f1 preloads 3–4, t0 = max(6, 5) = 6;
  // f2 waits for buffer 0 (3 + 4 + 1 = 8), preloads 8–11, t0 = max(9, 12) = 12; last 16.
  EXPECT_EQ(s.load_start, (std::vector<std::int64_t>{0, 3, 8}));
  EXPECT_EQ(s.t0, (std::vector<std::int64_t>{3, 6, 12}));
  EXPECT_EQ(s.last_cycle, 16);
}

}  // namespace
}  // namespace rcsim
