#pragma once
// A verilated model with its own VerilatedContext, clocked the way every RTL bench drives it:
// set inputs, then tick() = one rising edge (clk 0→1, eval, 1→0, eval). After tick() the
// outputs show the registers the edge just wrote.
//
// In coverage builds (RCSIM_RTL_COVERAGE, see tests/rtl/coverage.sh) the destructor writes the
// context's coverage counts to $RCSIM_RTL_COVERAGE_DIR/<model>_<pid>_<n>.dat.
#include <verilated.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#ifdef RCSIM_RTL_COVERAGE
#include <unistd.h>
#include <verilated_cov.h>
#endif

namespace rcsim::rtltest {

template <class V>
class Dut {
 public:
  Dut() : ctx_(std::make_unique<VerilatedContext>()) {
    ctx_->randReset(0);  // deterministic: registers start at 0 before the reset edge
    model_ = std::make_unique<V>(ctx_.get(), "dut");
    model_->clk = 0;
    model_->rst = 1;
    model_->eval();
    tick();
    model_->rst = 0;
    cycles_ = 0;
  }
  ~Dut() {
    model_->final();
#ifdef RCSIM_RTL_COVERAGE
    if (const char* dir = std::getenv("RCSIM_RTL_COVERAGE_DIR")) {
      static int n = 0;
      const std::string file = std::string(dir) + "/" + model_->modelName() + "_" +
                               std::to_string(::getpid()) + "_" + std::to_string(n++) + ".dat";
      ctx_->coveragep()->write(file.c_str());
    }
#endif
  }
  Dut(const Dut&) = delete;
  Dut& operator=(const Dut&) = delete;

  V* operator->() { return model_.get(); }
  const V* operator->() const { return model_.get(); }

  void tick() {
    model_->clk = 1;
    model_->eval();
    model_->clk = 0;
    model_->eval();
    ++cycles_;
  }
  std::int64_t cycles() const { return cycles_; }

 private:
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<V> model_;
  std::int64_t cycles_ = 0;
};

/// Sign-extends the low `bits` bits of a port value (Verilator ports are unsigned).
inline std::int32_t sext(std::uint32_t v, int bits) {
  const std::uint32_t m = bits >= 32 ? 0xffffffffu : ((1u << bits) - 1u);
  v &= m;
  const std::uint32_t sign = 1u << (bits - 1);
  return static_cast<std::int32_t>((v ^ sign) - sign);
}

/// Two's-complement bit pattern of `v` in `bits` bits, for driving a signed port.
inline std::uint32_t to_port(std::int32_t v, int bits) {
  const std::uint32_t m = bits >= 32 ? 0xffffffffu : ((1u << bits) - 1u);
  return static_cast<std::uint32_t>(v) & m;
}

}  // namespace rcsim::rtltest
