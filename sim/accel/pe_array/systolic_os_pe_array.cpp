#include "accel/pe_array/systolic_os_pe_array.h"

#include <algorithm>
#include <cstring>

#include "core/errors.h"

namespace rcsim {

namespace {

/// Below this many columns a span's MACs run inline; above, in the vector kernel.
constexpr int kShortRun = 8;
/// Rows are checked for idleness block by block.
constexpr int kRowBlock = 16;
/// Weight rows' non-zero columns are found block by block (a range too wide adds only zeros).
constexpr int kBlock = 8;

/// Columns [c0, c1) of one row: acc[c] += w[c] · a[c] (int32 wrap-around, core/int_arith.h's
/// mac()); an invalid operand is stored as 0. Compiled for AVX2 as well, picked at load time.
__attribute__((target_clones("avx2", "default"))) void mac_columns(int c0, int c1, const std::int32_t* __restrict w,
                                                                   const std::int32_t* __restrict a,
                                                                   std::int32_t* __restrict acc) {
  for (int c = c0; c < c1; ++c)
    acc[c] = std::int32_t(std::uint32_t(acc[c]) + std::uint32_t(w[c]) * std::uint32_t(a[c]));
}

/// Whether any of n rows is busy or receives a valid non-zero operand (branch-free: vectorizes).
bool block_busy(const std::int32_t* __restrict act, const std::uint8_t* __restrict valid,
                const std::uint8_t* __restrict busy, int n) {
  std::int32_t any = 0;
  for (int i = 0; i < n; ++i) any |= (act[i] & -std::int32_t(valid[i] != 0)) | std::int32_t(busy[i]);
  return any != 0;
}

int round_up_pow2(int n) {
  int p = 1;
  while (p < n) p *= 2;
  return p;
}

}  // namespace

SystolicOsPeArray::SystolicOsPeArray(int rows, int cols)
    : R_(rows),
      C_(cols),
      slack_(std::max(256, 4 * cols)),
      stride_(std::size_t(slack_) + std::size_t(cols)),
      head_(0),
      ring_cap_(round_up_pow2(cols + 2)) {
  if (rows <= 0 || cols <= 0) throw InternalError("SystolicOsPeArray: rows and cols must be positive");
  reset();
}

void SystolicOsPeArray::reset() {
  const std::size_t R = std::size_t(R_), C = std::size_t(C_), cap = std::size_t(ring_cap_);
  // Sized once; what is only read inside a span, a live range or a snapshot's "last" needs no
  // clearing (a job's reset is per GEMM job, and on a large array clearing R×C-sized state would
  // cost more than a small job's cycles).
  if (acc_.empty()) {
    hist_a_.assign(R * stride_, 0);
    f_ring_.assign(C * R, 0);
    spans_.assign(R * cap, Span{0, 0});
    lasts_.assign(R * cap, 0);
    acc_.assign(R * C, 0);
    acc_lo_.assign(R, C_);
    acc_hi_.assign(R, 0);
    sum_.assign(R * C, 0);
    sum_edge_.assign(R * C, -1);
  }
  for (int r = 0; r < R_; ++r) {
    const int lo = acc_lo_[std::size_t(r)], hi = acc_hi_[std::size_t(r)];
    if (lo < hi) std::fill(&acc_[std::size_t(r) * C + std::size_t(lo)], &acc_[std::size_t(r) * C + std::size_t(hi)], 0);
  }
  acc_lo_.assign(R, C_);
  acc_hi_.assign(R, 0);
  busy_.assign(R, 0);
  t_ = 0;
  head_ = slack_;
  snap_ = C_ - 1;  // edge 0 writes slot 0
  v_ring_.assign(C * R, 0);
  l_ring_.assign(C * R, 0);
  span_first_.assign(R, 0);
  span_count_.assign(R, 0);
  last_first_.assign(R, 0);
  last_count_.assign(R, 0);
  w_.assign(R * C, 0);
  w_head_ = R_ - 1;  // edge 0 writes slot 0
  w_lo_.assign(R, C_);
  w_hi_.assign(R, 0);
  drained_.clear();
  drained_edge_ = -1;
}

void SystolicOsPeArray::relocate_history() {
  // The newest C−1 entries (columns 0..C−2, which become 1..C−1 at this edge) move to the end.
  const std::size_t n = std::size_t(C_ - 1), to = std::size_t(slack_) + 1;
  for (int r = 0; r < R_; ++r) {
    std::int32_t* a = &hist_a_[std::size_t(r) * stride_];
    std::memmove(a + to, a, n * sizeof(std::int32_t));
  }
  head_ = slack_ + 1;
}

void SystolicOsPeArray::load_weight_row(const std::vector<std::int32_t>& w_in) {
  const int h = w_head_ + 1 == R_ ? 0 : w_head_ + 1;
  w_head_ = h;
  const int C = C_;
  std::int32_t* const w = &w_[std::size_t(h) * std::size_t(C)];
  std::memcpy(w, w_in.data(), std::size_t(C) * sizeof(std::int32_t));
  // Non-zero columns to block granularity: an OR per block vectorizes, a search for the exact
  // column would not.
  int lo = C, hi = 0;
  for (int b = 0; b < C; b += kBlock) {
    const int e = std::min(C, b + kBlock);
    std::int32_t any = 0;
    for (int c = b; c < e; ++c) any |= w[c];
    if (any) lo = std::min(lo, b), hi = e;
  }
  w_lo_[std::size_t(h)] = lo;
  w_hi_[std::size_t(h)] = hi;
}

void SystolicOsPeArray::follow_lasts(int r, std::int64_t t) {
  std::int64_t* const ls = &lasts_[std::size_t(r) * std::size_t(ring_cap_)];
  int n = 0;
  for (int c = C_ - 1; c >= 0; --c)  // oldest first
    if (c <= t && l_ring_[std::size_t((snap_ - c + C_) % C_) * std::size_t(R_) + std::size_t(r)]) ls[n++] = t - c;
  last_first_[std::size_t(r)] = 0;
  last_count_[std::size_t(r)] = n;
}

void SystolicOsPeArray::hand_out_row(int r, std::int64_t t) {
  const int lo = acc_lo_[std::size_t(r)], hi = acc_hi_[std::size_t(r)];
  const int mask = ring_cap_ - 1;
  const std::int64_t* const ls = &lasts_[std::size_t(r) * std::size_t(ring_cap_)];
  const int first = last_first_[std::size_t(r)], count = last_count_[std::size_t(r)];
  std::int32_t* const acc = &acc_[std::size_t(r) * std::size_t(C_)];
  std::int32_t* const sum = &sum_[std::size_t(r) * std::size_t(C_)];
  std::int64_t* const stamp = &sum_edge_[std::size_t(r) * std::size_t(C_)];
  // Newest first: columns ascending (entries that left the array give c ≥ C ≥ hi).
  for (int k = count - 1; k >= 0; --k) {
    const int c = int(std::min<std::int64_t>(t - ls[(first + k) & mask], C_));
    if (c >= hi) break;
    if (c < lo) continue;
    sum[c] = acc[c], stamp[c] = stamp_, acc[c] = 0;
  }
}

void SystolicOsPeArray::step() {
  const OsPeArrayInputs& in = *in_;
  const int R = R_, C = C_;
  const std::int64_t t = t_;
  if (head_ == 0) relocate_history();
  const int h = --head_;
  load_weight_row(in.w_in);
  snap_ = snap_ + 1 == C ? 0 : snap_ + 1;
  // Raw pointers in locals: the uint8_t stores below may alias anything, which would make the
  // compiler reload every vector's data pointer in the row loop.
  const std::int32_t* const act = in.act_in.data();
  const std::uint8_t* const valid = in.act_valid.data();
  const std::uint8_t* const last = in.act_last.data();
  std::uint8_t* const lsnap = &l_ring_[std::size_t(snap_) * std::size_t(R)];
  std::memcpy(&v_ring_[std::size_t(snap_) * std::size_t(R)], valid, std::size_t(R));
  std::memcpy(&f_ring_[std::size_t(snap_) * std::size_t(R)], in.act_fold.data(), std::size_t(R) * sizeof(std::int32_t));
  for (int r = 0; r < R; ++r) lsnap[r] = std::uint8_t((valid[r] != 0) & (last[r] != 0));
  const std::int64_t oldest = t - C + 1;  // entries before this edge have left every column
  const int mask = ring_cap_ - 1;
  const std::size_t cap = std::size_t(ring_cap_);
  std::int32_t* const hist_a = hist_a_.data() + h;
  const std::size_t stride = stride_;
  Span* const spans = spans_.data();
  int* const span_first = span_first_.data();
  int* const span_count = span_count_.data();
  std::int64_t* const lasts = lasts_.data();
  int* const last_first = last_first_.data();
  int* const last_count = last_count_.data();
  const std::int32_t* const wbuf = w_.data();
  const int* const wlo = w_lo_.data();
  const int* const whi = w_hi_.data();
  const int wh = w_head_;
  std::int32_t* const accs = acc_.data();
  int* const acc_lo = acc_lo_.data();
  int* const acc_hi = acc_hi_.data();
  std::uint8_t* const busy = busy_.data();
  // Rows in blocks: a block whose rows are all idle (no non-zero operand in the array, every
  // accumulator 0) and receive zeros stays idle — found by one vectorizable OR per block.
  for (int b = 0; b < R; b += kRowBlock) {
    const int b_end = std::min(R, b + kRowBlock);
    if (!block_busy(act + b, valid + b, busy + b, b_end - b)) continue;
    for (int r = b; r < b_end; ++r) {
      const std::int32_t a_new = valid[r] ? act[r] : 0;
      int count = span_count[r];
      const bool live = acc_lo[r] < acc_hi[r];
      if (count == 0 && a_new == 0 && !live) continue;
      if (live && lsnap[r]) {
        std::int64_t* const ls = lasts + std::size_t(r) * cap;
        int lfirst = last_first[r], lcount = last_count[r];
        while (lcount > 0 && ls[lfirst] < oldest) lfirst = (lfirst + 1) & mask, --lcount;
        ls[(lfirst + lcount++) & mask] = t;
        last_first[r] = lfirst, last_count[r] = lcount;
      }
      std::int32_t* const a = hist_a + std::size_t(r) * stride;
      a[0] = a_new;
      Span* const sp = spans + std::size_t(r) * cap;
      int first = span_first[r];
      advance_operand_spans(sp, mask, first, count, oldest, t, a_new);
      span_first[r] = first, span_count[r] = count;
      if (count > 0) {
        // Row r multiplies with the weight row that entered at edge t − r.
        int s = wh - r;
        if (s < 0) s += R;
        const int lo = wlo[s], hi = whi[s];
        if (lo < hi) {
          const std::int32_t* const w = wbuf + std::size_t(s) * C;
          std::int32_t* const acc = accs + std::size_t(r) * C;
          int alo = acc_lo[r], ahi = acc_hi[r];
          for (int k = 0; k < count; ++k) {
            const Span& sk = sp[(first + k) & mask];
            // Entry e sits in column t − e.
            const int c0 = std::max(lo, int(t - sk.last));
            const int c1 = int(std::min<std::int64_t>(hi, t - sk.first + 1));
            if (c0 >= c1) continue;
            if (c1 - c0 < kShortRun) {
              for (int c = c0; c < c1; ++c)
                acc[c] = std::int32_t(std::uint32_t(acc[c]) + std::uint32_t(w[c]) * std::uint32_t(a[c]));
            } else {
              mac_columns(c0, c1, w, a, acc);
            }
            alo = std::min(alo, c0), ahi = std::max(ahi, c1);
          }
          acc_lo[r] = alo, acc_hi[r] = ahi;
          if (!live && alo < ahi) follow_lasts(r, t);
        }
      }
      // A PE hands out acc + w·a of this edge (just added), then starts its next fold from 0.
      // (Entries are oldest first: if the newest last is past the live range, all are.)
      const int lc = last_count[r];
      if (lc > 0 && acc_lo[r] < acc_hi[r] &&
          t - lasts[std::size_t(r) * cap + std::size_t((last_first[r] + lc - 1) & mask)] < acc_hi[r])
        hand_out_row(r, t);
      busy[r] = std::uint8_t(count > 0 || acc_lo[r] < acc_hi[r]);
    }
  }
  ++t_;
  ++stamp_;
}

bool SystolicOsPeArray::handed_out(int r, int c, std::int32_t& sum) const {
  if (!a_last(r, c)) return false;
  const std::size_t i = std::size_t(r) * std::size_t(C_) + std::size_t(c);
  sum = sum_edge_[i] == stamp_ - 1 ? sum_[i] : 0;
  return true;
}

const std::vector<OsDrain>& SystolicOsPeArray::drained() const {
  if (drained_edge_ == t_) return drained_;
  drained_.clear();
  drained_edge_ = t_;
  // Far end first: rows descending, columns descending.
  for (int r = R_ - 1; r >= 0; --r)
    for (int c = int(std::min<std::int64_t>(C_, t_)) - 1; c >= 0; --c) {
      const std::size_t i = snap_slot(c) * std::size_t(R_) + std::size_t(r);
      if (!l_ring_[i]) continue;
      std::int32_t sum = 0;
      handed_out(r, c, sum);
      drained_.push_back({r, c, f_ring_[i], sum});
    }
  return drained_;
}

std::int32_t SystolicOsPeArray::a_reg(int r, int c) const {
  if (!a_valid(r, c)) return 0;
  // Only entries inside a span were stored; every other operand of the window was 0.
  const std::int64_t e = t_ - 1 - c;
  const int mask = ring_cap_ - 1;
  const Span* const sp = &spans_[std::size_t(r) * std::size_t(ring_cap_)];
  const int first = span_first_[std::size_t(r)], count = span_count_[std::size_t(r)];
  for (int k = 0; k < count; ++k) {
    const Span& s = sp[(first + k) & mask];
    if (s.first <= e && e <= s.last) return hist_a_[std::size_t(r) * stride_ + std::size_t(head_) + std::size_t(c)];
  }
  return 0;
}

void SystolicOsPeArray::probe_state(SignalSink& sink) const {
  sink.begin_scope("state");
  for (int r = 0; r < R_; ++r)
    for (int c = 0; c < C_; ++c) sink.reg("acc", r, c, 32, acc(r, c));
  sink.end_scope();
}

}  // namespace rcsim
