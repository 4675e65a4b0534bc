#pragma once
// What both Verilated PE-array wrappers need from a Verilated model: a clock edge, operands as
// port bit patterns, and public registers (public_flat_rd in rtl/*.sv) found by scope and read
// back as signed values.
#include <verilated.h>
#include <verilated_syms.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/errors.h"

namespace rcsim::cosim {

/// Two's-complement bit pattern of operand `v` for a DATA_W = Bits port (InputError when `v` does
/// not fit: the arch's precision picks the int8 or int16 model).
template <int Bits>
std::uint32_t operand_port(std::int32_t v) {
  if (v < -(1 << (Bits - 1)) || v >= (1 << (Bits - 1)))
    throw InputError("PE-array backend 'rtl' is verilated for int" + std::to_string(Bits) + " operands here; got " +
                     std::to_string(v) + " (the arch's precision selects the int8 or int16 model)");
  return static_cast<std::uint32_t>(v) & ((1u << Bits) - 1u);
}

/// A public register's value, sign-extended from its width (DATA_W = Bits and 32-bit registers
/// are signed; 1-bit ones are not).
template <int Bits>
std::int64_t register_value(const VerilatedVar& v) {
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

/// The public register `name` of the PE instance at `scope` (InternalError if the model lacks it).
inline const VerilatedVar& find_register(VerilatedContext& ctx, const std::string& scope, const char* name) {
  const VerilatedScope* s = ctx.scopeFind(scope.c_str());
  const VerilatedVar* v = s ? s->varFind(name) : nullptr;
  if (!v) throw InternalError("rtl backend: no public register " + scope + "." + name + " in the verilated model");
  return *v;
}

/// One rising edge: clk 0→1, evaluate, 1→0, evaluate (outputs then show what the edge wrote).
template <class V>
void clock_edge(V& model) {
  model.clk = 1;
  model.eval();
  model.clk = 0;
  model.eval();
}

/// A verilated model (instance name "pe_array", clock low) in a context of its own, as both
/// array wrappers hold one. It is never destroyed: Verilator 5.006 deadlocks in
/// VerilatedContextImp::scopeErase when a model with public scopes (the PE registers read for
/// waveforms) is destroyed while another context exists (ctest
/// RtlBackendErrors.PrecisionFromTheOptionsSelectsTheModel hung), so the model and its context
/// are left to process exit (one per AcceleratorSim; a few kB each).
template <class V>
class VerilatedInstance {
 public:
  VerilatedInstance() : ctx_(std::make_unique<VerilatedContext>()) {
    ctx_->randReset(0);
    model_ = std::make_unique<V>(ctx_.get(), "pe_array");
    model_->clk = 0;
  }
  ~VerilatedInstance() {
    model_->final();
    (void)model_.release();
    (void)ctx_.release();
  }
  VerilatedInstance(const VerilatedInstance&) = delete;
  VerilatedInstance& operator=(const VerilatedInstance&) = delete;
  V* operator->() const { return model_.get(); }
  V& operator*() const { return *model_; }
  VerilatedContext& context() const { return *ctx_; }

 private:
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<V> model_;
};

/// The public registers `regs` (each entry's rtl_name) of every PE u_pe of the R×C array module
/// `module` (g_row[r].g_col[c] generate blocks), ordered [register][row][col].
template <class Regs>
std::vector<const VerilatedVar*> pe_registers(VerilatedContext& ctx, const std::string& module, const Regs& regs, int R,
                                              int C) {
  std::vector<const VerilatedVar*> out;
  for (const auto& reg : regs)
    for (int r = 0; r < R; ++r)
      for (int c = 0; c < C; ++c)
        out.push_back(&find_register(ctx, "pe_array." + module + ".g_row[" + std::to_string(r) + "].g_col[" +
                                              std::to_string(c) + "].u_pe",
                                     reg.rtl_name));
  return out;
}

}  // namespace rcsim::cosim
