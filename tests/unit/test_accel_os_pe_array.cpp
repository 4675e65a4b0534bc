// The output-stationary C++ model (sim/accel/pe_array/systolic_os_pe_array.h) keeps its
// registers in shifted layouts and skips idle rows, zero operands and zero weights; its per-PE
// view (accumulators, operand and weight registers, hand-outs) must still equal the plain per-PE
// rule (tests/rtl/pe_array_os_golden.h) at every edge — on odd shapes, narrow widths (zero-weight
// columns), bubbles, zero-operand rows, invalid non-zero operands and resets.
#include <gtest/gtest.h>

#include <random>
#include <tuple>

#include "accel/pe_array/i_os_pe_array.h"
#include "accel/pe_array/systolic_os_pe_array.h"
#include "rtl/pe_array_os_golden.h"

namespace rcsim {
namespace {

/// Random stimulus in phases: how many rows get a valid operand, how many operands are zero,
/// how many columns carry non-zero weights (a narrow width), and whether "last"s come in the os
/// dataflow's diagonal order (row r ends fold f at t0 + T−1 + r) or per row at random.
struct OsPhaseStimulus {
  OsPhaseStimulus(int rows, int cols, std::uint64_t seed) : R(rows), C(cols), rng(seed), fold(rows, 0) {
    in.resize(rows, cols);
  }
  void new_phase() {
    std::uniform_int_distribution<int> pick(0, 99);
    dense = std::vector<int>{0, 5, 40, 90, 100}[std::size_t(pick(rng) % 5)];
    zeros = std::vector<int>{0, 20, 60, 100}[std::size_t(pick(rng) % 4)];
    used_cols = pick(rng) % (C + 1);
    diagonal = pick(rng) < 50;
    T = 1 + pick(rng) % 12;
  }
  const OsPeArrayInputs& next(std::int64_t t) {
    std::uniform_int_distribution<int> pct(0, 99), val(-128, 127), wide(-40000, 40000);
    for (int r = 0; r < R; ++r) {
      const std::size_t i = std::size_t(r);
      in.act_valid[i] = std::uint8_t(diagonal || pct(rng) < dense);
      const int kind = pct(rng);
      in.act_in[i] = pct(rng) < zeros ? 0 : kind < 10 ? wide(rng) : val(rng);
      if (!in.act_valid[i] && pct(rng) < 50) in.act_in[i] = val(rng) | 1;  // a non-zero bubble adds nothing
      const bool last = diagonal ? (t - r) % T == T - 1 : pct(rng) < 6;
      in.act_last[i] = std::uint8_t(last);
      in.act_fold[i] = fold[i];
      fold[i] += in.act_valid[i] && last;
    }
    for (int c = 0; c < C; ++c) in.w_in[std::size_t(c)] = c < used_cols && pct(rng) < 85 ? val(rng) : 0;
    return in;
  }
  int R, C;
  std::mt19937_64 rng;
  std::vector<std::int32_t> fold;
  OsPeArrayInputs in;
  int dense = 100, zeros = 20, used_cols = 0, T = 5;
  bool diagonal = true;
};

/// IOsPeArray's default handed_out() (used by backends that only list their hand-outs): a
/// wrapper that forwards everything but handed_out().
class ListOnly final : public IOsPeArray {
 public:
  explicit ListOnly(IOsPeArray& inner) : inner_(inner) {}
  int rows() const override { return inner_.rows(); }
  int cols() const override { return inner_.cols(); }
  void reset() override { inner_.reset(); }
  void set_inputs(const OsPeArrayInputs& in) override { inner_.set_inputs(in); }
  void step() override { inner_.step(); }
  const std::vector<OsDrain>& drained() const override { return inner_.drained(); }
  std::string backend() const override { return "list-only"; }

