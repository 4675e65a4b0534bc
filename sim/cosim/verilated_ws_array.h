#pragma once
// The Verilated weight-stationary array (rtl/pe_array.sv) behind IPeArray, for any verilated
// model class V with DATA_W = Bits. rtl_array_models.cpp (generated from RCSIM_RTL_ARRAYS)
// instantiates it once per model the build contains.
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "accel/pe_array/i_pe_array.h"
#include "cosim/verilated_access.h"

namespace rcsim::cosim {

/// One verilated pe_array instance. Ports are unsigned in C++: operands are written as their
/// two's-complement bit patterns, sums read back as int32.
template <class V, int Bits>
class VerilatedPeArray final : public IPeArray {
 public:
  VerilatedPeArray(int rows, int cols)
      : R_(rows), C_(cols), regs_(pe_registers(model_.context(), "pe_array", kRegs, R_, C_)) {
    out_.psum_out.assign(C_, 0);
    out_.psum_valid.assign(C_, 0);
    reset();
  }

  int rows() const override { return R_; }
  int cols() const override { return C_; }
  void reset() override {
    model_->rst = 1;
    clock_edge(*model_);
    model_->rst = 0;
    read_outputs();
  }
  void set_inputs(const PeArrayInputs& in) override { in_ = &in; }
  void step() override {
    const PeArrayInputs& in = *in_;
    for (int r = 0; r < R_; ++r) {
      model_->act_in[r] = operand_port<Bits>(in.act_in[r]);
      model_->act_valid_in[r] = in.act_valid[r] & 1;
      model_->act_sel_in[r] = in.act_sel[r] & 1;
    }
    for (int c = 0; c < C_; ++c) model_->w_in[c] = operand_port<Bits>(in.w_in[c]);
    model_->load = in.load;
    model_->load_sel = in.load_sel & 1;
    clock_edge(*model_);
    read_outputs();
  }
  const PeArrayOutputs& outputs() const override { return out_; }
  std::string backend() const override { return "rtl"; }
  /// Every PE register of rtl/pe.sv (marked public_flat_rd there), read from the model after
  /// the edge: p_reg (p_out) is the C++ model's p_reg, so the two backends' waveforms line up.
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
  static constexpr std::array<Reg, 7> kRegs = {{{"p_out", "p_reg", 32},
                                                {"p_valid_out", "p_valid", 1},
                                                {"a_out", "a_reg", -1},
                                                {"a_valid_out", "a_valid", 1},
                                                {"a_sel_out", "a_sel", 1},
                                                {"w_buf0", "w_buf0", -1},
                                                {"w_buf1", "w_buf1", -1}}};
  void read_outputs() {
    for (int c = 0; c < C_; ++c) {
      out_.psum_out[c] = static_cast<std::int32_t>(model_->psum_out[c]);
      out_.psum_valid[c] = model_->psum_valid[c];
    }
  }

  int R_, C_;
  VerilatedInstance<V> model_;
  const PeArrayInputs* in_ = nullptr;
  PeArrayOutputs out_;
  std::vector<const VerilatedVar*> regs_;  ///< [register][row][col], kRegs order
};

template <class V, int Bits>
std::unique_ptr<IPeArray> make_verilated_ws_array(int rows, int cols) {
  return std::make_unique<VerilatedPeArray<V, Bits>>(rows, cols);
}

}  // namespace rcsim::cosim
