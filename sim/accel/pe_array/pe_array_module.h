#pragma once
// The PE array as a SystemC module: a slot holding whichever array the accelerator
// configuration selected — an IPeArray backend for WS (systolic C++ model, Verilated RTL,
// lock-step pair) or the output-stationary plain-array model for OS. All R×C PEs stay
// plain arrays inside that backend, clocked in ONE process: the controller's thread calls the
// backend's step() once per clock, right after presenting the cycle's inputs. That is the
// sequencing a clocked SC_METHOD sensitive to the controller's clock would give, without the
// per-cycle signal writes and method activation, each a SystemC kernel call (docs/performance.md).
#include <systemc>

#include "accel/pe_array/i_pe_array.h"
#include "accel/pe_array/os_pe_array.h"

namespace rcsim {

class IPeArraySlot : public virtual sc_core::sc_interface {
 public:
  /// The installed backend (per-cycle WS runs only; null otherwise).
  virtual IPeArray* array() = 0;
  /// The output-stationary array (per-cycle OS runs only; null otherwise).
  virtual OsPeArray* os_array() = 0;
};

class PeArray final : public sc_core::sc_module, public IPeArraySlot {
 public:
  sc_core::sc_export<IPeArraySlot> port;  ///< the controller drives the array through this

  explicit PeArray(const sc_core::sc_module_name& name) : sc_core::sc_module(name), port("port") {
    port.bind(*this);
  }
  /// Per accelerator configuration (the arrays are owned by the AcceleratorSim).
  void install(IPeArray* backend, OsPeArray* os) { backend_ = backend, os_ = os; }
  IPeArray* array() override { return backend_; }
  OsPeArray* os_array() override { return os_; }

 private:
  IPeArray* backend_ = nullptr;
  OsPeArray* os_ = nullptr;
};

}  // namespace rcsim
