#include "accel/pe_array/systolic_pe_array.h"

#include <algorithm>

#include "core/errors.h"
#include "core/int_arith.h"

namespace rcsim {

SystolicPeArray::SystolicPeArray(int rows, int cols) : R_(rows), C_(cols) {
  if (rows <= 0 || cols <= 0) throw InternalError("SystolicPeArray: rows and cols must be positive");
  reset();
}

void SystolicPeArray::reset() {
  const std::size_t n = std::size_t(R_) * C_;
  w_[0].assign(n, 0);
  w_[1].assign(n, 0);
  a_.assign(n, 0);
  av_.assign(n, 0);
  as_.assign(n, 0);
  p_.assign(n, 0);
  pv_.assign(n, 0);
  out_.psum_out.assign(C_, 0);
  out_.psum_valid.assign(C_, 0);
}

void SystolicPeArray::step() {
  const PeArrayInputs& in = *in_;
  // Walk rows and columns from the far end so every read of a neighbour (r−1 or c−1) sees its
  // value before this edge: the whole array updates "at once" without a second copy.
  for (int r = R_ - 1; r >= 0; --r) {
    std::int32_t* w0 = &w_[0][idx(r, 0)];
    std::int32_t* w1 = &w_[1][idx(r, 0)];
    std::int32_t* a = &a_[idx(r, 0)];
    std::uint8_t* av = &av_[idx(r, 0)];
    std::uint8_t* as = &as_[idx(r, 0)];
    std::int32_t* p = &p_[idx(r, 0)];
    std::uint8_t* pv = &pv_[idx(r, 0)];
    const std::int32_t* p_up = r > 0 ? &p_[idx(r - 1, 0)] : nullptr;
    for (int c = C_ - 1; c >= 0; --c) {
      std::int32_t a_in;
      std::uint8_t v_in, s_in;
      if (c == 0) {
        a_in = in.act_in[r];
        v_in = in.act_valid[r];
        s_in = in.act_sel[r];
      } else {
        a_in = a[c - 1];
        v_in = av[c - 1];
        s_in = as[c - 1];
      }
      const std::int32_t p_in = p_up ? p_up[c] : 0;
      const std::int32_t w = s_in ? w1[c] : w0[c];
      p[c] = v_in ? arith::mac(p_in, w, a_in) : p_in;
      pv[c] = v_in;
      a[c] = a_in;
      av[c] = v_in;
      as[c] = s_in;
    }
    if (in.load) {
      std::int32_t* wl = in.load_sel ? w1 : w0;
      if (r == 0) {
        std::copy(in.w_in.begin(), in.w_in.end(), wl);
      } else {
        const std::int32_t* wu = (in.load_sel ? &w_[1][0] : &w_[0][0]) + idx(r - 1, 0);
        std::copy(wu, wu + C_, wl);
      }
    }
  }
  const std::size_t last = idx(R_ - 1, 0);
  std::copy(p_.begin() + last, p_.begin() + last + C_, out_.psum_out.begin());
  std::copy(pv_.begin() + last, pv_.begin() + last + C_, out_.psum_valid.begin());
}

void SystolicPeArray::probe_state(SignalSink& sink) const {
  sink.begin_scope("state");
  for (int r = 0; r < R_; ++r)
    for (int c = 0; c < C_; ++c) sink.reg("p_reg", r, c, 32, p_[idx(r, c)]);
  sink.end_scope();
}

}  // namespace rcsim