 private:
  IOsPeArray& inner_;
};

TEST(OsPeArray, PerPeViewMatchesThePlainRuleEveryEdge) {
  for (const auto& [R, C] :
       std::vector<std::pair<int, int>>{{1, 1}, {1, 6}, {5, 1}, {4, 7}, {16, 16}, {5, 37}, {9, 3}, {33, 2}}) {
    SystolicOsPeArray pe(R, C);
    ListOnly list(pe);
    rtltest::PeArrayOsGolden golden(R, C);
    OsPhaseStimulus stim(R, C, std::uint64_t(R * 1000 + C));
    std::int64_t hand_outs = 0, nonzero = 0, t0 = 0;
    for (std::int64_t t = 0; t < 5000; ++t) {
      if (t % 400 == 0) stim.new_phase();
      if (t == 3217) {  // reset mid-stream clears every register
        pe.reset();
        golden = rtltest::PeArrayOsGolden(R, C);
        std::fill(stim.fold.begin(), stim.fold.end(), 0);
        t0 = t;
      }
      const OsPeArrayInputs& in = stim.next(t - t0);
      pe.set_inputs(in);
      pe.step();
      const std::vector<rtltest::OsHandOut> want =
          golden.edge(in.act_in, in.act_valid, in.act_last, in.act_fold, in.w_in);
      const std::vector<OsDrain>& got = pe.drained();
      ASSERT_EQ(got.size(), want.size()) << R << "x" << C << " edge " << t;
      for (std::size_t i = 0; i < got.size(); ++i)
        ASSERT_EQ(std::make_tuple(got[i].row, got[i].col, got[i].fold, got[i].sum),
                  std::make_tuple(want[i].row, want[i].col, want[i].fold, want[i].sum))
            << R << "x" << C << " edge " << t << " hand-out " << i;
      hand_outs += std::int64_t(want.size());
      for (const auto& h : want) nonzero += h.sum != 0;
      for (int r = 0; r < R; ++r)
        for (int c = 0; c < C; ++c) {
          // (R and C are structured bindings: C++17 lambdas may not capture them, so copies.)
          const auto at = [&, rows = R, cols = C] {
            return ::testing::Message() << rows << "x" << cols << " edge " << t << " PE " << r << "," << c;
          };
          ASSERT_EQ(pe.acc(r, c), golden.acc(r, c)) << at();
          ASSERT_EQ(pe.w_reg(r, c), golden.w(r, c)) << at();
          ASSERT_EQ(pe.a_valid(r, c), golden.a_valid(r, c)) << at();
          ASSERT_EQ(pe.a_last(r, c), golden.a_valid(r, c) && golden.a_last(r, c)) << at();
          if (golden.a_valid(r, c)) ASSERT_EQ(pe.a_reg(r, c), golden.a(r, c)) << at();
          std::int32_t sum = 0, listed = 0;
          ASSERT_EQ(pe.handed_out(r, c, sum), golden.sum_valid(r, c)) << at();
          ASSERT_EQ(list.handed_out(r, c, listed), golden.sum_valid(r, c)) << at();
          if (golden.sum_valid(r, c)) {
            ASSERT_EQ(sum, golden.sum(r, c)) << at();
            ASSERT_EQ(listed, golden.sum(r, c)) << at();
          }
        }
    }
    // The comparison saw real sums, not only the zeros of idle rows.
    EXPECT_GT(nonzero, 200) << R << "x" << C;
    EXPECT_GT(hand_outs, nonzero) << R << "x" << C;
  }
}

// A row that accumulated and then sees only zero operands (no operand span left in the array)
// must still hand out its sum when the fold's last, zero, operand passes; a row that never saw a
// non-zero operand hands out zeros.
TEST(OsPeArray, ZeroOperandsAfterASumStillHandItOut) {
  const int R = 2, C = 20;
  SystolicOsPeArray pe(R, C);
  rtltest::PeArrayOsGolden golden(R, C);
  OsPeArrayInputs in;
  in.resize(R, C);
  for (auto& w : in.w_in) w = 3;
  const int T = 40;  // 5 non-zero operands, then 35 zeros (longer than the array is wide)
  std::vector<OsDrain> seen;
  for (int t = 0; t < T + C + 2; ++t) {
    const bool streaming = t < T;
    in.act_valid = {std::uint8_t(streaming), std::uint8_t(streaming)};
    in.act_in = {streaming && t < 5 ? 7 : 0, 0};
    in.act_last = {std::uint8_t(t == T - 1), std::uint8_t(t == T - 1)};
    in.act_fold = {0, 0};
    pe.set_inputs(in);
    pe.step();
    golden.edge(in.act_in, in.act_valid, in.act_last, in.act_fold, in.w_in);
    for (const OsDrain& d : pe.drained()) seen.push_back(d);
  }
  ASSERT_EQ(seen.size(), std::size_t(2 * C));
  for (const OsDrain& d : seen) EXPECT_EQ(d.sum, d.row == 0 ? 5 * 7 * 3 : 0) << d.row << "," << d.col;
}

}  // namespace
}  // namespace rcsim
