#pragma once
// The Verilated output-stationary array (rtl/pe_array_os.sv) behind IOsPeArray, for any
// verilated model class V with DATA_W = Bits. rtl_array_models.cpp (generated from
// RCSIM_RTL_ARRAYS) instantiates it once per model the build contains.
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "accel/pe_array/i_os_pe_array.h"
#include "cosim/verilated_access.h"

namespace rcsim::cosim {

/// One verilated pe_array_os instance. The RTL hands out sums without a fold number (a PE
/// finishes exactly one sum per fold, in fold order); this wrapper numbers them by counting each
/// PE's hand-outs since reset — the controller's bookkeeping — so drained() has the C++ model's
/// form: one entry per sum_valid PE, rows and columns from the far end, like
/// SystolicOsPeArray::step() lists them.
template <class V, int Bits>
class VerilatedOsPeArray final : public IOsPeArray {
 public:
  VerilatedOsPeArray(int rows, int cols)
      : R_(rows), C_(cols), regs_(pe_registers(model_.context(), "pe_array_os", kRegs, R_, C_)) {
    reset();
  }

  int rows() const override { return R_; }
  int cols() const override { return C_; }
  void reset() override {
    model_->rst = 1;
    clock_edge(*model_);
    model_->rst = 0;
    fold_.assign(std::size_t(R_) * std::size_t(C_), 0);
    drained_.clear();
  }
  void set_inputs(const OsPeArrayInputs& in) override { in_ = &in; }
  void step() override {
    const OsPeArrayInputs& in = *in_;
    for (int r = 0; r < R_; ++r) {
      model_->act_in[r] = operand_port<Bits>(in.act_in[r]);
      model_->act_valid_in[r] = in.act_valid[r] & 1;
      model_->act_last_in[r] = in.act_last[r] & 1;
    }
    for (int c = 0; c < C_; ++c) model_->w_in[c] = operand_port<Bits>(in.w_in[c]);
    clock_edge(*model_);
    drained_.clear();
    for (int r = R_ - 1; r >= 0; --r)
      for (int c = C_ - 1; c >= 0; --c)
        if (model_->sum_valid[r][c])
          drained_.push_back({r, c, fold_[std::size_t(r) * std::size_t(C_) + std::size_t(c)]++,
                              static_cast<std::int32_t>(model_->sum_out[r][c])});
  }
  const std::vector<OsDrain>& drained() const override { return drained_; }
  bool handed_out(int r, int c, std::int32_t& sum) const override {
    if (!model_->sum_valid[r][c]) return false;
    sum = static_cast<std::int32_t>(model_->sum_out[r][c]);
    return true;
  }
  std::string backend() const override { return "rtl"; }
  /// Every PE register of rtl/pe_os.sv (public_flat_rd there), after the edge: `acc` is the C++
  /// model's acc, so the two backends' waveforms line up.
  void probe_state(SignalSink& sink) const override {
    sink.begin_scope("state");
    for (std::size_t f = 0; f < kRegs.size(); ++f)
      for (int r = 0; r < R_; ++r)
        for (int c = 0; c < C_; ++c) {
          const VerilatedVar* v = regs_[(f * std::size_t(R_) + std::size_t(r)) * std::size_t(C_) + std::size_t(c)];
          sink.reg(kRegs[f].vcd_name, r, c, kRegs[f].bits < 0 ? Bits : kRegs[f].bits, register_value<Bits>(*v));
        }
    sink.end_scope();
  }

 private:
  struct Reg {
    const char* rtl_name;
    const char* vcd_name;
    int bits;  ///< −1: DATA_W
  };
  static constexpr std::array<Reg, 7> kRegs = {{{"acc", "acc", 32},
                                                {"sum_out", "sum_out", 32},
                                                {"sum_valid", "sum_valid", 1},
                                                {"a_out", "a_reg", -1},
                                                {"a_valid_out", "a_valid", 1},
                                                {"a_last_out", "a_last", 1},
                                                {"w_out", "w_reg", -1}}};

  int R_, C_;
  VerilatedInstance<V> model_;
  const OsPeArrayInputs* in_ = nullptr;
  std::vector<std::int32_t> fold_;  ///< [row][col]: sums handed out since reset
  std::vector<OsDrain> drained_;
  std::vector<const VerilatedVar*> regs_;  ///< [register][row][col], kRegs order
};

template <class V, int Bits>
std::unique_ptr<IOsPeArray> make_verilated_os_array(int rows, int cols) {
  return std::make_unique<VerilatedOsPeArray<V, Bits>>(rows, cols);
}

}  // namespace rcsim::cosim
