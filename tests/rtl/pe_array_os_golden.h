#pragma once
// The output-stationary array's per-PE rule (rtl/pe_os.sv, docs/pe-array-timing.md,
// "Output-stationary") written out plainly in C++: every register of every PE updated at every
// edge. Written for reading, not speed — it is what the C++ model
// (sim/accel/pe_array/systolic_os_pe_array.cpp) computed before it kept its registers in
// shifted layouts, and the tests compare that model's per-PE view with it edge by edge.
#include <cstdint>
#include <vector>

#include "core/int_arith.h"

namespace rcsim::rtltest {

/// A sum leaving PE(row, col) at an edge: the fold of the "last" operand that passed and the sum.
struct OsHandOut {
  int row, col;
  std::int32_t fold, sum;
};

class PeArrayOsGolden {
 public:
  PeArrayOsGolden(int rows, int cols) : R_(rows), C_(cols) {
    const std::size_t n = std::size_t(rows) * std::size_t(cols);
    a_.assign(n, 0), w_.assign(n, 0), acc_.assign(n, 0), sum_.assign(n, 0), fold_.assign(n, 0);
    a_valid_.assign(n, false), a_last_.assign(n, false), sum_valid_.assign(n, false);
  }

  /// One clock edge: act/valid/last/fold enter column 0 of each row, w enters row 0 of each
  /// column. Visiting PEs from the far corner backwards updates in place while each PE still
  /// reads its left and upper neighbours' values from before the edge. Returns the hand-outs,
  /// far end first (rows, then columns, descending).
  std::vector<OsHandOut> edge(const std::vector<std::int32_t>& act, const std::vector<std::uint8_t>& valid,
                              const std::vector<std::uint8_t>& last, const std::vector<std::int32_t>& fold,
                              const std::vector<std::int32_t>& w) {
    std::vector<OsHandOut> out;
    for (int r = R_ - 1; r >= 0; --r)
      for (int c = C_ - 1; c >= 0; --c) {
        const std::size_t i = idx(r, c);
        const std::int32_t a_in = c == 0 ? act[std::size_t(r)] : a_[i - 1];
        const bool v_in = c == 0 ? valid[std::size_t(r)] != 0 : bool(a_valid_[i - 1]);
        const bool l_in = c == 0 ? last[std::size_t(r)] != 0 : bool(a_last_[i - 1]);
        const std::int32_t f_in = c == 0 ? fold[std::size_t(r)] : fold_[i - 1];
        const std::int32_t w_in = r == 0 ? w[std::size_t(c)] : w_[i - std::size_t(C_)];
        const std::int32_t s = arith::mac(acc_[i], w_in, a_in);
        sum_valid_[i] = v_in && l_in;
        if (v_in && l_in) {
          sum_[i] = s, acc_[i] = 0;
          out.push_back({r, c, f_in, s});
        } else if (v_in) {
          acc_[i] = s;
        }
        a_[i] = a_in, a_valid_[i] = v_in, a_last_[i] = l_in, fold_[i] = f_in, w_[i] = w_in;
      }
    return out;
  }

  std::int32_t acc(int r, int c) const { return acc_[idx(r, c)]; }
  std::int32_t a(int r, int c) const { return a_[idx(r, c)]; }
  bool a_valid(int r, int c) const { return a_valid_[idx(r, c)]; }
  bool a_last(int r, int c) const { return a_last_[idx(r, c)]; }
  std::int32_t w(int r, int c) const { return w_[idx(r, c)]; }
  bool sum_valid(int r, int c) const { return sum_valid_[idx(r, c)]; }
  std::int32_t sum(int r, int c) const { return sum_[idx(r, c)]; }

 private:
  std::size_t idx(int r, int c) const { return std::size_t(r) * std::size_t(C_) + std::size_t(c); }
  int R_, C_;
  std::vector<std::int32_t> a_, w_, acc_, sum_, fold_;
  std::vector<bool> a_valid_, a_last_, sum_valid_;
};

}  // namespace rcsim::rtltest
