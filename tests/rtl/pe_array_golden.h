#pragma once
// docs/pe-array-timing.md written out plainly in C++: the golden model the RTL pe_array is
// compared with every cycle. Written for reading, not speed: one loop applying the contract's
// register-transfer rule to every PE.
#include <cstdint>
#include <vector>

#include "core/int_arith.h"

namespace rcsim::rtltest {

/// What the array sees at one clock edge (one entry per row / column).
struct PeArrayInputs {
  std::vector<std::int32_t> act;        ///< act_in[r]
  std::vector<bool> act_valid;          ///< act_valid_in[r]
  std::vector<bool> act_sel;            ///< act_sel_in[r]
  std::vector<std::int32_t> w;          ///< w_in[c]
  bool load = false;
  bool load_sel = false;

  PeArrayInputs(int rows, int cols)
      : act(rows, 0), act_valid(rows, false), act_sel(rows, false), w(cols, 0) {}
};

class PeArrayGolden {
 public:
  PeArrayGolden(int rows, int cols)
      : rows_(rows), cols_(cols), a_(rows * cols, 0), a_valid_(rows * cols, false),
        a_sel_(rows * cols, false), p_(rows * cols, 0), p_valid_(rows * cols, false),
        w_buf0_(rows * cols, 0), w_buf1_(rows * cols, 0) {}

  /// One clock edge, all PEs at once (the contract's register-transfer rule). Every PE reads only
  /// its left and upper neighbours, so visiting PEs bottom-right to top-left updates in place
  /// while each PE still sees its neighbours' values from before the edge.
  void edge(const PeArrayInputs& in) {
    for (int r = rows_ - 1; r >= 0; --r)
      for (int c = cols_ - 1; c >= 0; --c) {
        const int i = idx(r, c);
        const int left = c == 0 ? -1 : idx(r, c - 1);
        const std::int32_t a_in = c == 0 ? in.act[r] : a_[left];
        const bool v_in = c == 0 ? in.act_valid[r] : a_valid_[left] != 0;
        const bool s_in = c == 0 ? in.act_sel[r] : a_sel_[left] != 0;
        const std::int32_t p_in = r == 0 ? 0 : p_[idx(r - 1, c)];
        const std::int32_t w = s_in ? w_buf1_[i] : w_buf0_[i];
        a_[i] = a_in;
        a_valid_[i] = v_in;
        a_sel_[i] = s_in;
        p_[i] = v_in ? arith::mac(p_in, w, a_in) : p_in;
        p_valid_[i] = v_in;
        if (in.load) {
          std::vector<std::int32_t>& buf = in.load_sel ? w_buf1_ : w_buf0_;
          buf[i] = r == 0 ? in.w[c] : buf[idx(r - 1, c)];
        }
      }
  }

  std::int32_t psum_out(int c) const { return p_[idx(rows_ - 1, c)]; }
  bool psum_valid(int c) const { return p_valid_[idx(rows_ - 1, c)] != 0; }
  std::int32_t psum(int r, int c) const { return p_[idx(r, c)]; }
  std::int32_t weight(int r, int c, int buf) const { return (buf ? w_buf1_ : w_buf0_)[idx(r, c)]; }

 private:
  int idx(int r, int c) const { return r * cols_ + c; }

  int rows_, cols_;
  std::vector<std::int32_t> a_;
  std::vector<std::uint8_t> a_valid_, a_sel_;
  std::vector<std::int32_t> p_;
  std::vector<std::uint8_t> p_valid_;
  std::vector<std::int32_t> w_buf0_, w_buf1_;
};

}  // namespace rcsim::rtltest
