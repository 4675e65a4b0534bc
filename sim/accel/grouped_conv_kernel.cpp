#include "accel/grouped_conv_kernel.h"

#include <algorithm>
#include <cstring>

#include "core/errors.h"

// How the kernel computes (outputs()). Each input plane is split into sh·sw "phase planes",
// phase (a, b) holding input (r·sh + a, c·sw + b) at phase row r − r_lo, column c, in rows of Wq
// values, Wq = out_w when the window's columns allow (always for "same"-padded and strided
// convs). An output plane is then computed as one flat run i = oy·Wq + ox: window offset (dy, dx)
// reads phase (dy mod sh, dx mod sw) at i + a constant, one unit-stride load per offset at any
// stride and padding, vectorizing over whole planes (rows of 7 or 14 do not vectorize well). Rows
// outside the input are zero rows of the phase planes; columns outside it are not stored: where
// ox·sw + dx leaves the input, the load wraps into a neighbouring row or a guard value, so the
// offsets of one column offset dx (a "class": kh of them) are summed and the sum is ANDed with
// that class's 0/−1 mask over the run, once per class (all −1 for a class inside the input at every
// output column, as dx = 0 of a padded 3×3: one AND, uniform code). With Wq = out_w the run is the output plane itself,
// written in place; otherwise (a valid conv of stride 1) it is computed Wq wide and copied.
//
// Per block of kLanes outputs the sum over every window offset stays in a register and is stored
// once (GCC vector extensions: one AVX-512 register per block; the auto-vectorizer kept to 256-bit
// vectors and spilled its pointers); a group's phase planes are built once for all its output
// channels. Uint32 arithmetic: int32 wrap-around, as the array's accumulators; masking a class's
// sum removes exactly its out-of-input products, so the result is the jobs' sum bit for bit. The
// common 3×3 window (3 classes of 3 on a grid) is specialised so its offsets unroll; other windows
// loop. Loads bound the block (9 taps + masks per 16 outputs), not the multiplies: on AVX-512 a
// stride-1 3×3 loads each row once per block (the +1 and +2 columns by permutes with the next
// block's vector), and its blocks away from the plane's first and last rows read the input plane
// itself (with Wq = in_w a stride-1 phase plane is the input plus zero rows), so only the rows
// the others read are copied; a stride-2 3×3 loads the phase plane that two column offsets share
// once per row (6 loads instead of 9).

