#pragma once
// The "rtl" PE-array backend: the Verilated rtl/pe_array.sv behind IPeArray
// (accel/pe_array/i_pe_array.h), and the "lockstep" backend that runs it next to the C++
// systolic model and stops at the first cycle their outputs differ (`rcsim cosim`).
//
// Verilated models are compiled for fixed parameters (rtl/CMakeLists.txt): int8 or int16
// operands (the factory picks by PeArrayOptions::precision) and the array sizes listed by
// rtl_pe_array_sizes(). Other sizes or out-of-range operands are an InputError naming what is
// available.
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "accel/pe_array/i_pe_array.h"
#include "core/errors.h"

namespace rcsim::cosim {

/// "RxC" of every verilated array this build contains.
std::vector<std::string> rtl_pe_array_sizes();

/// The Verilated array of this size with int8 (bits 8) or int16 (bits 16) operands (InputError
/// if none was built).
std::unique_ptr<IPeArray> make_rtl_pe_array(int rows, int cols, int bits = 8);

/// The first disagreement between the two backends of the lockstep array.
class CosimMismatch : public InternalError {
 public:
  CosimMismatch(const std::string& what, std::int64_t reset_index, std::int64_t cycle, int column)
      : InternalError(what), reset_index(reset_index), cycle(cycle), column(column) {}
  std::int64_t reset_index;  ///< 0-based count of reset() calls before the mismatch (one per layer run)
  std::int64_t cycle;        ///< 0-based edge since that reset
  int column;                ///< bottom-row PE (R−1, column) whose output differs
};

/// Systolic C++ model and RTL stepped together; outputs() are the RTL's. step() throws
/// CosimMismatch when any psum_out or psum_valid differs after an edge.
std::unique_ptr<IPeArray> make_lockstep_pe_array(int rows, int cols, int bits = 8);
/// The same comparison for any two backends (tests inject a faulty one to prove it fires).
std::unique_ptr<IPeArray> make_lockstep_pe_array(std::unique_ptr<IPeArray> reference,
                                                 std::unique_ptr<IPeArray> dut);

/// Registers "rtl" and "lockstep" (int8 or int16 by the options' precision; both honour
/// PeArrayOptions::fault, lockstep on its RTL side) with make_pe_array() (idempotent).
void register_rtl_backends();

}  // namespace rcsim::cosim
