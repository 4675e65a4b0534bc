#pragma once
// The output-stationary R×C array (per-cycle OS runs) in plain arrays, one loop per clock edge:
// operands move right carrying their fold and a "last" flag, weights move down, PE(r,c)
// accumulates out[m0+r][n0+c] in place and hands the sum to the post-processing path when the
// fold's last operand has passed. Not an IPeArray backend: that interface (and the RTL) is
// weight-stationary; this model sits in the same PeArray module slot.
#include <cstdint>
#include <vector>

namespace rcsim {

/// A partial sum leaving PE(row, col) at an edge: the fold it belongs to and its value.
struct OsDrain {
  int row;
  int col;
  std::int32_t fold;
  std::int32_t sum;
};

class OsPeArray {
 public:
  OsPeArray(int rows, int cols);
  int rows() const { return R_; }
  int cols() const { return C_; }
  /// Clears every register.
  void reset();

  // Inputs of the coming edge (the caller fills them each cycle).
  std::vector<std::int32_t> act_in;    ///< [R] operand entering column 0 of row r
  std::vector<std::uint8_t> v_in;      ///< [R] 1 if act_in[r] is an operand (else a bubble)
  std::vector<std::uint8_t> last_in;   ///< [R] 1 if it is its fold's last operand
  std::vector<std::int32_t> fold_in;   ///< [R] its fold
  std::vector<std::int32_t> w_in;      ///< [C] weight entering row 0 of column c

  /// One rising edge; the sums completed at it are appended to `drained` (cleared first).
  void step(std::vector<OsDrain>& drained);

 private:
  int R_, C_;
  std::vector<std::int32_t> a_, w_, pacc_, afold_;
  std::vector<std::uint8_t> av_, alast_;
};

}  // namespace rcsim
