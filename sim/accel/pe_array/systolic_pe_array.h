#pragma once
// The C++ model of the weight-stationary PE array (docs/pe-array-timing.md), clocked one edge at
// a time by one SystemC process (one process per PE would add R·C kernel activations and signal
// writes per cycle, docs/performance.md).
//
// Its cost per edge follows the PEs that can change a partial sum, not R×C. The registers are
// not stored PE by PE but in layouts where the contract's shifts are free:
//  - operands move right one column per edge, so a_reg(r,c) after edge t is the operand that
//    entered row r at edge t−c: each row keeps its entry history (invalid operands as 0, which
//    adds nothing), read at a moving head;
//  - partial sums move down one row per edge with the same skew, so p_reg(r,c) after edge t is
//    the sum over rows 0..r of one "wave" u = t−r: R wave accumulators, row r adding into wave
//    t−r (a bubble adds nothing, which is the contract's pass-through);
//  - weights shift down one row per load edge: each buffer is a ring of R loaded rows.
// Each row remembers the spans of edges whose operands may be non-zero; an edge multiplies only
// where such an operand meets a column holding a non-zero weight. Idle rows and columns (bubbles,
// the zero operands of unused rows, zero weights of unused columns, fill and drain) cost no MAC.
#include <cstdint>
#include <vector>

#include "accel/pe_array/operand_spans.h"
#include "accel/pe_array/i_pe_array.h"

namespace rcsim {

class SystolicPeArray final : public IPeArray {
 public:
  SystolicPeArray(int rows, int cols);
  int rows() const override { return R_; }
  int cols() const override { return C_; }
  void reset() override;
  void set_inputs(const PeArrayInputs& in) override { in_ = &in; }
  void step() override;
  const PeArrayOutputs& outputs() const override { return out_; }
  std::string backend() const override { return "systolic"; }
  /// Every PE's partial-sum register (p_reg_r_c).
  void probe_state(SignalSink& sink) const override;

  /// Weight buffer `sel` of PE(r,c) and partial sum of PE(r,c) (for tests).
  std::int32_t weight(int sel, int r, int c) const { return w_[sel][std::size_t(w_slot(sel, r)) * C_ + c]; }
  std::int32_t psum(int r, int c) const;

 private:
  using Span = OperandSpan;  ///< accel/pe_array/operand_spans.h
  /// Ring slot of buffer `sel` holding row r's weights (row 0 = the last loaded).
  int w_slot(int sel, int r) const { return (w_head_[sel] - r + R_) % R_; }
  void relocate_history();
  void load_weights(const std::vector<std::int32_t>& w_in, int sel);

  int R_, C_;
  const PeArrayInputs* in_ = nullptr;
  std::int64_t t_ = 0;  ///< edges since reset
  int wave_slot_ = 0;   ///< t_ mod R: the accumulator slot row 0 starts at the next edge

  // Operand history per row, newest first: a_reg(r, c) = hist_a_[r·stride_ + head_ + c].
  int slack_;           ///< entries written before the window must move back to the end
  std::size_t stride_;  ///< slack_ + C_
  int head_;
  std::vector<std::int32_t> hist_a_;  ///< operand, 0 when not valid
  std::vector<std::uint8_t> hist_s_;  ///< a_sel
  std::vector<std::uint8_t> hist_v_;  ///< a_valid of the bottom row only (= psum_valid)

  // Per row: a ring of spans, oldest first.
  int span_cap_;  ///< power of two
  std::vector<Span> spans_;
  std::vector<int> span_first_, span_count_;

  // Weight buffers: ring of R rows each, and each slot's non-zero columns [lo, hi).
  std::vector<std::int32_t> w_[2];
  int w_head_[2] = {0, 0};
  std::vector<int> w_lo_[2], w_hi_[2];

  // Wave accumulators: slot u mod R holds wave u; columns [lo, hi) written since it was cleared.
  std::vector<std::int32_t> p_;
  std::vector<int> p_lo_, p_hi_;

  PeArrayOutputs out_;
  int out_lo_ = 0, out_hi_ = 0;  ///< columns of psum_out that may be non-zero
};

}  // namespace rcsim
