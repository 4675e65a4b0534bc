#include "cosim/rtl_pe_array.h"

#include <verilated.h>
#include <verilated_syms.h>

#include <array>

#include "Vpe_array_16x16.h"
#include "Vpe_array_16x16_d16.h"
#include "Vpe_array_4x16.h"
#include "Vpe_array_4x16_d16.h"
#include "accel/pe_array/systolic_pe_array.h"

namespace rcsim::cosim {

namespace {

/// One verilated pe_array instance with DATA_W = Bits. Ports are unsigned in C++: operands are
/// written as their two's-complement bit patterns, sums read back as int32.
template <class V, int Bits>
class VerilatedPeArray final : public IPeArray {
 public:
  VerilatedPeArray(int rows, int cols) : R_(rows), C_(cols), ctx_(std::make_unique<VerilatedContext>()) {
    ctx_->randReset(0);
    model_ = std::make_unique<V>(ctx_.get(), "pe_array");
    out_.psum_out.assign(C_, 0);
    out_.psum_valid.assign(C_, 0);
    model_->clk = 0;
    find_registers();
    reset();
  }
  ~VerilatedPeArray() override {
    model_->final();
    // Verilator 5.006 deadlocks in VerilatedContextImp::scopeErase when a model with public
    // scopes (the PE registers read for waveforms) is destroyed while another context exists
    // (ctest RtlBackendErrors.PrecisionFromTheOptionsSelectsTheModel hung): the model and its
    // context are left to process exit instead (one per AcceleratorSim; a few kB each).
    (void)model_.release();
    (void)ctx_.release();
  }

  int rows() const override { return R_; }
  int cols() const override { return C_; }
  void reset() override {
    model_->rst = 1;
    edge();
    model_->rst = 0;
    read_outputs();
  }
  void set_inputs(const PeArrayInputs& in) override { in_ = &in; }
  void step() override {
    const PeArrayInputs& in = *in_;
    for (int r = 0; r < R_; ++r) {
      model_->act_in[r] = port(in.act_in[r]);
      model_->act_valid_in[r] = in.act_valid[r] & 1;
      model_->act_sel_in[r] = in.act_sel[r] & 1;
    }
    for (int c = 0; c < C_; ++c) model_->w_in[c] = port(in.w_in[c]);
    model_->load = in.load;
    model_->load_sel = in.load_sel & 1;
    edge();
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
          sink.reg(kRegs[f].vcd_name, r, c, kRegs[f].bits < 0 ? Bits : kRegs[f].bits, value(*v));
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
  void find_registers() {
    for (const Reg& reg : kRegs)
      for (int r = 0; r < R_; ++r)
        for (int c = 0; c < C_; ++c) {
          const std::string scope = "pe_array.pe_array.g_row[" + std::to_string(r) + "].g_col[" + std::to_string(c) + "].u_pe";
          const VerilatedScope* s = ctx_->scopeFind(scope.c_str());
          const VerilatedVar* v = s ? s->varFind(reg.rtl_name) : nullptr;
          if (!v) throw InternalError("rtl backend: no public register " + scope + "." + reg.rtl_name + " in the verilated model");
          regs_.push_back(v);
        }
  }
  /// A register's value, sign-extended from its width (DATA_W and 32-bit registers are signed).
  static std::int64_t value(const VerilatedVar& v) {
    switch (v.vltype()) {
      case VLVT_UINT8: {
        const std::uint8_t u = *static_cast<const std::uint8_t*>(v.datap());
        return Bits == 8 && v.packed().left() == 7 ? std::int64_t(std::int8_t(u)) : std::int64_t(u);
      }
      case VLVT_UINT16: return std::int16_t(*static_cast<const std::uint16_t*>(v.datap()));
      case VLVT_UINT32: return std::int32_t(*static_cast<const std::uint32_t*>(v.datap()));
      default: throw InternalError(std::string("rtl backend: register ") + v.name() + " has an unexpected type");
    }
  }
  static std::uint32_t port(std::int32_t v) {
    if (v < -(1 << (Bits - 1)) || v >= (1 << (Bits - 1)))
      throw InputError("PE-array backend 'rtl' is verilated for int" + std::to_string(Bits) + " operands here; got " +
                       std::to_string(v) + " (the arch's precision selects the int8 or int16 model)");
    return static_cast<std::uint32_t>(v) & ((1u << Bits) - 1u);
  }
  void edge() {
    model_->clk = 1;
    model_->eval();
    model_->clk = 0;
    model_->eval();
  }
  void read_outputs() {
    for (int c = 0; c < C_; ++c) {
      out_.psum_out[c] = static_cast<std::int32_t>(model_->psum_out[c]);
      out_.psum_valid[c] = model_->psum_valid[c];
    }
  }

  int R_, C_;
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<V> model_;
  const PeArrayInputs* in_ = nullptr;
  PeArrayOutputs out_;
  std::vector<const VerilatedVar*> regs_;  ///< [register][row][col], kRegs order
};

class LockstepPeArray final : public IPeArray {
 public:
  LockstepPeArray(std::unique_ptr<IPeArray> ref, std::unique_ptr<IPeArray> rtl)
      : ref_(std::move(ref)), rtl_(std::move(rtl)) {
    if (ref_->rows() != rtl_->rows() || ref_->cols() != rtl_->cols())
      throw InternalError("lockstep: backends of different array sizes");
  }
  int rows() const override { return rtl_->rows(); }
  int cols() const override { return rtl_->cols(); }
  void reset() override {
    if (cycle_ >= 0) ++resets_;  // the first reset starts run 0
    cycle_ = 0;
    ref_->reset();
    rtl_->reset();
  }
  void set_inputs(const PeArrayInputs& in) override {
    ref_->set_inputs(in);
    rtl_->set_inputs(in);
  }
  void step() override {
    ref_->step();
    rtl_->step();
    const PeArrayOutputs& a = ref_->outputs();
    const PeArrayOutputs& b = rtl_->outputs();
    for (int c = 0; c < cols(); ++c)
      if (a.psum_out[c] != b.psum_out[c] || a.psum_valid[c] != b.psum_valid[c])
        throw CosimMismatch(ref_->backend() + " and " + rtl_->backend() + " PE arrays differ after edge " +
                                std::to_string(cycle_) +
                                " of array run " + std::to_string(resets_) + " at PE(" +
                                std::to_string(rows() - 1) + "," + std::to_string(c) + "): " + ref_->backend() + " psum " +
                                std::to_string(a.psum_out[c]) + " valid " + std::to_string(a.psum_valid[c]) +
                                ", " + rtl_->backend() + " psum " + std::to_string(b.psum_out[c]) + " valid " +
                                std::to_string(b.psum_valid[c]),
                            resets_, cycle_, c);
    ++cycle_;
  }
  const PeArrayOutputs& outputs() const override { return rtl_->outputs(); }
  std::string backend() const override { return "lockstep"; }
  /// The RTL side's registers (the outputs are the RTL's too).
  void probe_state(SignalSink& sink) const override { rtl_->probe_state(sink); }

