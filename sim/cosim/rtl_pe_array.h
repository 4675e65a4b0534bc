#pragma once
// The "rtl" PE-array backends: the Verilated rtl/pe_array.sv behind the weight-stationary
// interface (accel/pe_array/i_pe_array.h) and rtl/pe_array_os.sv behind the output-stationary
// one (i_os_pe_array.h), and for each the "lockstep" backend that runs it next to the C++
// systolic model and stops at the first edge their outputs differ (`rcsim cosim`).
//
// Verilated models are compiled for fixed parameters: every shape in the CMake list
// RCSIM_RTL_ARRAYS (rtl/CMakeLists.txt; default 16x16 and 4x16), each with int8 and int16
// operands (the factories pick by PeArrayOptions::precision). Other shapes or out-of-range
// operands are an InputError naming what is available.
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "accel/pe_array/i_os_pe_array.h"
#include "accel/pe_array/i_pe_array.h"
#include "core/errors.h"

namespace rcsim::cosim {

/// "RxC" of every verilated array shape this build contains (each: ws and os, int8 and int16).
std::vector<std::string> rtl_pe_array_sizes();

/// The Verilated weight-stationary array of this size with int8 (bits 8) or int16 (bits 16)
/// operands (InputError if none was built).
std::unique_ptr<IPeArray> make_rtl_pe_array(int rows, int cols, int bits = 8);
/// The Verilated output-stationary array likewise.
std::unique_ptr<IOsPeArray> make_rtl_os_pe_array(int rows, int cols, int bits = 8);

/// The first disagreement between the two backends of the lockstep array.
class CosimMismatch : public InternalError {
 public:
  CosimMismatch(const std::string& what, std::int64_t reset_index, std::int64_t cycle, int column, int row = -1)
      : InternalError(what), reset_index(reset_index), cycle(cycle), column(column), row(row) {}
  std::int64_t reset_index;  ///< 0-based count of reset() calls before the mismatch (one per layer run)
  std::int64_t cycle;        ///< 0-based edge since that reset
  int column;                ///< PE column whose output differs
  int row;                   ///< its row (output-stationary array); −1: the bottom row (weight-stationary)
};

/// Systolic C++ model and RTL stepped together; outputs() are the RTL's. step() throws
/// CosimMismatch when any psum_out or psum_valid differs after an edge.
std::unique_ptr<IPeArray> make_lockstep_pe_array(int rows, int cols, int bits = 8);
/// The same comparison for any two backends (tests inject a faulty one to prove it fires).
std::unique_ptr<IPeArray> make_lockstep_pe_array(std::unique_ptr<IPeArray> reference,
                                                 std::unique_ptr<IPeArray> dut);

/// The output-stationary pair: step() throws CosimMismatch when the sums handed out at an edge
/// (which PEs, their folds and values) differ; drained() is the RTL's.
std::unique_ptr<IOsPeArray> make_lockstep_os_pe_array(int rows, int cols, int bits = 8);
std::unique_ptr<IOsPeArray> make_lockstep_os_pe_array(std::unique_ptr<IOsPeArray> reference,
                                                      std::unique_ptr<IOsPeArray> dut);

/// `array` with `fault` injected (itself when none is enabled). The output-stationary array hands
/// out sums only at fold ends, so its fault is: the first sum handed out in column `column` at or
/// after edge `edge` of run `run` reads one too high.
std::unique_ptr<IOsPeArray> with_os_fault(std::unique_ptr<IOsPeArray> array, const PeArrayFault& fault);

/// Registers "rtl" and "lockstep" for both array families (int8 or int16 by the options'
/// precision; both honour PeArrayOptions::fault, lockstep on its RTL side) (idempotent).
void register_rtl_backends();

}  // namespace rcsim::cosim
