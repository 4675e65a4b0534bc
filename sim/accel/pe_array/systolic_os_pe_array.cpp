#include "accel/pe_array/systolic_os_pe_array.h"

#include <algorithm>

#include "core/errors.h"
#include "core/int_arith.h"

namespace rcsim {

SystolicOsPeArray::SystolicOsPeArray(int rows, int cols) : R_(rows), C_(cols) {
  if (rows <= 0 || cols <= 0) throw InternalError("SystolicOsPeArray: rows and cols must be positive");
  reset();
}

void SystolicOsPeArray::reset() {
  const std::size_t RC = std::size_t(R_) * C_;
  a_.assign(RC, 0), w_.assign(RC, 0), pacc_.assign(RC, 0), afold_.assign(RC, 0);
  av_.assign(RC, 0), alast_.assign(RC, 0);
  drained_.clear();
}

void SystolicOsPeArray::step() {
  drained_.clear();
  const int R = R_, C = C_;
  // Raw pointers in locals: stores through the uint8_t registers may alias anything, which
  // would make the compiler reload every vector's data pointer in the inner loop.
  std::int32_t* const a = a_.data();
  std::int32_t* const w = w_.data();
  std::int32_t* const pacc = pacc_.data();
  std::int32_t* const afold = afold_.data();
  std::uint8_t* const av = av_.data();
  std::uint8_t* const alast = alast_.data();
  const std::int32_t* const act = in_->act_in.data();
  const std::int32_t* const fin = in_->act_fold.data();
  const std::uint8_t* const vin = in_->act_valid.data();
  const std::uint8_t* const lin = in_->act_last.data();
  const std::int32_t* const win = in_->w_in.data();
  // Far end first so neighbours' pre-edge values are read.
  for (int r = R - 1; r >= 0; --r)
    for (int cc = C - 1; cc >= 0; --cc) {
      const std::size_t i = std::size_t(r) * C + cc;
      const std::int32_t ai = cc == 0 ? act[r] : a[i - 1];
      const std::uint8_t vi = cc == 0 ? vin[r] : av[i - 1];
      const std::uint8_t li = cc == 0 ? lin[r] : alast[i - 1];
      const std::int32_t fi = cc == 0 ? fin[r] : afold[i - 1];
      const std::int32_t wi = r == 0 ? win[cc] : w[i - C];
      if (vi) {
        pacc[i] = arith::mac(pacc[i], wi, ai);
        if (li) {
          drained_.push_back({r, cc, fi, pacc[i]});
          pacc[i] = 0;
        }
      }
      a[i] = ai, av[i] = vi, alast[i] = li, afold[i] = fi, w[i] = wi;
    }
}

void SystolicOsPeArray::probe_state(SignalSink& sink) const {
  sink.begin_scope("state");
  for (int r = 0; r < R_; ++r)
    for (int c = 0; c < C_; ++c) sink.reg("acc", r, c, 32, pacc_[std::size_t(r) * C_ + c]);
  sink.end_scope();
}

}  // namespace rcsim