namespace rcsim {

namespace {

constexpr int kLanes = 16;  // outputs per block: one AVX-512 vector of int32 (two AVX2 ones)

int floor_div(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
int floor_mod(int a, int b) { return a - floor_div(a, b) * b; }

}  // namespace

GroupedConvKernel::GroupedConvKernel(const Layer& l, const LayerOperands& op) {
  if (l.kind != LayerKind::Conv) throw InternalError("GroupedConvKernel: node '" + l.name + "' is not a conv");
  M_ = op.M, N_ = op.N;
  out_h_ = l.out.h, out_w_ = l.out.w, sh_ = l.stride_h, sw_ = l.stride_w;
  if (std::int64_t(out_h_) * out_w_ != M_)
    throw InternalError("GroupedConvKernel: node '" + l.name + "' has " + std::to_string(M_) + " output pixels, not " +
                        std::to_string(out_h_) + "x" + std::to_string(out_w_));
  kk_ = l.kernel_h * l.kernel_w;
  bool have_window = false;
  std::vector<int> dy, dx;  // [kk]: window offset − pad
  for (const GemmJob& job : op.jobs) {
    const std::int64_t K = job.g.K, N = job.g.N;
    if (K % kk_ != 0) throw InternalError("GroupedConvKernel: a job of '" + l.name + "' has K not a multiple of kh·kw");
    Group g{std::int32_t(item_base_.size()), std::int32_t(K / kk_), std::int32_t(col_out_.size()), std::int32_t(N)};
    if (K > 0) {
      const OperandGather& x = job.x;
      if (!have_window) {
        in_h_ = x.in_h, in_w_ = x.in_w;
        dy.assign(x.dy.begin(), x.dy.begin() + kk_);
        dx.assign(x.dx.begin(), x.dx.begin() + kk_);
        have_window = true;
      }
      // Row k is input plane k / kk at window offset k mod kk (mapper/node_jobs.h): checked, as
      // the kernel reads only the plane per item and the offsets once.
      for (std::int64_t k = 0; k < K; ++k)
        if (x.dy[std::size_t(k)] != dy[std::size_t(k % kk_)] || x.dx[std::size_t(k)] != dx[std::size_t(k % kk_)] ||
            x.base[std::size_t(k)] != x.base[std::size_t(k - k % kk_)] || x.in_h != in_h_ || x.in_w != in_w_)
          throw InternalError("GroupedConvKernel: a job of '" + l.name + "' does not read a window per input plane");
      for (std::int64_t item = 0; item < K / kk_; ++item) item_base_.push_back(x.base[std::size_t(item * kk_)]);
      max_items_ = std::max(max_items_, g.items);
    }
    for (std::int64_t n = 0; n < N; ++n) {
      col_out_.push_back(job.out_pos[std::size_t(n)]);
      col_bias_.push_back(job.bias[std::size_t(n)]);
      for (std::int64_t k = 0; k < K; ++k) weights_.push_back(job.W(k, n));
    }
    groups_.push_back(g);
  }
  if (std::int64_t(col_out_.size()) != N_)
    throw InternalError("GroupedConvKernel: the jobs of '" + l.name + "' do not cover its output channels");
  if (!have_window || M_ == 0) return;
  // The phase planes' layout (see the top of this file).
  const int min_dy = *std::min_element(dy.begin(), dy.end()), max_dy = *std::max_element(dy.begin(), dy.end());
  const int min_dx = *std::min_element(dx.begin(), dx.end()), max_dx = *std::max_element(dx.begin(), dx.end());
  r_lo_ = floor_div(min_dy, sh_);
  Hq_ = out_h_ + floor_div(max_dy, sh_) - r_lo_;
  // Wq: wide enough that a load past a row's end (column c ≥ Wq) is outside the input: either
  // every input column has its phase column (c·sw + b < in_w ⇒ c < ceil(in_w / sw) ≤ Wq) or no
  // window offset reaches past column Wq − 1.
  const int phase_cols = (in_w_ + sw_ - 1) / sw_;
  Wq_ = std::max(out_w_, std::min(phase_cols, out_w_ + std::max(0, floor_div(max_dx, sw_))));
  lead_ = std::max(0, -floor_div(min_dx, sw_));  // loads before row 0 (masked)
  // After the last row: loads past it (masked) and a block's loads past the run (dropped), and the
  // next block's (sum_run's shifted loads).
  const int trail = std::max(0, floor_div(max_dx, sw_)) + 2 * kLanes;
  phase_size_ = std::size_t(lead_) + std::size_t(Hq_) * std::size_t(Wq_) + std::size_t(trail);
  std::vector<int> cols(dx);
  std::sort(cols.begin(), cols.end());
  cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
  for (const int cx : cols) {
    TapClass c{std::int32_t(taps_.size()), 0, cx};
    for (int j = 0; j < kk_; ++j) {
      if (dx[std::size_t(j)] != cx) continue;
      const int ry = floor_div(dy[std::size_t(j)], sh_), rx = floor_div(cx, sw_);
      const int phase = floor_mod(dy[std::size_t(j)], sh_) * sw_ + floor_mod(cx, sw_);
      const std::int64_t off = std::int64_t(phase) * std::int64_t(phase_size_) + lead_ + std::int64_t(ry - r_lo_) * Wq_ + rx;
      taps_.push_back(Tap{std::int32_t(off), j});
      ++c.taps;
    }
    classes_.push_back(c);
  }
  // A window grid (every conv's): tap t of class q reads at taps[q][0] + (taps[0][t] − taps[0][0]).
  grid_ = true;
  for (const TapClass& c : classes_) {
    grid_ = grid_ && c.taps == classes_[0].taps;
    for (int t = 0; grid_ && t < c.taps; ++t)
      grid_ = dy[std::size_t(taps_[std::size_t(c.first + t)].j)] == dy[std::size_t(taps_[std::size_t(t)].j)] &&
              taps_[std::size_t(c.first + t)].off - taps_[std::size_t(c.first)].off ==
                  taps_[std::size_t(t)].off - taps_[0].off;
  }
}

std::size_t GroupedConvKernel::bytes() const {
  return sizeof(*this) + classes_.capacity() * sizeof(TapClass) + taps_.capacity() * sizeof(Tap) +
         groups_.capacity() * sizeof(Group) +
         (item_base_.capacity() + col_out_.capacity() + col_bias_.capacity() + weights_.capacity()) * sizeof(std::int32_t);
}

namespace {

/// What the kernel's builds read: the node's geometry, tables and this call's buffers.
struct NodeArgs {
  int in_h, in_w, out_h, out_w, sh, sw, kk, Wq, Hq, r_lo, lead;
  std::size_t phase_size, run, blocks;  ///< run = out_h·Wq outputs in blocks of kLanes
  std::int64_t M;
  int n_classes;
  const GroupedConvKernel::TapClass* classes;
  const GroupedConvKernel::Tap* taps;
  const GroupedConvKernel::Group* groups;
  std::size_t n_groups;
  const std::int32_t *item_base, *col_out, *col_bias, *weights;
  const std::int32_t *x, *x_end;  ///< the node's input
  std::uint32_t* y;
  std::int32_t* planes;         ///< max_items · sh·sw phase planes
  const std::uint32_t* masks;   ///< [mask_blocks][class][kLanes]: block b's at b mod mask_blocks
  std::size_t mask_blocks;
  bool grid;
  // Stride 1, Wq = in_w: phase index p of a plane holds input value p − x_off. Blocks
  // [direct_lo, direct_hi) of the 3×3 runs with shifted loads read the input plane itself; only
  // phase indices [x_off, copy_a) and [copy_b, x_off + in_h·in_w), which the others read, are
  // copied. direct_hi = 0: every block reads the phase planes, copied whole.
  std::size_t direct_lo, direct_hi;
  std::ptrdiff_t x_off, copy_a, copy_b;
  std::uint32_t* padded;        ///< blocks · kLanes: the run when Wq > out_w
};

// Lanes never crosses a call that is not inlined: GCC's note that passing it without AVX-512
// changes the ABI does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"

/// A block of kLanes uint32 (GCC vector extension: one AVX-512 register, two AVX2 ones, four SSE2
/// ones; the loop vectorizer alone kept to 256-bit vectors).
typedef std::uint32_t Lanes __attribute__((vector_size(kLanes * sizeof(std::uint32_t))));
template <class T>
inline __attribute__((always_inline)) Lanes load(const T* p) {
  static_assert(sizeof(T) == sizeof(std::uint32_t), "32-bit lanes");
  Lanes v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Two-source permutes of 16 lanes with constant indices (__builtin_shufflevector: GCC ≥ 12 and
// clang both have it; GCC's __builtin_shuffle is GCC's alone).
static_assert(kLanes == 16, "the permutes below are written for 16 lanes");
/// The even and the odd lanes of a ‖ b (a line's two column phases).
inline __attribute__((always_inline)) Lanes evens(Lanes a, Lanes b) {
  return __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
}
inline __attribute__((always_inline)) Lanes odds(Lanes a, Lanes b) {
  return __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
}
/// Lanes 1..16 and 2..17 of a ‖ b (the next one and two columns of a run).
inline __attribute__((always_inline)) Lanes shift_by1(Lanes a, Lanes b) {
  return __builtin_shufflevector(a, b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
}
inline __attribute__((always_inline)) Lanes shift_by2(Lanes a, Lanes b) {
  return __builtin_shufflevector(a, b, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17);
}

using TapClass = GroupedConvKernel::TapClass;
using Tap = GroupedConvKernel::Tap;
using Group = GroupedConvKernel::Group;

// GCC turns the short row copies below into memmove calls (a call per row of 7–112 values, ~10⁵
// per MobileNetV2 image); kept as inline vector loops instead.
#if defined(__GNUC__) && !defined(__clang__)
#define RCSIM_INLINE_COPIES __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define RCSIM_INLINE_COPIES
#endif

/// Input plane `plane` into its phase planes `dst`: the rows inside the input, columns c with
/// c·sw + b inside it. The other rows were zeroed once (outputs()); the other columns are masked.
template <bool Wide>
inline __attribute__((always_inline)) void split_plane(const NodeArgs& a, const std::int32_t* plane, std::int32_t* dst) {
  const int in_h = a.in_h, in_w = a.in_w, sh = a.sh, sw = a.sw, Wq = a.Wq, Hq = a.Hq, r_lo = a.r_lo;
  const std::size_t phase = a.phase_size, lead = std::size_t(a.lead);
  for (int ph_r = 0; ph_r < sh; ++ph_r) {
    // Phase rows whose input row (r + r_lo)·sh + ph_r lies inside the input.
    const int r0 = std::min(Hq, std::max(0, floor_div(-ph_r + sh - 1, sh) - r_lo));
    const int r1 = std::max(r0, std::min(Hq, floor_div(in_h - 1 - ph_r, sh) - r_lo + 1));
    const int iy0 = (r0 + r_lo) * sh + ph_r;
    std::int32_t* const first = dst + std::size_t(ph_r * sw) * phase + lead + std::size_t(r0) * std::size_t(Wq);
    if (sw == 1) {
      const int n = std::min(Wq, in_w);
      if (sh == 1 && n == Wq) {  // the rows are contiguous in both: one copy
        const std::int32_t* const src = plane + std::size_t(iy0) * std::size_t(in_w);
        const std::size_t count = std::size_t(r1 - r0) * std::size_t(Wq);
        for (std::size_t i = 0; i < count; ++i) first[i] = src[i];
      } else {
        for (int r = r0; r < r1; ++r) {
          const std::int32_t* const line = plane + std::size_t(iy0 + (r - r0) * sh) * std::size_t(in_w);
          std::int32_t* const row = first + std::size_t(r - r0) * std::size_t(Wq);
          for (int c = 0; c < n; ++c) row[c] = line[c];
        }
      }
    } else if (sw == 2) {
      // Both column phases from one pass over each input line (an interleaved pair of loads
      // vectorizes; a stride-2 load alone ran scalar).
      const int pairs = std::min(Wq, in_w / 2);
      const bool odd = in_w % 2 != 0 && in_w / 2 < Wq;
      for (int r = r0; r < r1; ++r) {
        const std::int32_t* const line = plane + std::size_t(iy0 + (r - r0) * sh) * std::size_t(in_w);
        std::int32_t* const row0 = first + std::size_t(r - r0) * std::size_t(Wq);
        std::int32_t* const row1 = row0 + phase;
        int c = 0;
        if (Wide) {
          // kLanes pairs from two vectors by two 2-source permutes. A row of fewer pairs is
          // written whole when the rows it spills into are inside the input (each is written
          // after, over the excess; the columns past the input's are masked) and the line has
          // 2·kLanes values left in the input.
          auto chunk = [&](int c0) __attribute__((always_inline)) {
            const Lanes v0 = load(line + 2 * c0), v1 = load(line + 2 * c0 + kLanes);
            const Lanes e = evens(v0, v1), o = odds(v0, v1);
            std::memcpy(row0 + c0, &e, sizeof e);
            std::memcpy(row1 + c0, &o, sizeof o);
          };
          if (pairs >= kLanes) {
            for (; c + kLanes <= pairs; c += kLanes) chunk(c);
            if (c < pairs) chunk(pairs - kLanes), c = pairs;  // overlapping the last chunk
          } else if (r * Wq + kLanes <= r1 * Wq && a.x_end - line >= 2 * kLanes) {
            chunk(0), c = pairs;
          }
        }
        for (; c < pairs; ++c) row0[c] = line[2 * c], row1[c] = line[2 * c + 1];
        if (odd) row0[pairs] = line[in_w - 1];
      }
    } else {
      for (int b = 0; b < sw; ++b) {
        const int n = std::min(Wq, (in_w - b + sw - 1) / sw);
        for (int r = r0; r < r1; ++r) {
          const std::int32_t* const line = plane + std::size_t(iy0 + (r - r0) * sh) * std::size_t(in_w) + b;
          std::int32_t* const row = first + std::size_t(b) * phase + std::size_t(r - r0) * std::size_t(Wq);
          for (int c = 0; c < n; ++c) row[c] = line[std::size_t(c) * std::size_t(sw)];
        }
      }
    }
  }
}

/// out[i] (+)= bias + Σ over the classes of (Σ over its offsets of w·src) & mask, over the run of
/// one output plane and input plane (`first`: out is overwritten, from the bias). Q classes of T
/// offsets each on a window grid (their loads addressed by row and column: few pointers), or any
/// (Q = T = 0).
template <int Q, int T, int Shift>
inline __attribute__((always_inline)) void sum_run(const NodeArgs& a, const std::int32_t* planes, const std::int32_t* xplane,
                                                   const std::int32_t* w, bool first, std::uint32_t bias,
                                                   std::uint32_t* out) {
  const std::size_t run = a.run, full = run / kLanes, period = a.mask_blocks;
  const int nq = Q ? Q : a.n_classes;
  const std::size_t mask_step = std::size_t(nq) * kLanes;
  const TapClass* const classes = a.classes;
  const Tap* const taps = a.taps;
  // Grid: tap (q, t) at rows[t] + cols[q]; weights in registers.
  std::uint32_t wv[Q ? Q : 1][Q ? T : 1];
  const std::int32_t* rows[Q ? T : 1];
  std::ptrdiff_t cols[Q ? Q : 1];
  if (Q) {
    for (int t = 0; t < T; ++t) rows[t] = planes + (taps[t].off - taps[0].off);
    for (int q = 0; q < Q; ++q) {
      cols[q] = taps[classes[q].first].off;
      for (int t = 0; t < T; ++t) wv[q][t] = std::uint32_t(w[taps[classes[q].first + t].j]);
    }
  }
  // The 3×3 grid's three classes over blocks [b0, b1): sums(i, s) adds each class's products of
  // the block at i into s[0..2]; each is masked, added to the bias (or to the output) and stored,
  // the last, partial block through tmp. `mb` (the mask block) carries over between calls.
  std::size_t mb = 0;
  std::uint32_t tmp[kLanes] = {};
  auto grid_blocks = [&](std::size_t b0, std::size_t b1, auto&& sums) __attribute__((always_inline)) {
    for (std::size_t b = b0; b < b1; ++b) {
      const std::size_t i = b * kLanes, n = std::min<std::size_t>(kLanes, run - i);
      std::uint32_t* const dst = n == kLanes ? out + i : tmp;
      if (n != kLanes)
        for (std::size_t l = 0; l < n; ++l) tmp[l] = out[i + l];
      Lanes acc = first ? Lanes{} + bias : load(dst), s[3] = {};
      sums(i, s);
      const std::uint32_t* const m = a.masks + mb * mask_step;
      acc += (s[0] & load(m)) + (s[1] & load(m + kLanes)) + (s[2] & load(m + 2 * kLanes));
      std::memcpy(dst, &acc, sizeof acc);
      if (n != kLanes)
        for (std::size_t l = 0; l < n; ++l) out[i + l] = tmp[l];
      mb = mb + 1 == period ? 0 : mb + 1;
    }
  };
  if (Shift == 2) {
    // Classes 0 and 2 read each row of one phase plane at columns +0 and +1, class 1 another
    // (stride 2, padding 0 or 1): one load of the first per row and block, the +1 vector taken
    // from it and the next block's, which is kept: 6 loads instead of 9.
    static_assert(Shift != 2 || (Q == 3 && T == 3), "the 3x3 grid");
    const std::int32_t *r0[Q ? T : 1], *r1[Q ? T : 1];
    Lanes cur[Q ? T : 1];
    for (int t = 0; t < T; ++t) r0[t] = rows[t] + cols[0], r1[t] = rows[t] + cols[1], cur[t] = load(r0[t]);
    grid_blocks(0, a.blocks, [&](std::size_t i, Lanes* s) __attribute__((always_inline)) {
#pragma GCC unroll 16
      for (int t = 0; t < T; ++t) {
        const Lanes next = load(r0[t] + i + kLanes);
        s[0] += wv[0][t] * cur[t];
        s[1] += wv[1][t] * load(r1[t] + i);
        s[2] += wv[2][t] * shift_by1(cur[t], next);
        cur[t] = next;
      }
    });
    return;
  }
  if (Shift == 1) {
    // The classes read each row at columns +0, +1, +2 (stride 1): one load per row and block, the
    // shifted vectors taken from it and the next block's (one valignd each), which is kept: 3
    // loads instead of 9.
    static_assert(Shift != 1 || (Q == 3 && T == 3), "the 3x3 grid");
    const std::int32_t* r[Q ? T : 1];
    Lanes cur[Q ? T : 1];
    for (int t = 0; t < T; ++t) r[t] = rows[t] + cols[0], cur[t] = load(r[t]);
    const std::int32_t* rx[Q ? T : 1];  // the same rows in the input plane
    for (int t = 0; t < T; ++t) rx[t] = xplane + (r[t] - planes - a.x_off);
    auto from = [&](const std::int32_t* const* src) __attribute__((always_inline)) {
      return [&cur, &wv, src](std::size_t i, Lanes* s) __attribute__((always_inline)) {
#pragma GCC unroll 16
        for (int t = 0; t < T; ++t) {
          const Lanes next = load(src[t] + i + kLanes);
          s[0] += wv[0][t] * cur[t];
          s[1] += wv[1][t] * shift_by1(cur[t], next);
          s[2] += wv[2][t] * shift_by2(cur[t], next);
          cur[t] = next;
        }
      };
    };
    if (a.direct_hi > 0) {
      grid_blocks(0, a.direct_lo, from(r));
      grid_blocks(a.direct_lo, a.direct_hi, from(rx));
      grid_blocks(a.direct_hi, a.blocks, from(r));
    } else {
      grid_blocks(0, a.blocks, from(r));
    }
    return;
  }
  // Block i..i + kLanes into dst (read first unless `first`), with mask block m.
  auto block = [&](std::size_t i, const std::uint32_t* m, std::uint32_t* dst) __attribute__((always_inline)) {
    Lanes acc = first ? Lanes{} + bias : load(dst);
    if (Q) {
#pragma GCC unroll 16
      for (int q = 0; q < Q; ++q) {
        Lanes s = {};
#pragma GCC unroll 16
        for (int t = 0; t < T; ++t) s += wv[q][t] * load(rows[t] + cols[q] + i);
        acc += s & load(m + q * kLanes);
      }
    } else {
      for (int q = 0; q < nq; ++q) {
        Lanes s = {};
        const TapClass& c = classes[q];
        for (int t = 0; t < c.taps; ++t) {
          const Tap& tp = taps[c.first + t];
          s += std::uint32_t(w[tp.j]) * load(planes + tp.off + i);
        }
        acc += s & load(m + q * kLanes);
      }
    }
    std::memcpy(dst, &acc, sizeof acc);
  };
  for (std::size_t b = 0; b < full; ++b) {
    block(b * kLanes, a.masks + mb * mask_step, out + b * kLanes);
    mb = mb + 1 == period ? 0 : mb + 1;
  }
  if (const std::size_t n = run - full * kLanes) {  // the last, partial block
    for (std::size_t l = 0; l < n; ++l) tmp[l] = out[full * kLanes + l];
    block(full * kLanes, a.masks + mb * mask_step, tmp);
    for (std::size_t l = 0; l < n; ++l) out[full * kLanes + l] = tmp[l];
  }
}

template <int Q, int T, int Shift, bool Wide>
inline __attribute__((always_inline)) void node_outputs(const NodeArgs& a) {
  const Group* const groups = a.groups;
  const std::size_t item_planes = std::size_t(a.sh) * std::size_t(a.sw) * a.phase_size;
  const std::size_t M = std::size_t(a.M);
  const bool in_place = a.Wq == a.out_w;
  const std::int32_t* w = a.weights;  // column c's weights follow those of every earlier column
  for (std::size_t gi = 0; gi < a.n_groups; ++gi) {
    const Group& g = groups[gi];
    const std::size_t K = std::size_t(g.items) * std::size_t(a.kk);
    if (K == 0) {  // a group whose inputs are all inactive at this width
      for (std::int32_t c = g.col0; c < g.col0 + g.cols; ++c) {
        std::uint32_t* const y = a.y + std::size_t(a.col_out[c]) * M;
        for (std::size_t i = 0; i < M; ++i) y[i] = std::uint32_t(a.col_bias[c]);
      }
      continue;
    }
    for (std::int32_t item = 0; item < g.items; ++item) {
      const std::int32_t* const x = a.x + a.item_base[g.item0 + item];
      std::int32_t* const dst = a.planes + std::size_t(item) * item_planes;
      if (Shift == 1 && a.direct_hi > 0) {  // only what the blocks reading the phase plane read
        const std::ptrdiff_t end = a.x_off + std::ptrdiff_t(a.in_h) * a.in_w;
        for (std::ptrdiff_t p = a.x_off; p < a.copy_a; ++p) dst[p] = x[p - a.x_off];
        for (std::ptrdiff_t p = a.copy_b; p < end; ++p) dst[p] = x[p - a.x_off];
      } else {
        split_plane<Wide>(a, x, dst);
      }
    }
    for (std::int32_t c = g.col0; c < g.col0 + g.cols; ++c, w += K) {
      std::uint32_t* const y = a.y + std::size_t(a.col_out[c]) * M;
      std::uint32_t* const out = in_place ? y : a.padded;
      for (std::int32_t item = 0; item < g.items; ++item)
        sum_run<Q, T, Shift>(a, a.planes + std::size_t(item) * item_planes, a.x + a.item_base[g.item0 + item],
                             w + std::size_t(item) * std::size_t(a.kk),
                      item == 0, std::uint32_t(a.col_bias[c]), out);
      if (!in_place)
        for (int oy = 0; oy < a.out_h; ++oy) {
          std::uint32_t* const dst = y + std::size_t(oy) * std::size_t(a.out_w);
          const std::uint32_t* const src = out + std::size_t(oy) * std::size_t(a.Wq);
          for (int ox = 0; ox < a.out_w; ++ox) dst[ox] = src[ox];
        }
    }
  }
}

/// The whole node, compiled for AVX-512 (512-bit vectors: GCC's generic tuning would keep to 256),
/// AVX2 and the baseline, picked at run time: a 32-bit multiply per lane (SSE2 has none).
/// Wide: AVX-512's 2-source permutes (shifted loads, column phases split by vectors).
template <bool Wide>
inline __attribute__((always_inline)) void node_outputs_any(const NodeArgs& a) {
  if (a.grid && a.n_classes == 3 && a.classes[0].taps == 3) {
    const std::int32_t c0 = a.taps[a.classes[0].first].off;
    const std::int32_t c1 = a.taps[a.classes[1].first].off, c2 = a.taps[a.classes[2].first].off;
    if (Wide && c1 == c0 + 1 && c2 == c0 + 2)
      node_outputs<3, 3, Wide ? 1 : 0, Wide>(a);  // shifted loads: stride 1
    else if (Wide && c2 == c0 + 1)
      node_outputs<3, 3, Wide ? 2 : 0, Wide>(a);  // stride 2
    else
      node_outputs<3, 3, 0, Wide>(a);
  } else {
    node_outputs<0, 0, 0, Wide>(a);
  }
}
__attribute__((target("avx512f,prefer-vector-width=512"))) RCSIM_INLINE_COPIES void node_outputs_avx512(const NodeArgs& a) {
  node_outputs_any<true>(a);
}
__attribute__((target("avx2"))) RCSIM_INLINE_COPIES void node_outputs_avx2(const NodeArgs& a) { node_outputs_any<false>(a); }
RCSIM_INLINE_COPIES void node_outputs_baseline(const NodeArgs& a) { node_outputs_any<false>(a); }

using NodeOutputsFn = void (*)(const NodeArgs&);
NodeOutputsFn forced_build = nullptr;  // GroupedConvKernel::use_build_for_tests

void node_outputs_best(const NodeArgs& a) {
  static const NodeOutputsFn best = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") ? node_outputs_avx512
           : __builtin_cpu_supports("avx2")  ? node_outputs_avx2
                                             : node_outputs_baseline;
  }();
  (forced_build ? forced_build : best)(a);
}

thread_local std::vector<std::int32_t> phase_planes;
thread_local std::vector<std::uint32_t> run_masks;
thread_local std::vector<std::uint32_t> padded_run;

}  // namespace

void GroupedConvKernel::outputs(const std::vector<std::int32_t>& in, std::vector<std::int32_t>& acc) const {
  acc.resize(std::size_t(M_ * N_));
  if (M_ == 0) return;
  const std::size_t run = std::size_t(out_h_) * std::size_t(Wq_), blocks = (run + kLanes - 1) / kLanes;
  const std::size_t stride = blocks * kLanes;
  // Phase rows outside the input are zero for every plane: zeroed here, never written after.
  const std::size_t item_planes = std::size_t(sh_) * std::size_t(sw_) * phase_size_;
  if (phase_planes.size() < std::size_t(max_items_) * item_planes) phase_planes.resize(std::size_t(max_items_) * item_planes);
  for (std::int32_t item = 0; item < max_items_; ++item)
    for (int a = 0; a < sh_; ++a) {
      const int r0 = std::min(Hq_, std::max(0, floor_div(-a + sh_ - 1, sh_) - r_lo_));
      const int r1 = std::max(r0, std::min(Hq_, floor_div(in_h_ - 1 - a, sh_) - r_lo_ + 1));
      for (int b = 0; b < sw_; ++b) {
        std::int32_t* const ph = phase_planes.data() + std::size_t(item) * item_planes +
                                 std::size_t(a * sw_ + b) * phase_size_ + std::size_t(lead_);
        std::fill(ph, ph + std::size_t(r0) * std::size_t(Wq_), 0);
        std::fill(ph + std::size_t(r1) * std::size_t(Wq_), ph + std::size_t(Hq_) * std::size_t(Wq_), 0);
      }
    }
  // Each class's mask, −1 where its column offset stays inside the input. A block's masks depend on
  // its columns only: they repeat every Wq / gcd(Wq, kLanes) blocks.
  std::size_t period = std::size_t(Wq_), lanes = kLanes;
  while (lanes != 0) period %= lanes, std::swap(period, lanes);  // gcd(Wq, kLanes)
  period = std::size_t(Wq_) / period;
  const std::size_t n_classes = classes_.size();
  if (run_masks.size() < period * n_classes * kLanes) run_masks.resize(period * n_classes * kLanes);
  for (std::size_t p = 0; p < period; ++p)
    for (std::size_t q = 0; q < n_classes; ++q)
      for (std::size_t l = 0; l < kLanes; ++l) {
        const int ox = int((p * kLanes + l) % std::size_t(Wq_)), ix = ox * sw_ + classes_[q].dx;
        run_masks[(p * n_classes + q) * kLanes + l] = ox < out_w_ && ix >= 0 && ix < in_w_ ? ~0u : 0u;
      }
  // Stride 1 with every input row in the phase plane (and so, Wq = in_w, every input value at
  // one offset): the 3×3's middle blocks read the input plane (NodeArgs::direct_lo).
  std::size_t direct_lo = 0, direct_hi = 0;
  std::ptrdiff_t x_off = 0, copy_a = 0, copy_b = 0;
  if (grid_ && classes_.size() == 3 && classes_[0].taps == 3 && sh_ == 1 && sw_ == 1 && Wq_ == in_w_ && r_lo_ <= 0 &&
      in_h_ - r_lo_ <= Hq_) {
    x_off = lead_ - std::ptrdiff_t(r_lo_) * Wq_;
    const std::ptrdiff_t end = x_off + std::ptrdiff_t(in_h_) * in_w_, lanes = kLanes;
    const std::ptrdiff_t top = taps_[0].off, bottom = taps_[2].off;  // class 0's first and last rows
    // Block b reads rows top.. bottom at b·kLanes + [0, 2·kLanes) (its next block's included).
    const std::ptrdiff_t lo = std::max<std::ptrdiff_t>(1, (x_off - top + lanes - 1) / lanes);
    const std::ptrdiff_t hi = end - bottom - 2 * lanes >= 0
                                  ? std::min<std::ptrdiff_t>(std::ptrdiff_t(blocks), (end - bottom - 2 * lanes) / lanes + 1)
                                  : 0;
    if (lo < hi) {
      direct_lo = std::size_t(lo), direct_hi = std::size_t(hi);
      copy_a = std::min(end, bottom + lo * lanes + lanes);
      copy_b = std::max(x_off, top + hi * lanes + lanes);
    }
  }
  if (Wq_ != out_w_ && padded_run.size() < stride) padded_run.resize(stride);
  NodeArgs a{in_h_, in_w_, out_h_, out_w_, sh_, sw_, kk_, Wq_, Hq_, r_lo_, lead_, phase_size_, run, blocks, M_,
             int(classes_.size()), classes_.data(), taps_.data(), groups_.data(), groups_.size(),
             item_base_.data(), col_out_.data(), col_bias_.data(), weights_.data(), in.data(), in.data() + in.size(),
             reinterpret_cast<std::uint32_t*>(acc.data()), phase_planes.data(), run_masks.data(), period, grid_, direct_lo, direct_hi, x_off, copy_a, copy_b, padded_run.data()};
  node_outputs_best(a);
}

bool GroupedConvKernel::use_build_for_tests(const std::string& isa) {
  __builtin_cpu_init();
  if (isa == "avx512" && __builtin_cpu_supports("avx512f")) return forced_build = node_outputs_avx512, true;
  if (isa == "avx2" && __builtin_cpu_supports("avx2")) return forced_build = node_outputs_avx2, true;
  if (isa == "baseline") return forced_build = node_outputs_baseline, true;
  forced_build = nullptr;
  return isa.empty();
}

}  // namespace rcsim
