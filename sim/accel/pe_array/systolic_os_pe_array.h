#pragma once
// The C++ model of the output-stationary array (i_os_pe_array.h), clocked one edge at a time by
// one SystemC process (like the weight-stationary model, systolic_pe_array.h).
//
// Its cost per edge follows the PEs that can change an accumulator, not R×C. The moving
// registers are not stored PE by PE but where the contract's shifts are free:
//  - operands move right one column per edge, so a_reg(r,c) after edge t is the operand that
//    entered row r at edge t−c: each row keeps its entry history (invalid operands as 0, which
//    adds nothing), read at a moving head; the valid and last bits and fold numbers of the last
//    C edges are kept as one R-wide snapshot per edge;
//  - weights move down one row per edge, so w_reg(r,c) after edge t is the weight that entered
//    column c at edge t−r: a ring of the last R input rows, each with its non-zero columns;
//  - the accumulators stay in place (acc(r,c) is PE(r,c)'s), with each row's columns that may
//    be non-zero.
// Each row remembers the spans of edges whose operands may be non-zero; an edge multiplies only
// where such a span meets non-zero weights. A row whose accumulators are all 0 and whose
// operands in the array are all 0 is idle: its hand-outs are 0 and change nothing, so only
// "live" rows follow their "last" operands through the array and move sums out. The list of
// every PE's hand-outs (drained()) is built from the snapshots only when asked for (lock-step
// comparison, tests); the `os` driver reads the PEs it uses through handed_out(). Idle rows and
// columns (bubbles, the zero operands of unused rows, zero weights of unused columns, fill and
// drain) therefore cost no MAC and no hand-out.
#include <cstdint>
#include <vector>

#include "accel/pe_array/operand_spans.h"
#include "accel/pe_array/i_os_pe_array.h"

namespace rcsim {

class SystolicOsPeArray final : public IOsPeArray {
 public:
  SystolicOsPeArray(int rows, int cols);
  int rows() const override { return R_; }
  int cols() const override { return C_; }
  void reset() override;
  void set_inputs(const OsPeArrayInputs& in) override { in_ = &in; }
  void step() override;
  /// Every PE's hand-out at the last edge, far end first (built on the first call after an edge).
  const std::vector<OsDrain>& drained() const override;
  bool handed_out(int r, int c, std::int32_t& sum) const override;
  std::string backend() const override { return "systolic"; }
  /// Every PE's accumulator (acc_r_c).
  void probe_state(SignalSink& sink) const override;

  // PE(r, c)'s registers after the last edge (rtl/pe_os.sv's names; for tests and probes).
  std::int32_t acc(int r, int c) const { return acc_[std::size_t(r) * C_ + std::size_t(c)]; }
  bool a_valid(int r, int c) const { return c <= t_ - 1 && v_ring_[snap_slot(c) * std::size_t(R_) + std::size_t(r)]; }
  /// a_last of a valid operand (the last bit of a bubble is not kept: it changes nothing).
  bool a_last(int r, int c) const { return c <= t_ - 1 && l_ring_[snap_slot(c) * std::size_t(R_) + std::size_t(r)]; }
  /// The operand of a valid a_reg (0 for a bubble, whose value changes nothing).
  std::int32_t a_reg(int r, int c) const;
  std::int32_t w_reg(int r, int c) const { return w_[std::size_t(w_slot(r)) * C_ + std::size_t(c)]; }

 private:
  using Span = OperandSpan;  ///< accel/pe_array/operand_spans.h
  /// Snapshot slot of the edge whose operands sit in column c after the last edge.
  std::size_t snap_slot(int c) const { return std::size_t((snap_ - c + C_) % C_); }
  /// Weight-ring slot of the row that sits in array row r after the last edge.
  int w_slot(int r) const { return (w_head_ - r + R_) % R_; }
  void relocate_history();
  void load_weight_row(const std::vector<std::int32_t>& w_in);
  /// Hand-outs of live row r at edge t, where t − c is a "last" entry: accumulators move to sum_.
  void hand_out_row(int r, std::int64_t t);
  /// Row r became live at edge t: its "last" operands still in the array, from the snapshots.
  void follow_lasts(int r, std::int64_t t);

  int R_, C_;
  const OsPeArrayInputs* in_ = nullptr;
  std::int64_t t_ = 0;      ///< edges since reset
  std::int64_t stamp_ = 0;  ///< edges since construction (sum_edge_ survives resets)

  // Operand history per row, newest first: a_reg(r, c) = hist_a_[r·stride_ + head_ + c].
  int slack_;           ///< entries written before the window must move back to the end
  std::size_t stride_;  ///< slack_ + C_
  int head_;
  std::vector<std::int32_t> hist_a_;  ///< operand, 0 when not valid
  // Per edge of the last C: the R rows' a_valid, a_valid && a_last and fold; slot snap_ = last edge.
  int snap_ = 0;
  std::vector<std::uint8_t> v_ring_, l_ring_;
  std::vector<std::int32_t> f_ring_;

  // Per row: a ring of operand spans and (live rows) of the edges of the "last" operands in the
  // array, oldest first.
  int ring_cap_;  ///< power of two > C
  std::vector<Span> spans_;
  std::vector<int> span_first_, span_count_;
  std::vector<std::int64_t> lasts_;
  std::vector<int> last_first_, last_count_;

  // Weight rows of the last R edges (slot w_head_ = the last), each slot's non-zero columns [lo, hi).
  std::vector<std::int32_t> w_;
  int w_head_ = 0;
  std::vector<int> w_lo_, w_hi_;

  // Accumulators, and per row the columns [lo, hi) that may be non-zero (written since reset;
  // a row with a non-empty range is live).
  std::vector<std::int32_t> acc_;
  std::vector<int> acc_lo_, acc_hi_;
  std::vector<std::uint8_t> busy_;  ///< per row: live or some operand span in the array
  // Hand-outs: sum_ holds PE(r,c)'s last hand-out of a live row, sum_edge_ its stamp_ (a
  // hand-out of an idle row or outside the live range is 0 and is not written).
  std::vector<std::int32_t> sum_;
  std::vector<std::int64_t> sum_edge_;

  mutable std::vector<OsDrain> drained_;
  mutable std::int64_t drained_edge_ = -1;  ///< edge drained_ was built for
};

}  // namespace rcsim
