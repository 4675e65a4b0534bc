#include "accel/pe_array/systolic_pe_array.h"

#include <algorithm>
#include <cstring>

#include "core/errors.h"

namespace rcsim {

namespace {

/// Below this many columns a span's MACs run inline; above, in the vector kernel.
constexpr int kShortRun = 8;

/// Columns [c0, c1) of one row: p[c] += w_sel[c] · a[c] (int32 wrap-around, core/int_arith.h's
/// mac()), the weight from the buffer each operand selects; an invalid operand is stored as 0.
/// Branch-free so that it vectorizes; compiled for AVX2 as well, picked at load time.
__attribute__((target_clones("avx2", "default"))) void mac_columns(int c0, int c1, const std::int32_t* __restrict w0,
                                                                   const std::int32_t* __restrict w1,
                                                                   const std::int32_t* __restrict a,
                                                                   const std::uint8_t* __restrict sel,
                                                                   std::int32_t* __restrict p) {
  for (int c = c0; c < c1; ++c) {
    const std::uint32_t w = std::uint32_t(sel[c] ? w1[c] : w0[c]);
    p[c] = std::int32_t(std::uint32_t(p[c]) + w * std::uint32_t(a[c]));
  }
}

int round_up_pow2(int n) {
  int p = 1;
  while (p < n) p *= 2;
  return p;
}

}  // namespace

SystolicPeArray::SystolicPeArray(int rows, int cols)
    : R_(rows), C_(cols), slack_(std::max(256, 4 * cols)), stride_(std::size_t(slack_) + std::size_t(cols)), head_(0),
      span_cap_(round_up_pow2(cols + 2)) {
  if (rows <= 0 || cols <= 0) throw InternalError("SystolicPeArray: rows and cols must be positive");
  reset();
}

void SystolicPeArray::reset() {
  const std::size_t R = std::size_t(R_), C = std::size_t(C_);
  t_ = 0;
  wave_slot_ = 0;
  head_ = slack_;
  hist_a_.assign(R * stride_, 0);
  hist_s_.assign(R * stride_, 0);
  hist_v_.assign(stride_, 0);
  spans_.assign(R * std::size_t(span_cap_), Span{0, 0});
  span_first_.assign(R, 0);
  span_count_.assign(R, 0);
  for (int b = 0; b < 2; ++b) {
    w_[b].assign(R * C, 0);
    w_head_[b] = 0;
    w_lo_[b].assign(R, C_);
    w_hi_[b].assign(R, 0);
  }
  p_.assign(R * C, 0);
  p_lo_.assign(R, C_);
  p_hi_.assign(R, 0);
  out_.psum_out.assign(C, 0);
  out_.psum_valid.assign(C, 0);
  out_lo_ = out_hi_ = 0;
}

void SystolicPeArray::relocate_history() {
  // The newest C−1 entries (columns 0..C−2, which become 1..C−1 at this edge) move to the end.
  const std::size_t n = std::size_t(C_ - 1), to = std::size_t(slack_) + 1;
  for (int r = 0; r < R_; ++r) {
    std::int32_t* a = &hist_a_[std::size_t(r) * stride_];
    std::uint8_t* s = &hist_s_[std::size_t(r) * stride_];
    std::memmove(a + to, a, n * sizeof(std::int32_t));
    std::memmove(s + to, s, n);
  }
  std::memmove(&hist_v_[to], &hist_v_[0], n);
  head_ = slack_ + 1;
}

void SystolicPeArray::load_weights(const std::vector<std::int32_t>& w_in, int sel) {
  int h = w_head_[sel] + 1;
  if (h == R_) h = 0;
  w_head_[sel] = h;
  std::copy(w_in.begin(), w_in.end(), w_[sel].begin() + std::ptrdiff_t(h) * C_);
  int lo = 0, hi = C_;
  while (lo < C_ && w_in[std::size_t(lo)] == 0) ++lo;
  while (hi > lo && w_in[std::size_t(hi - 1)] == 0) --hi;
  if (lo == hi) lo = C_, hi = 0;  // no non-zero weight
  w_lo_[sel][std::size_t(h)] = lo;
  w_hi_[sel][std::size_t(h)] = hi;
}

void SystolicPeArray::step() {
  const PeArrayInputs& in = *in_;
  const int R = R_, C = C_;
  const std::int64_t t = t_;
  if (head_ == 0) relocate_history();
  const int h = --head_;
  // Wave t enters row 0 at this edge; its slot (t mod R, kept without a division) held wave
  // t − R, which left the array last edge.
  const int slot0 = wave_slot_;
  {
    std::int32_t* p = &p_[std::size_t(slot0) * C];
    if (p_lo_[slot0] < p_hi_[slot0]) std::fill(p + p_lo_[slot0], p + p_hi_[slot0], 0);
    p_lo_[slot0] = C, p_hi_[slot0] = 0;
  }
  const std::int64_t oldest = t - C + 1;  // entries before this edge have left every column
  const int mask = span_cap_ - 1;
  const std::size_t cap = std::size_t(span_cap_);
  // Raw pointers in locals: the uint8_t stores below may alias anything, which would make the
  // compiler reload every vector's data pointer in the row loop.
  const std::int32_t* const act = in.act_in.data();
  const std::uint8_t* const valid = in.act_valid.data();
  const std::uint8_t* const asel = in.act_sel.data();
  std::int32_t* const hist_a = hist_a_.data() + h;
  std::uint8_t* const hist_s = hist_s_.data() + h;
  const std::size_t stride = stride_;
  Span* const spans = spans_.data();
  int* const span_first = span_first_.data();
  int* const span_count = span_count_.data();
  const std::int32_t* const wbuf0 = w_[0].data();
  const std::int32_t* const wbuf1 = w_[1].data();
  const int* const wlo0 = w_lo_[0].data();
  const int* const wlo1 = w_lo_[1].data();
  const int* const whi0 = w_hi_[0].data();
  const int* const whi1 = w_hi_[1].data();
  const int wh0 = w_head_[0], wh1 = w_head_[1];
  std::int32_t* const psums = p_.data();
  int* const p_lo = p_lo_.data();
  int* const p_hi = p_hi_.data();
  for (int r = 0; r < R; ++r) {
    const std::int32_t a_new = valid[r] ? act[r] : 0;
    int count = span_count[r];
    // A row without spans has only zeros in the array: an incoming zero changes nothing (its
    // history entry is never read unless a later span covers it, and spans start non-zero).
    if (count == 0 && a_new == 0) continue;
    std::int32_t* const a = hist_a + std::size_t(r) * stride;
    std::uint8_t* const sel = hist_s + std::size_t(r) * stride;
    a[0] = a_new;
    sel[0] = asel[r];
    Span* const sp = spans + std::size_t(r) * cap;
    int first = span_first[r];
    advance_operand_spans(sp, mask, first, count, oldest, t, a_new);
    span_first[r] = first, span_count[r] = count;
    if (count == 0) continue;  // only zeros in this row: no partial sum changes
    if (count == 1 && sp[first].first == sp[first].last) {
      // One operand crossing the row (an fc layer's wavefront): one PE, no column ranges.
      // Branch-free: which buffer an operand selects is data, not a pattern a predictor learns.
      const int c = int(t - sp[first].last);
      int s0 = wh0 - r, s1 = wh1 - r;
      s0 += s0 < 0 ? R : 0;
      s1 += s1 < 0 ? R : 0;
      const std::int32_t w0 = wbuf0[std::size_t(s0) * C + std::size_t(c)];
      const std::int32_t w1 = wbuf1[std::size_t(s1) * C + std::size_t(c)];
      const std::int32_t w = sel[c] ? w1 : w0;
      int ps = slot0 - r;
      ps += ps < 0 ? R : 0;
      std::int32_t& pc = psums[std::size_t(ps) * C + std::size_t(c)];
      pc = std::int32_t(std::uint32_t(pc) + std::uint32_t(w) * std::uint32_t(a[c]));
      p_lo[ps] = std::min(p_lo[ps], c), p_hi[ps] = std::max(p_hi[ps], c + 1);
      continue;
    }
    // Columns where either buffer of this row holds a non-zero weight.
    int s0 = wh0 - r, s1 = wh1 - r;
    if (s0 < 0) s0 += R;
    if (s1 < 0) s1 += R;
    const int lo = std::min(wlo0[s0], wlo1[s1]);
    const int hi = std::max(whi0[s0], whi1[s1]);
    if (lo >= hi) continue;
    const std::int32_t* const w0 = wbuf0 + std::size_t(s0) * C;
    const std::int32_t* const w1 = wbuf1 + std::size_t(s1) * C;
    int ps = slot0 - r;  // row r adds into wave t − r
    if (ps < 0) ps += R;
    std::int32_t* const p = psums + std::size_t(ps) * C;
    int plo = p_lo[ps], phi = p_hi[ps];
    for (int k = 0; k < count; ++k) {
      const Span& s = sp[(first + k) & mask];
      // Entry e sits in column t − e.
      const int c0 = std::max(lo, int(t - s.last));
      const int c1 = int(std::min<std::int64_t>(hi, t - s.first + 1));
      if (c0 >= c1) continue;
      if (c1 - c0 < kShortRun) {
        for (int c = c0; c < c1; ++c)
          p[c] = std::int32_t(std::uint32_t(p[c]) + std::uint32_t(sel[c] ? w1[c] : w0[c]) * std::uint32_t(a[c]));
      } else {
        mac_columns(c0, c1, w0, w1, a, sel, p);
      }
      plo = std::min(plo, c0), phi = std::max(phi, c1);
    }
    p_lo[ps] = plo, p_hi[ps] = phi;
  }
  hist_v_[std::size_t(h)] = valid[R - 1];
  // Wave t − R + 1 has passed every row: it is the bottom row's p_reg.
  const int out = slot0 + 1 == R ? 0 : slot0 + 1;
  std::int32_t* const po = out_.psum_out.data();
  if (out_lo_ < out_hi_) std::fill(po + out_lo_, po + out_hi_, 0);
  out_lo_ = p_lo_[out], out_hi_ = p_hi_[out];
  if (out_lo_ < out_hi_) std::copy(&p_[std::size_t(out) * C + out_lo_], &p_[std::size_t(out) * C + out_hi_], po + out_lo_);
  std::memcpy(out_.psum_valid.data(), &hist_v_[std::size_t(h)], std::size_t(C));
  // Weights shift after the MACs, which used the buffers' values from before the edge.
  if (in.load) load_weights(in.w_in, in.load_sel);
  ++t_;
  wave_slot_ = out;
}

std::int32_t SystolicPeArray::psum(int r, int c) const {
  // After edge t − 1, PE(r, c) holds wave t − 1 − r summed over rows 0..r.
  const std::int64_t u = t_ - 1 - r;
  const int slot = int(((u % R_) + R_) % R_);
  return p_[std::size_t(slot) * C_ + c];
}

void SystolicPeArray::probe_state(SignalSink& sink) const {
  sink.begin_scope("state");
  for (int r = 0; r < R_; ++r)
    for (int c = 0; c < C_; ++c) sink.reg("p_reg", r, c, 32, psum(r, c));
  sink.end_scope();
}

}  // namespace rcsim
