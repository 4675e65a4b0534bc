#pragma once
// The weight-stationary PE-array interface: one clock edge of an R×C weight-stationary systolic
// array, exactly as docs/pe-array-timing.md specifies. Backends: the C++ systolic model used
// inside the SystemC accelerator (systolic_pe_array.h) and the Verilated rtl/pe_array.sv
// (sim/cosim: "rtl", and "lockstep" = both compared every edge). The dataflows that preload a
// stationary operand (ws, is: sim/accel/dataflow/preloaded_array.h) drive whichever backend was
// selected (`rcsim run --backend systolic|rtl|lockstep`) through this interface only, so all see
// the same stimulus and their outputs can be compared cycle by cycle.
//
// Contract (docs/pe-array-timing.md is the normative text):
//  - set_inputs() presents the inputs of the coming clock cycle; step() is the clock edge:
//    every PE register updates at once from the values before the edge.
//  - outputs() returns the bottom row's registers AFTER the last step(): psum_out[c] = p_reg(R−1,c),
//    psum_valid[c] = p_valid(R−1,c). (A testbench reading them in the cycle after the edge.)
//  - reset() clears every register (weights, operands, partial sums, valid and select bits).
//  - Arithmetic is core/int_arith.h: p <= v ? mac(p_in, w_buf[sel], a) : p_in (int32 wrap).
//  - Inputs are plain ints: act/w values already sign-extended from `bits`; the caller keeps
//    them in range. Vectors have exactly rows() (act_*) / cols() (w_in) entries.
//  - No counting, no timing policy: the controller decides what to drive in which cycle and
//    counts events from what it drives (every valid operand entering row r visits all columns).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "accel/pe_array/pe_array_backend.h"

namespace rcsim {

/// Inputs of one clock cycle (left edge: one entry per row; top edge: one per column).
struct PeArrayInputs {
  std::vector<std::int32_t> act_in;     ///< [R] operand entering column 0 of row r
  std::vector<std::uint8_t> act_valid;  ///< [R] 1 if act_in[r] is a real operand (else a bubble)
  std::vector<std::uint8_t> act_sel;    ///< [R] weight buffer (0/1) the operand multiplies with
  std::vector<std::int32_t> w_in;       ///< [C] weight entering row 0 of column c when `load`
  bool load = false;                    ///< shift w_in into buffer `load_sel` this cycle
  std::uint8_t load_sel = 0;            ///< which weight buffer (0/1) is being loaded

  void resize(int rows, int cols) {
    act_in.assign(rows, 0);
    act_valid.assign(rows, 0);
    act_sel.assign(rows, 0);
    w_in.assign(cols, 0);
    load = false;
    load_sel = 0;
  }
};

/// Bottom-edge outputs after the last clock edge (one entry per column).
struct PeArrayOutputs {
  std::vector<std::int32_t> psum_out;     ///< [C] p_reg(R−1, c)
  std::vector<std::uint8_t> psum_valid;   ///< [C] p_valid(R−1, c)
};

class IPeArray : public IPeArrayBackend {
 public:
  /// Inputs for the next edge (copied or referenced until step() returns).
  virtual void set_inputs(const PeArrayInputs& in) = 0;
  /// Bottom-row registers after the last edge.
  virtual const PeArrayOutputs& outputs() const = 0;
};

/// The array's ports in one cycle (inputs of the last edge, outputs after it) and, when the
/// backend reports them, its registers: what the VCD writer records (names as in rtl/pe_array.sv).
void probe_ws_array(const PeArrayInputs& in, const IPeArray& pe, SignalSink& sink);

/// Factory for a registered backend: "systolic" (C++ model, always available) or those sim/cosim
/// registered ("rtl", "lockstep"). Unknown names → InputError listing the valid ones.
std::unique_ptr<IPeArray> make_pe_array(const std::string& backend, const PeArrayOptions& options);

/// Backends register a factory here (sim/cosim calls this from its registration function).
using PeArrayFactory = std::unique_ptr<IPeArray> (*)(const PeArrayOptions& options);
void register_pe_array_backend(const std::string& name, PeArrayFactory factory);
/// Names of the registered backends.
std::vector<std::string> pe_array_backends();

/// `array` with options.fault injected into its outputs (itself when no fault is enabled).
std::unique_ptr<IPeArray> with_fault(std::unique_ptr<IPeArray> array, const PeArrayFault& fault);

}  // namespace rcsim
