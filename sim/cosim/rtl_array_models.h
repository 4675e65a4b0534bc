#pragma once
// The Verilated PE arrays this build contains: one entry per array shape and operand precision
// in the CMake cache list RCSIM_RTL_ARRAYS (rtl/CMakeLists.txt), each with its weight-stationary
// and its output-stationary model. The table is generated (rtl_array_models.cpp.in).
#include <memory>
#include <vector>

#include "accel/pe_array/i_os_pe_array.h"
#include "accel/pe_array/i_pe_array.h"

namespace rcsim::cosim {

struct RtlArrayModel {
  int rows;
  int cols;
  int bits;  ///< operand precision (DATA_W): 8 or 16
  std::unique_ptr<IPeArray> (*make_ws)(int rows, int cols);    ///< rtl/pe_array.sv
  std::unique_ptr<IOsPeArray> (*make_os)(int rows, int cols);  ///< rtl/pe_array_os.sv
};

const std::vector<RtlArrayModel>& rtl_array_models();

}  // namespace rcsim::cosim