 private:
  std::unique_ptr<IPeArray> ref_, rtl_;
  std::int64_t resets_ = 0;
  std::int64_t cycle_ = -1;  // −1: never reset
};

}  // namespace

std::vector<std::string> rtl_pe_array_sizes() { return {"16x16", "4x16"}; }

std::unique_ptr<IPeArray> make_rtl_pe_array(int rows, int cols, int bits) {
  if (bits == 8 && rows == 16 && cols == 16) return std::make_unique<VerilatedPeArray<Vpe_array_16x16, 8>>(rows, cols);
  if (bits == 8 && rows == 4 && cols == 16) return std::make_unique<VerilatedPeArray<Vpe_array_4x16, 8>>(rows, cols);
  if (bits == 16 && rows == 16 && cols == 16) return std::make_unique<VerilatedPeArray<Vpe_array_16x16_d16, 16>>(rows, cols);
  if (bits == 16 && rows == 4 && cols == 16) return std::make_unique<VerilatedPeArray<Vpe_array_4x16_d16, 16>>(rows, cols);
  std::string sizes;
  for (const auto& s : rtl_pe_array_sizes()) sizes += (sizes.empty() ? "" : ", ") + s;
  throw InputError("PE-array backend 'rtl': no verilated int" + std::to_string(bits) + " array of " +
                   std::to_string(rows) + "x" + std::to_string(cols) + " in this build (available: " + sizes +
                   ", int8 and int16; add one in rtl/CMakeLists.txt)");
}

std::unique_ptr<IPeArray> make_lockstep_pe_array(int rows, int cols, int bits) {
  return std::make_unique<LockstepPeArray>(std::make_unique<SystolicPeArray>(rows, cols),
                                           make_rtl_pe_array(rows, cols, bits));
}

std::unique_ptr<IPeArray> make_lockstep_pe_array(std::unique_ptr<IPeArray> reference,
                                                 std::unique_ptr<IPeArray> dut) {
  return std::make_unique<LockstepPeArray>(std::move(reference), std::move(dut));
}

void register_rtl_backends() {
  register_pe_array_backend("rtl", [](const PeArrayOptions& o) {
    return with_fault(make_rtl_pe_array(o.rows, o.cols, o.precision), o.fault);
  });
  // The fault goes into the RTL side, so the comparator reports it at its edge and column.
  register_pe_array_backend("lockstep", [](const PeArrayOptions& o) {
    return make_lockstep_pe_array(std::make_unique<SystolicPeArray>(o.rows, o.cols),
                                  with_fault(make_rtl_pe_array(o.rows, o.cols, o.precision), o.fault));
  });
}

}  // namespace rcsim::cosim
