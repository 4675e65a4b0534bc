#include "accel/grouped_conv_kernel.h"

#include <algorithm>

#include "core/errors.h"

namespace rcsim {

GroupedConvKernel::GroupedConvKernel(const Layer& l, const LayerOperands& op) {
  if (l.kind != LayerKind::Conv) throw InternalError("GroupedConvKernel: node '" + l.name + "' is not a conv");
  M_ = op.M, N_ = op.N;
  out_h_ = l.out.h, out_w_ = l.out.w, sh_ = l.stride_h, sw_ = l.stride_w;
  if (std::int64_t(out_h_) * out_w_ != M_)
    throw InternalError("GroupedConvKernel: node '" + l.name + "' has " + std::to_string(M_) + " output pixels, not " +
                        std::to_string(out_h_) + "x" + std::to_string(out_w_));
  kk_ = l.kernel_h * l.kernel_w;
  bool have_window = false;
  for (const GemmJob& job : op.jobs) {
    const std::int64_t K = job.g.K, N = job.g.N;
    if (K % kk_ != 0) throw InternalError("GroupedConvKernel: a job of '" + l.name + "' has K not a multiple of kh·kw");
    Group g{std::int32_t(item_base_.size()), std::int32_t(K / kk_), std::int32_t(col_out_.size()), std::int32_t(N)};
    if (K > 0) {
      const OperandGather& x = job.x;
      if (!have_window) {
        in_h_ = x.in_h, in_w_ = x.in_w;
        dy_.assign(x.dy.begin(), x.dy.begin() + kk_);
        dx_.assign(x.dx.begin(), x.dx.begin() + kk_);
        have_window = true;
      }
      // Row k is input plane k / kk at window offset k mod kk (mapper/node_jobs.h): checked, as
      // the kernel reads only the plane per item and the offsets once.
      for (std::int64_t k = 0; k < K; ++k)
        if (x.dy[std::size_t(k)] != dy_[std::size_t(k % kk_)] || x.dx[std::size_t(k)] != dx_[std::size_t(k % kk_)] ||
            x.base[std::size_t(k)] != x.base[std::size_t(k - k % kk_)] || x.in_h != in_h_ || x.in_w != in_w_)
          throw InternalError("GroupedConvKernel: a job of '" + l.name + "' does not read a window per input plane");
      for (std::int64_t item = 0; item < K / kk_; ++item) item_base_.push_back(x.base[std::size_t(item * kk_)]);
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
  // The window offsets' extent: the phase planes' size (outputs()).
  if (!dy_.empty()) {
    min_dy_ = *std::min_element(dy_.begin(), dy_.end()), min_dx_ = *std::min_element(dx_.begin(), dx_.end());
    span_y_ = *std::max_element(dy_.begin(), dy_.end()) - min_dy_;
    span_x_ = *std::max_element(dx_.begin(), dx_.end()) - min_dx_;
  }
}

std::size_t GroupedConvKernel::bytes() const {
  return sizeof(*this) + (dy_.capacity() + dx_.capacity()) * sizeof(std::int16_t) +
         groups_.capacity() * sizeof(Group) +
         (item_base_.capacity() + col_out_.capacity() + col_bias_.capacity() + weights_.capacity()) * sizeof(std::int32_t);
}

namespace {

/// The input planes' geometry and the window offsets (dy, dx: offset − pad, per kernel position).
struct PlaneGeometry {
  int in_h, in_w, out_h, out_w, sh, sw, kk;
  const std::int16_t *dy, *dx;
  int min_dy, min_dx, span_y, span_x;  ///< the offsets' extent
  // Phase planes (see accumulate_plane): sh·sw of Hp × Wp values each, then `tail` zeros.
  int Hp, Wp, tail;
  std::size_t phase_size() const { return std::size_t(Hp) * std::size_t(Wp) + std::size_t(tail); }
};

/// One output channel's plane y [out_h][out_w] = bias + Σ over its input planes and window offsets
/// of weight × shifted input (uint32: int32 wrap-around, as the array's accumulators).
///
/// Each input plane is first split into sh·sw zero-bordered phase planes, phase (a, b) holding
/// input (r·sh + a + min_dy, c·sw + b + min_dx) at [r][c], Wp = out_w + span_x / sw wide; the output
/// is accumulated in that width too. Window offset (ky', kx') = (dy − min_dy, dx − min_dx) then
/// reads phase (ky' mod sh, kx' mod sw) shifted by (ky' / sh, kx' / sw): ONE unit-stride run over
/// out_h·Wp values per offset, whatever the stride and padding, instead of a run per output row
/// (rows of 7 or 14 ran scalar, strided reads did not vectorize). The Wp − out_w extra columns per
/// row are computed and dropped. Cloned for AVX-512 and AVX2: a 32-bit multiply per lane (SSE2 has
/// none). `p` holds sh·sw phase planes, `o` out_h·Wp values.
// GCC turns the short row copies below into memmove calls (a call per row of 7–112 values, ~10⁵
// per MobileNetV2 image); kept as inline vector loops instead.
#if defined(__GNUC__) && !defined(__clang__)
#define RCSIM_INLINE_COPIES __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define RCSIM_INLINE_COPIES
#endif

__attribute__((target_clones("avx512f", "avx2", "default"))) RCSIM_INLINE_COPIES void accumulate_plane(
    const PlaneGeometry& g, const std::int32_t* x, const std::int32_t* item_base, std::int32_t items,
    const std::int32_t* w, std::uint32_t bias, std::uint32_t* y, std::int32_t* p, std::uint32_t* o) {
  // The geometry in locals: read through `g` inside the loops it would be reloaded on every
  // element (the int32/uint32 stores may alias its ints), and the copies would not vectorize.
  const int Wp = g.Wp, Hp = g.Hp, in_h = g.in_h, in_w = g.in_w, out_h = g.out_h, out_w = g.out_w;
  const int sh = g.sh, sw = g.sw, kk = g.kk, min_dy = g.min_dy, min_dx = g.min_dx;
  const std::int16_t* const dy = g.dy;
  const std::int16_t* const dx = g.dx;
  const std::size_t run = std::size_t(out_h) * std::size_t(Wp), phase = g.phase_size();
  for (std::size_t i = 0; i < run; ++i) o[i] = bias;
  for (std::int32_t item = 0; item < items; ++item) {
    const std::int32_t* const plane = x + item_base[item];
    if (sw == 2) {
      // Both column phases from one pass over each input line: even and odd columns split in one
      // loop (an interleaved pair of loads vectorizes; a stride-2 load alone ran scalar).
      const int lo0 = std::min(Wp, min_dx >= 0 ? 0 : (-min_dx + 1) / 2);
      const int hi0 = std::max(lo0, std::min(Wp, in_w - min_dx <= 0 ? 0 : (in_w - min_dx - 1) / 2 + 1));
      const int lo1 = std::min(Wp, min_dx + 1 >= 0 ? 0 : (-min_dx) / 2);
      const int hi1 = std::max(lo1, std::min(Wp, in_w - min_dx - 1 <= 0 ? 0 : (in_w - min_dx - 2) / 2 + 1));
      const int lo = std::max(lo0, lo1), hi = std::max(lo, std::min(hi0, hi1));
      for (int a = 0; a < sh; ++a) {
        std::int32_t* const ph0 = p + std::size_t(a * 2) * phase;
        std::int32_t* const ph1 = ph0 + phase;
        for (int r = 0; r < Hp; ++r) {
          std::int32_t* const row0 = ph0 + std::size_t(r) * std::size_t(Wp);
          std::int32_t* const row1 = ph1 + std::size_t(r) * std::size_t(Wp);
          const int iy = r * sh + a + min_dy;
          if (iy < 0 || iy >= in_h) {
            for (int c = 0; c < Wp; ++c) row0[c] = 0, row1[c] = 0;
            continue;
          }
          const std::int32_t* const line = plane + std::size_t(iy) * std::size_t(in_w);
          auto edge = [&](int c) {
            row0[c] = c >= lo0 && c < hi0 ? line[2 * c + min_dx] : 0;
            row1[c] = c >= lo1 && c < hi1 ? line[2 * c + min_dx + 1] : 0;
          };
          for (int c = 0; c < lo; ++c) edge(c);
          const std::int32_t* const pair = line + (2 * lo + min_dx);  // columns lo.. of both phases
          for (int c = 0; c < hi - lo; ++c) row0[lo + c] = pair[2 * c], row1[lo + c] = pair[2 * c + 1];
          for (int c = hi; c < Wp; ++c) edge(c);
        }
        for (std::size_t i = std::size_t(Hp) * std::size_t(Wp); i < phase; ++i) ph0[i] = 0, ph1[i] = 0;
      }
    } else
    for (int a = 0; a < sh; ++a)
      for (int b = 0; b < sw; ++b) {
        std::int32_t* const ph = p + std::size_t(a * sw + b) * phase;
        // Columns c whose input column c·sw + b + min_dx lies inside the plane.
        const int x0 = b + min_dx;
        const int c_lo = std::min(Wp, x0 >= 0 ? 0 : (-x0 + sw - 1) / sw);
        const int c_hi = std::max(c_lo, std::min(Wp, in_w - x0 <= 0 ? 0 : (in_w - x0 - 1) / sw + 1));
        for (int r = 0; r < Hp; ++r) {
          std::int32_t* const row = ph + std::size_t(r) * std::size_t(Wp);
          const int iy = r * sh + a + min_dy;
          if (iy < 0 || iy >= in_h) {
            for (int c = 0; c < Wp; ++c) row[c] = 0;
            continue;
          }
          const std::int32_t* const line = plane + std::size_t(iy) * std::size_t(in_w);
          for (int c = 0; c < c_lo; ++c) row[c] = 0;
          if (sw == 1) {
            for (int c = c_lo; c < c_hi; ++c) row[c] = line[c + x0];
          } else {
            for (int c = c_lo; c < c_hi; ++c) row[c] = line[c * sw + x0];
          }
          for (int c = c_hi; c < Wp; ++c) row[c] = 0;
        }
        for (std::size_t i = std::size_t(Hp) * std::size_t(Wp); i < phase; ++i) ph[i] = 0;
      }
    // In blocks of kBlock outputs: a block of o and the phase-plane windows it reads stay in L1
    // over the kh·kw offsets (a whole 112×112 plane of o is 50 KB, beyond L1).
    constexpr std::size_t kBlock = 1024;
    for (std::size_t i0 = 0; i0 < run; i0 += kBlock) {
      const std::size_t i1 = std::min(run, i0 + kBlock);
      for (int j = 0; j < kk; ++j) {
        const std::uint32_t wv = std::uint32_t(w[std::size_t(item) * std::size_t(kk) + std::size_t(j)]);
        if (wv == 0) continue;
        const int ky = dy[j] - min_dy, kx = dx[j] - min_dx;
        const std::int32_t* const src = p + std::size_t((ky % sh) * sw + kx % sw) * phase +
                                        std::size_t(ky / sh) * std::size_t(Wp) + std::size_t(kx / sw);
        for (std::size_t i = i0; i < i1; ++i) o[i] += wv * std::uint32_t(src[i]);
      }
    }
  }
  for (int oy = 0; oy < out_h; ++oy) {
    std::uint32_t* const out = y + std::size_t(oy) * std::size_t(out_w);
    const std::uint32_t* const acc = o + std::size_t(oy) * std::size_t(Wp);
    for (int ox = 0; ox < out_w; ++ox) out[ox] = acc[ox];
  }
}

thread_local std::vector<std::int32_t> phase_planes;
thread_local std::vector<std::uint32_t> padded_acc;

}  // namespace

void GroupedConvKernel::outputs(const std::vector<std::int32_t>& in, std::vector<std::int32_t>& acc) const {
  acc.resize(std::size_t(M_ * N_));
  PlaneGeometry geo{in_h_, in_w_, out_h_, out_w_, sh_, sw_, kk_, dy_.data(), dx_.data(), min_dy_, min_dx_, span_y_, span_x_,
                    out_h_ + span_y_ / sh_, out_w_ + span_x_ / sw_, span_x_ / sw_};
  const std::size_t planes = std::size_t(sh_) * std::size_t(sw_) * geo.phase_size();
  if (phase_planes.size() < planes) phase_planes.resize(planes);
  if (padded_acc.size() < std::size_t(out_h_) * std::size_t(geo.Wp)) padded_acc.resize(std::size_t(out_h_) * std::size_t(geo.Wp));
  std::size_t woff = 0;  // column c's weights follow those of every earlier column
  for (const Group& g : groups_) {
    const std::int64_t K = std::int64_t(g.items) * kk_;
    for (std::int32_t c = g.col0; c < g.col0 + g.cols; ++c, woff += std::size_t(K)) {
      std::uint32_t* const y =
          reinterpret_cast<std::uint32_t*>(acc.data()) + std::size_t(col_out_[std::size_t(c)]) * std::size_t(M_);
      const std::uint32_t bias = std::uint32_t(col_bias_[std::size_t(c)]);
      if (K > 0)
        accumulate_plane(geo, in.data(), item_base_.data() + g.item0, g.items, weights_.data() + woff, bias, y,
                         phase_planes.data(), padded_acc.data());
      else
        std::fill(y, y + M_, bias);  // a group whose inputs are all inactive at this width
    }
  }
}

}  // namespace rcsim
