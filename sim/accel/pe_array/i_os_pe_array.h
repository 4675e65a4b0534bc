#pragma once
// The output-stationary PE-array interface: one clock edge of an R×C array in which operands
// move right (carrying their fold and a "last" flag), weights move down, and PE(r,c)
// accumulates out[m0+r][n0+c] in place, handing its sum out at the edge where its fold's last
// operand passes. The `os` dataflow (sim/accel/dataflow/os_dataflow.cpp) drives it; backends
// register here by name like the weight-stationary array's (i_pe_array.h). Built in: the C++
// model "systolic" (systolic_os_pe_array.h); sim/cosim registers the Verilated rtl/pe_array_os.sv
// ("rtl", and "lockstep" = both compared every edge) when built with Verilator.
//
// Contract: set_inputs() presents the coming cycle's inputs, step() is the edge (every register
// updates at once from its pre-edge neighbours), drained() lists the sums completed at that edge
// and handed_out() answers for one PE (rtl/pe_os.sv's sum_valid and sum_out registers);
// reset() clears every register. Arithmetic is core/int_arith.h (int32 wrap-around).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "accel/pe_array/pe_array_backend.h"

namespace rcsim {

/// Inputs of one clock cycle (left edge: one entry per row; top edge: one per column).
struct OsPeArrayInputs {
  std::vector<std::int32_t> act_in;     ///< [R] operand entering column 0 of row r
  std::vector<std::uint8_t> act_valid;  ///< [R] 1 if act_in[r] is an operand (else a bubble)
  std::vector<std::uint8_t> act_last;   ///< [R] 1 if it is its fold's last operand
  std::vector<std::int32_t> act_fold;   ///< [R] its fold
  std::vector<std::int32_t> w_in;       ///< [C] weight entering row 0 of column c

  void resize(int rows, int cols) {
    act_in.assign(rows, 0);
    act_valid.assign(rows, 0);
    act_last.assign(rows, 0);
    act_fold.assign(rows, 0);
    w_in.assign(cols, 0);
  }
};

/// A partial sum leaving PE(row, col) at an edge: the fold it belongs to and its value.
struct OsDrain {
  int row;
  int col;
  std::int32_t fold;
  std::int32_t sum;
};

class IOsPeArray : public IPeArrayBackend {
 public:
  /// Inputs for the next edge (referenced until step() returns).
  virtual void set_inputs(const OsPeArrayInputs& in) = 0;
  /// The sums completed at the last edge.
  virtual const std::vector<OsDrain>& drained() const = 0;
  /// Whether PE(r, c) handed out a sum at the last edge, and then that sum in `sum`. The `os`
  /// driver reads the PEs it uses this way, so a backend need not list every PE's hand-out per
  /// edge. Default: looked up in drained().
  virtual bool handed_out(int r, int c, std::int32_t& sum) const;
};

/// The array's input ports of the last edge and (when the backend reports them) its registers.
void probe_os_array(const OsPeArrayInputs& in, const IOsPeArray& pe, SignalSink& sink);

using OsPeArrayFactory = std::unique_ptr<IOsPeArray> (*)(const PeArrayOptions& options);
/// Factory for a registered backend ("systolic" built in); unknown → InputError listing them.
std::unique_ptr<IOsPeArray> make_os_pe_array(const std::string& backend, const PeArrayOptions& options);
void register_os_pe_array_backend(const std::string& name, OsPeArrayFactory factory);
std::vector<std::string> os_pe_array_backends();

}  // namespace rcsim
