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
  // Per window offset, the output columns whose input column lies inside the plane (rows are
  // checked per output row).
  for (std::size_t j = 0; j < dx_.size(); ++j) {
    const int dx = dx_[j];
    const int lo = std::min(out_w_, dx >= 0 ? 0 : (-dx + sw_ - 1) / sw_);
    ox_lo_.push_back(lo);
    ox_hi_.push_back(std::max(lo, std::min(out_w_, in_w_ - dx <= 0 ? 0 : (in_w_ - dx - 1) / sw_ + 1)));
  }
}

std::size_t GroupedConvKernel::bytes() const {
  return sizeof(*this) + (dy_.capacity() + dx_.capacity()) * sizeof(std::int16_t) +
         (ox_lo_.capacity() + ox_hi_.capacity()) * sizeof(int) + groups_.capacity() * sizeof(Group) +
         (item_base_.capacity() + col_out_.capacity() + col_bias_.capacity() + weights_.capacity()) * sizeof(std::int32_t);
}

namespace {

/// One output channel's plane y [out_h][out_w] += Σ over its input planes and window offsets of
/// weight × shifted input (uint32: int32 wrap-around, as the array's accumulators). Output row by
/// output row, every weight of the column: the row stays in L1 while its kh·kw·items input lines
/// are added into it. Cloned for AVX-512 and AVX2: a 32-bit multiply per lane (SSE2 has none).
struct PlaneGeometry {
  int in_h, in_w, out_h, out_w, sh, sw, kk;
  const std::int16_t *dy, *dx;
  const int *ox_lo, *ox_hi;
};

__attribute__((target_clones("avx512f", "avx2", "default"))) void accumulate_plane(
    const PlaneGeometry& g, const std::int32_t* x, const std::int32_t* item_base, std::int32_t items,
    const std::int32_t* w, std::uint32_t* y) {
  for (int oy = 0; oy < g.out_h; ++oy) {
    std::uint32_t* const out = y + std::size_t(oy) * std::size_t(g.out_w);
    for (std::int32_t item = 0; item < items; ++item) {
      const std::int32_t* const plane = x + item_base[item];
      for (int j = 0; j < g.kk; ++j) {
        const std::uint32_t wv = std::uint32_t(w[std::size_t(item) * std::size_t(g.kk) + std::size_t(j)]);
        const int iy = oy * g.sh + g.dy[j];
        if (wv == 0 || iy < 0 || iy >= g.in_h) continue;
        const std::int32_t* const line = plane + std::size_t(iy) * std::size_t(g.in_w);
        const int dx = g.dx[j], lo = g.ox_lo[j], hi = g.ox_hi[j];
        if (g.sw == 1) {
          for (int ox = lo; ox < hi; ++ox) out[ox] += wv * std::uint32_t(line[ox + dx]);
        } else {
          for (int ox = lo; ox < hi; ++ox) out[ox] += wv * std::uint32_t(line[ox * g.sw + dx]);
        }
      }
    }
  }
}

}  // namespace

void GroupedConvKernel::outputs(const std::vector<std::int32_t>& in, std::vector<std::int32_t>& acc) const {
  acc.resize(std::size_t(M_ * N_));
  const PlaneGeometry geo{in_h_, in_w_, out_h_, out_w_, sh_, sw_, kk_, dy_.data(), dx_.data(), ox_lo_.data(), ox_hi_.data()};
  std::size_t woff = 0;  // column c's weights follow those of every earlier column
  for (const Group& g : groups_) {
    const std::int64_t K = std::int64_t(g.items) * kk_;
    for (std::int32_t c = g.col0; c < g.col0 + g.cols; ++c, woff += std::size_t(K)) {
      std::uint32_t* const y =
          reinterpret_cast<std::uint32_t*>(acc.data()) + std::size_t(col_out_[std::size_t(c)]) * std::size_t(M_);
      std::fill(y, y + M_, std::uint32_t(col_bias_[std::size_t(c)]));
      if (K > 0) accumulate_plane(geo, in.data(), item_base_.data() + g.item0, g.items, weights_.data() + woff, y);
    }
  }
}

}  // namespace rcsim
