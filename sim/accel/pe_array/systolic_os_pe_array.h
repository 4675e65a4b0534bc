#pragma once
// The C++ model of the output-stationary array (i_os_pe_array.h) in plain arrays, one loop per
// clock edge (one SystemC process drives it, like the weight-stationary model).
#include <cstdint>
#include <vector>

#include "accel/pe_array/i_os_pe_array.h"

namespace rcsim {

class SystolicOsPeArray final : public IOsPeArray {
 public:
  SystolicOsPeArray(int rows, int cols);
  int rows() const override { return R_; }
  int cols() const override { return C_; }
  void reset() override;
  void set_inputs(const OsPeArrayInputs& in) override { in_ = &in; }
  void step() override;
  const std::vector<OsDrain>& drained() const override { return drained_; }
  std::string backend() const override { return "systolic"; }
  /// Every PE's accumulator (acc_r_c).
  void probe_state(SignalSink& sink) const override;

 private:
  int R_, C_;
  const OsPeArrayInputs* in_ = nullptr;
  std::vector<std::int32_t> a_, w_, pacc_, afold_;
  std::vector<std::uint8_t> av_, alast_;
  std::vector<OsDrain> drained_;
};

}  // namespace rcsim
