#include "accel/pe_array/os_pe_array.h"

#include <algorithm>

#include "core/int_arith.h"

namespace rcsim {

OsPeArray::OsPeArray(int rows, int cols) : R_(rows), C_(cols) { reset(); }

void OsPeArray::reset() {
  const std::size_t RC = std::size_t(R_) * C_;
  a_.assign(RC, 0), w_.assign(RC, 0), pacc_.assign(RC, 0), afold_.assign(RC, 0);
  av_.assign(RC, 0), alast_.assign(RC, 0);
  act_in.assign(R_, 0), fold_in.assign(R_, 0), v_in.assign(R_, 0), last_in.assign(R_, 0);
  w_in.assign(C_, 0);
}

void OsPeArray::step(std::vector<OsDrain>& drained) {
  drained.clear();
  const int R = R_, C = C_;
  // Far end first so neighbours' pre-edge values are read.
  for (int r = R - 1; r >= 0; --r)
    for (int cc = C - 1; cc >= 0; --cc) {
      const std::size_t i = std::size_t(r) * C + cc;
      const std::int32_t ai = cc == 0 ? act_in[r] : a_[i - 1];
      const std::uint8_t vi = cc == 0 ? v_in[r] : av_[i - 1];
      const std::uint8_t li = cc == 0 ? last_in[r] : alast_[i - 1];
      const std::int32_t fi = cc == 0 ? fold_in[r] : afold_[i - 1];
      const std::int32_t wi = r == 0 ? w_in[cc] : w_[i - C];
      if (vi) {
        pacc_[i] = arith::mac(pacc_[i], wi, ai);
        if (li) {
          drained.push_back({r, cc, fi, pacc_[i]});
          pacc_[i] = 0;
        }
      }
      a_[i] = ai, av_[i] = vi, alast_[i] = li, afold_[i] = fi, w_[i] = wi;
    }
}

}  // namespace rcsim
