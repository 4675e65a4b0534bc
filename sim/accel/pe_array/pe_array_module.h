#pragma once
// The PE array as a SystemC module: a slot holding whichever backend the accelerator
// configuration selected, of the array family its dataflow drives (weight-stationary IPeArray:
// systolic C++ model, Verilated RTL, lock-step pair; output-stationary IOsPeArray: C++ model).
// All R×C PEs stay plain arrays inside that backend, clocked in ONE process: the controller's
// thread (through the dataflow plug-in) calls the backend's step() once per clock, right after
// presenting the cycle's inputs. That is the sequencing a clocked SC_METHOD sensitive to the
// controller's clock would give, without the per-cycle signal writes and method activation
// (each a SystemC kernel call; docs/performance.md).
#include <systemc>

#include "accel/pe_array/pe_array_backend.h"

namespace rcsim {

class IPeArraySlot : public virtual sc_core::sc_interface {
 public:
  /// The installed backend (per-cycle runs only; null otherwise).
  virtual IPeArrayBackend* array() = 0;
};

class PeArray final : public sc_core::sc_module, public IPeArraySlot {
 public:
  sc_core::sc_export<IPeArraySlot> port;  ///< the controller drives the array through this

  explicit PeArray(const sc_core::sc_module_name& name) : sc_core::sc_module(name), port("port") {
    port.bind(*this);
  }
  /// Per accelerator configuration (the backend is owned by the AcceleratorSim).
  void install(IPeArrayBackend* backend) { backend_ = backend; }
  IPeArrayBackend* array() override { return backend_; }

 private:
  IPeArrayBackend* backend_ = nullptr;
};

}  // namespace rcsim
