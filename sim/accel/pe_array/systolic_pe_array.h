#pragma once
// The C++ model of the weight-stationary PE array (docs/pe-array-timing.md): all R×C PEs in
// plain arrays updated by one loop per clock edge (one SystemC process drives it; one process
// per PE would add R·C kernel activations and signal writes per cycle, docs/performance.md).
#include <cstdint>
#include <vector>

#include "accel/pe_array/i_pe_array.h"

namespace rcsim {

class SystolicPeArray final : public IPeArray {
 public:
  SystolicPeArray(int rows, int cols);
  int rows() const override { return R_; }
  int cols() const override { return C_; }
  void reset() override;
  void set_inputs(const PeArrayInputs& in) override { in_ = &in; }
  void step() override;
  const PeArrayOutputs& outputs() const override { return out_; }
  std::string backend() const override { return "systolic"; }
  /// Every PE's partial-sum register (p_reg_r_c).
  void probe_state(SignalSink& sink) const override;

  /// Weight buffer `sel` of PE(r,c) and partial sum of PE(r,c) (for tests).
  std::int32_t weight(int sel, int r, int c) const { return w_[sel][idx(r, c)]; }
  std::int32_t psum(int r, int c) const { return p_[idx(r, c)]; }

 private:
  int idx(int r, int c) const { return r * C_ + c; }
  int R_, C_;
  const PeArrayInputs* in_ = nullptr;
  std::vector<std::int32_t> w_[2];      // w_buf[0], w_buf[1]
  std::vector<std::int32_t> a_;         // a_reg
  std::vector<std::uint8_t> av_;        // a_valid
  std::vector<std::uint8_t> as_;        // a_sel
  std::vector<std::int32_t> p_;         // p_reg
  std::vector<std::uint8_t> pv_;        // p_valid
  PeArrayOutputs out_;
};

}  // namespace rcsim
