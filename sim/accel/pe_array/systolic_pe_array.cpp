#include "accel/pe_array/systolic_pe_array.h"

#include <algorithm>
#include <cstring>

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

namespace {

/// One row's MACs after the activation shift: p[c] = p_up[c] (0 in row 0) + (valid ? w·a : 0),
/// w from the buffer the activation selects, int32 wrap-around. Branch-free so that it
/// vectorizes; compiled for AVX2 as well (32-bit multiplies need SSE4.1), picked at load time.
__attribute__((target_clones("avx2", "default"))) void mac_row(int C, const std::int32_t* __restrict w0,
                                                             const std::int32_t* __restrict w1,
                                                             const std::int32_t* __restrict a,
                                                             const std::uint8_t* __restrict av,
                                                             const std::uint8_t* __restrict as,
                                                             const std::int32_t* __restrict p_up,
                                                             std::int32_t* __restrict p) {
  if (p_up) {
    for (int c = 0; c < C; ++c) {
      const std::uint32_t w = std::uint32_t(as[c] ? w1[c] : w0[c]);
      const std::uint32_t valid = 0u - std::uint32_t(av[c] != 0);
      p[c] = std::int32_t(std::uint32_t(p_up[c]) + ((w * std::uint32_t(a[c])) & valid));
    }
  } else {
    for (int c = 0; c < C; ++c) {
      const std::uint32_t w = std::uint32_t(as[c] ? w1[c] : w0[c]);
      const std::uint32_t valid = 0u - std::uint32_t(av[c] != 0);
      p[c] = std::int32_t((w * std::uint32_t(a[c])) & valid);
    }
  }
}

}  // namespace

void SystolicPeArray::step() {
  const PeArrayInputs& in = *in_;
  const int C = C_;
  // Rows from the far end, so row r reads row r−1's partial sums before this edge updates them:
  // the whole array updates "at once" without a second copy. Within a row, the activation
  // registers shift one column (a memmove), then every PE's MAC is one branch-free pass that
  // g++ vectorizes (each PE ~27 scalar instructions per cycle before, docs/performance.md).
  for (int r = R_ - 1; r >= 0; --r) {
    std::int32_t* __restrict w0 = &w_[0][idx(r, 0)];
    std::int32_t* __restrict w1 = &w_[1][idx(r, 0)];
    std::int32_t* __restrict a = &a_[idx(r, 0)];
    std::uint8_t* __restrict av = &av_[idx(r, 0)];
    std::uint8_t* __restrict as = &as_[idx(r, 0)];
    std::int32_t* __restrict p = &p_[idx(r, 0)];
    std::uint8_t* __restrict pv = &pv_[idx(r, 0)];
    // a_reg, a_valid, a_sel of column c take column c−1's; column 0 takes the row's input.
    std::memmove(a + 1, a, sizeof(std::int32_t) * std::size_t(C - 1));
    std::memmove(av + 1, av, std::size_t(C - 1));
    std::memmove(as + 1, as, std::size_t(C - 1));
    a[0] = in.act_in[r];
    av[0] = in.act_valid[r];
    as[0] = in.act_sel[r];
    mac_row(C, w0, w1, a, av, as, r > 0 ? &p_[idx(r - 1, 0)] : nullptr, p);
    std::memcpy(pv, av, std::size_t(C));
    if (in.load) {
      std::int32_t* wl = in.load_sel ? w1 : w0;
      if (r == 0) {
        std::copy(in.w_in.begin(), in.w_in.end(), wl);
      } else {
        const std::int32_t* wu = (in.load_sel ? &w_[1][0] : &w_[0][0]) + idx(r - 1, 0);
        std::copy(wu, wu + C, wl);
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
