#include "accel/post_proc.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "accel/post_proc_rows.h"
#include "core/errors.h"
#include "core/int_arith.h"

namespace rcsim {

namespace {

/// arith::round_div, in 32-bit arithmetic when the operands allow it (every average pool of
/// int8/int16 activations): the same quotient, without a 64-bit division per output.
std::int32_t round_div_fast(std::int64_t sum, std::int64_t count) {
  const std::uint64_t mag = std::uint64_t(sum >= 0 ? sum : -sum);
  if (mag < (std::uint64_t(1) << 30) && count < (std::int64_t(1) << 29)) {
    const std::uint32_t q = (std::uint32_t(mag) * 2u + std::uint32_t(count)) / (2u * std::uint32_t(count));
    return sum >= 0 ? std::int32_t(q) : -std::int32_t(q);
  }
  return arith::round_div(sum, count);
}

typedef std::int32_t v4 __attribute__((vector_size(16)));
typedef std::uint32_t u4 __attribute__((vector_size(16)));

/// No change (the classifier's logits, or requantization left to a later pass).
struct KeepValues {
  v4 operator()(v4 v, std::int64_t) const { return v; }
  std::int32_t operator()(std::int32_t v, std::int64_t) const { return v; }
};

/// requantize_row's arithmetic on 4 lanes (one shift for every channel: 1 ≤ shift ≤ 31).
struct PlainRequant {
  std::uint32_t half;
  int shift;
  std::int32_t lo, hi;
  v4 operator()(v4 v, std::int64_t) const {
    const u4 sign = u4(v >> 31);
    const u4 mag = (u4(v) ^ sign) - sign;
    v4 r = v4((((mag + half) >> shift) ^ sign) - sign);
    r = r < lo ? v4{} + lo : r;
    return r > hi ? v4{} + hi : r;
  }
  std::int32_t operator()(std::int32_t v, std::int64_t) const { return arith::requantize_affine(v, 1, 0, shift, lo, hi); }
};

/// out[n·M + m] = f(a[m·N + n], n): 4×4 tiles moved through four 4-lane registers (vector extensions
/// and __builtin_shufflevector, which GCC ≥ 12 and clang both have; SSE2 at the baseline), in
/// blocks of 64 output pixels so that the block's rows of `a` stay in L1 while every channel's run
/// of `out` is written in order; the edges element by element.
template <class F>
void transpose(const std::int32_t* a, std::int64_t M, std::int64_t N, std::int32_t* out, const F& f) {
  constexpr std::int64_t kRows = 64;
  const std::int64_t M4 = M / 4 * 4, N4 = N / 4 * 4;
  for (std::int64_t b0 = 0; b0 < M4; b0 += kRows) {
    const std::int64_t b1 = std::min(M4, b0 + kRows);
    for (std::int64_t n = 0; n < N4; n += 4)
      for (std::int64_t m = b0; m < b1; m += 4) {
        v4 r0, r1, r2, r3;
        std::memcpy(&r0, a + (m + 0) * N + n, 16);
        std::memcpy(&r1, a + (m + 1) * N + n, 16);
        std::memcpy(&r2, a + (m + 2) * N + n, 16);
        std::memcpy(&r3, a + (m + 3) * N + n, 16);
        const v4 t0 = __builtin_shufflevector(r0, r1, 0, 4, 1, 5), t1 = __builtin_shufflevector(r0, r1, 2, 6, 3, 7);
        const v4 t2 = __builtin_shufflevector(r2, r3, 0, 4, 1, 5), t3 = __builtin_shufflevector(r2, r3, 2, 6, 3, 7);
        const v4 c0 = f(__builtin_shufflevector(t0, t2, 0, 1, 4, 5), n), c1 = f(__builtin_shufflevector(t0, t2, 2, 3, 6, 7), n + 1);
        const v4 c2 = f(__builtin_shufflevector(t1, t3, 0, 1, 4, 5), n + 2), c3 = f(__builtin_shufflevector(t1, t3, 2, 3, 6, 7), n + 3);
        std::memcpy(out + (n + 0) * M + m, &c0, 16);
        std::memcpy(out + (n + 1) * M + m, &c1, 16);
        std::memcpy(out + (n + 2) * M + m, &c2, 16);
        std::memcpy(out + (n + 3) * M + m, &c3, 16);
      }
    for (std::int64_t n = N4; n < N; ++n)
      for (std::int64_t m = b0; m < b1; ++m) out[n * M + m] = f(a[m * N + n], n);
  }
  for (std::int64_t m = M4; m < M; ++m)
    for (std::int64_t n = 0; n < N; ++n) out[n * M + m] = f(a[m * N + n], n);
}

/// Finishes y = [N][M] in place as `op` says, after adding bias[n] to channel n (null: none): per
/// channel's row (contiguous, its parameters fixed: the loop vectorizes).
void finish_rows(std::int32_t* y, std::int64_t M, std::int64_t N, const PostOp& op, const std::int32_t* bias) {
  for (std::int64_t n = 0; n < N; ++n) {
    std::int32_t* out = y + std::size_t(n * M);
    const std::uint32_t b = bias ? std::uint32_t(bias[n]) : 0;
    if (op.classifier) {
      if (b != 0)
        for (std::int64_t m = 0; m < M; ++m) out[m] = std::int32_t(std::uint32_t(out[m]) + b);
    } else if (op.scale) {
      const std::size_t ch = std::size_t(op.out_channels[std::size_t(n)]);
      requantize_affine_row(out, std::size_t(M), b, op.scale->mult[ch], op.scale->add[ch], op.scale->shift[ch], op.lo, op.hi);
    } else {
      requantize_row(out, std::size_t(M), b, op.shift, op.lo, op.hi);
    }
  }
}

}  // namespace

void PostProc::finish(int node, const std::vector<std::int32_t>& acc, std::int64_t M, std::int64_t N,
                      const PostOp& op) {
  if (acc.empty()) {
    act_out->output(node).clear();
    return;
  }
  // Every value of y is written below (the transpose covers [N][M]).
  std::vector<std::int32_t>& y = act_out->output_overwritten(node, std::size_t(M * N));
  // acc is [M][N], y is [N][M]: a transpose. One shift for every channel (no per-channel scale)
  // is applied on the way; per-channel scales then run over each channel's row of y (contiguous,
  // its parameters fixed: the loop vectorizes).
  if (op.classifier) return transpose(acc.data(), M, N, y.data(), KeepValues{});  // int32 logits
  if (!op.scale && op.shift >= 1 && op.shift <= 31)
    return transpose(acc.data(), M, N, y.data(), PlainRequant{std::uint32_t(1) << (op.shift - 1), op.shift, op.lo, op.hi});
  transpose(acc.data(), M, N, y.data(), KeepValues{});
  finish_rows(y.data(), M, N, op, nullptr);
}

void PostProc::finish_in_place(int node, std::int64_t M, std::int64_t N, const PostOp& op, const std::int32_t* bias) {
  std::vector<std::int32_t>& y = act_out->output(node);
  if (std::int64_t(y.size()) != M * N)
    throw InternalError("post-processing: node " + std::to_string(node) + " holds " + std::to_string(y.size()) +
                        " accumulators, not " + std::to_string(M * N));
  finish_rows(y.data(), M, N, op, bias);
}

std::int64_t PostProc::pool(int node, const Layer& l, int in_t, const Shape3& in, const Shape3& out,
                            LayerCounters& c) {
  const std::vector<std::int32_t>& x = act_out->tensor(in_t);
  const bool data = !x.empty();
  const bool avg = l.kind == LayerKind::AvgPool;
  // The layer's fields in locals: read through `l` inside the loops they would be reloaded on
  // every element (the stores to y may alias them), which made pooling cost more than fast
  // mode's GEMMs.
  const int kh = l.kernel_h, kw = l.kernel_w, sh = l.stride_h, sw = l.stride_w, pt = l.pad_top, pl = l.pad_left;
  const int in_h = in.h, in_w = in.w, out_h = out.h, out_w = out.w;
  const bool include_pad = l.count_include_pad;
  const std::int32_t lo = arith::qmin(bits_), hi = arith::qmax(bits_);
  std::vector<std::int32_t>& y = act_out->output(node);  // (x stays valid: tensors are node-based)
  y.assign(data ? std::size_t(out.size()) : 0, 0);
  // A window's part inside the input is a rectangle: rows [ky_lo, ky_hi) × columns [kx_lo, kx_hi),
  // the rows set by the output row alone, the columns by the output column alone. Padded
  // positions are not read; an average counts them only with count_include_pad. The counters do
  // not depend on the channel.
  struct Span {
    int lo, hi;  // [lo, hi) of the kernel inside the input
  };
  auto span = [](int o, int stride, int pad, int k, int in) {
    const int i0 = o * stride - pad;
    return Span{std::max(0, -i0), std::min(k, in - i0)};
  };
  // A window's elements inside the input are (its rows inside) × (its columns inside): summed
  // over the windows, the product of the two sums.
  std::int64_t rows_inside = 0, cols_inside = 0;
  for (int oy = 0; oy < out_h; ++oy) {
    const Span ry = span(oy, sh, pt, kh, in_h);
    rows_inside += std::max(0, ry.hi - ry.lo);
  }
  for (int ox = 0; ox < out_w; ++ox) {
    const Span rx = span(ox, sw, pl, kw, in_w);
    cols_inside += std::max(0, rx.hi - rx.lo);
  }
  const std::int64_t seen_total = rows_inside * cols_inside;
  if (data) {
    // Channel by channel, row by row, in two passes that the compiler vectorizes: the window's
    // rows inside the input reduced per input column (max, or sum in int64), then each window's
    // columns of that line. Max and sum are associative: the same values as a walk over every
    // window element (a window wholly in the padding reduces nothing: INT32_MIN, or a sum of 0).
    thread_local std::vector<Span> cols;
    thread_local std::vector<std::int32_t> max_line;
    thread_local std::vector<std::int64_t> sum_line;
    cols.resize(std::size_t(out_w));
    for (int ox = 0; ox < out_w; ++ox) cols[std::size_t(ox)] = span(ox, sw, pl, kw, in_w);
    // Output columns whose window lies inside the input: a fixed kw-element loop.
    int full_lo = 0, full_hi = 0;
    for (int ox = 0; ox < out_w; ++ox)
      if (cols[std::size_t(ox)].lo == 0 && cols[std::size_t(ox)].hi == kw) {
        if (full_hi == full_lo) full_lo = ox;
        full_hi = ox + 1;
      }
    (avg ? sum_line.resize(std::size_t(in_w)) : max_line.resize(std::size_t(in_w)));
    std::int32_t* const mx = max_line.data();
    std::int64_t* const sm = sum_line.data();
    for (int ch = 0; ch < out.c; ++ch) {
      const std::int32_t* plane = x.data() + std::size_t(ch) * in_h * in_w;
      std::int32_t* yp = y.data() + std::size_t(ch) * out_h * out_w;
      for (int oy = 0; oy < out_h; ++oy) {
        const Span ry = span(oy, sh, pt, kh, in_h);
        const int iy0 = oy * sh - pt;
        std::int32_t* yrow = yp + std::size_t(oy) * out_w;
        if (!avg) {
          std::fill(mx, mx + in_w, std::numeric_limits<std::int32_t>::min());
          for (int ky = ry.lo; ky < ry.hi; ++ky) {
            const std::int32_t* row = plane + std::size_t(iy0 + ky) * in_w;
            for (int ix = 0; ix < in_w; ++ix) mx[ix] = row[ix] > mx[ix] ? row[ix] : mx[ix];
          }
          auto partial = [&](int ox) {
            const Span rx = cols[std::size_t(ox)];
            const int ix0 = ox * sw - pl;
            std::int32_t best = std::numeric_limits<std::int32_t>::min();
            for (int kx = rx.lo; kx < rx.hi; ++kx) best = mx[ix0 + kx] > best ? mx[ix0 + kx] : best;
            yrow[ox] = best;
          };
          for (int ox = 0; ox < full_lo; ++ox) partial(ox);
          if (kw == 2) {  // the common 2×2 pool: a loop the compiler vectorizes
            for (int ox = full_lo; ox < full_hi; ++ox) {
              const std::int32_t a = mx[ox * sw - pl], b = mx[ox * sw - pl + 1];
              yrow[ox] = a > b ? a : b;
            }
          } else {
            for (int ox = full_lo; ox < full_hi; ++ox) {
              const std::int32_t* w = mx + (ox * sw - pl);
              std::int32_t best = w[0];
              for (int kx = 1; kx < kw; ++kx) best = w[kx] > best ? w[kx] : best;
              yrow[ox] = best;
            }
          }
          for (int ox = std::max(full_lo, full_hi); ox < out_w; ++ox) partial(ox);
        } else {
          std::fill(sm, sm + in_w, std::int64_t(0));
          for (int ky = ry.lo; ky < ry.hi; ++ky) {
            const std::int32_t* row = plane + std::size_t(iy0 + ky) * in_w;
            for (int ix = 0; ix < in_w; ++ix) sm[ix] += row[ix];
          }
          const std::int64_t rows_seen = std::max(0, ry.hi - ry.lo);
          for (int ox = 0; ox < out_w; ++ox) {
            const Span rx = cols[std::size_t(ox)];
            const int ix0 = ox * sw - pl;
            std::int64_t sum = 0;
            for (int kx = rx.lo; kx < rx.hi; ++kx) sum += sm[ix0 + kx];
            const std::int64_t count = include_pad ? std::int64_t(kh) * kw : rows_seen * std::max(0, rx.hi - rx.lo);
            yrow[ox] = arith::clamp64(round_div_fast(sum, count), lo, hi);
          }
        }
      }
    }
  }
  const std::int64_t outputs = std::int64_t(out.c) * out_h * out_w;
  c.act_reads += std::int64_t(out.c) * seen_total;
  if (avg) {
    c.pool_adds += std::int64_t(out.c) * seen_total - outputs;
    c.pool_divides += outputs;
  } else {
    c.pool_compares += std::int64_t(out.c) * seen_total - outputs;
  }
  c.act_writes += out.size();
  // One window element per lane per cycle; an average's divider takes one more cycle per window.
  return lane_cycles(out.size(), std::int64_t(l.kernel_h) * l.kernel_w + (avg ? 1 : 0));
}

std::int64_t PostProc::add(int node, const ScaledTensor& a, const ScaledTensor& b, int out_shift, std::int32_t lo,
                           std::int32_t hi, LayerCounters& c) {
  const std::vector<std::int32_t>& xa = act_out->tensor(a.tensor);
  const std::vector<std::int32_t>& xb = act_out->tensor(b.tensor);
  std::vector<std::int32_t>& y = act_out->output(node);
  y.resize(xa.size());
  // The operands' active channels are coupled (one width split): element j of both is the same
  // channel and pixel.
  add_requant_row(xa.data(), xb.data(), y.data(), y.size(), a.shift, b.shift, out_shift, lo, hi);
  const std::int64_t n = a.elements;
  c.act_reads += 2 * n;
  c.eltwise_adds += n;
  c.act_writes += n;
  return lane_cycles(n, 1);
}

std::int64_t PostProc::concat(int node, const std::vector<ScaledTensor>& inputs, int out_shift, LayerCounters& c) {
  std::vector<std::int32_t> y;
  std::int64_t n = 0;
  bool data = true;
  for (const ScaledTensor& in : inputs) {
    const std::vector<std::int32_t>& x = act_out->tensor(in.tensor);
    data = data && !x.empty();
    // Each input's active channels in input order are the output's active channels.
    for (std::int32_t v : x)
      y.push_back(arith::clamp64(arith::rescale(v, in.shift, out_shift), arith::qmin(bits_), arith::qmax(bits_)));
    n += in.elements;
  }
  if (!data) y.clear();
  c.act_reads += n;
  c.postproc_ops += n;  // rescale (shift) + saturate: a requantization without bias
  c.act_writes += n;
  act_out->output(node) = std::move(y);
  return lane_cycles(n, 1);
}

std::int64_t PostProc::clamp(int node, const ScaledTensor& in, std::int32_t lo, std::int32_t hi, LayerCounters& c) {
  const std::vector<std::int32_t>& x = act_out->tensor(in.tensor);
  std::vector<std::int32_t>& y = act_out->output(node);
  y.resize(x.size());
  for (std::size_t j = 0; j < y.size(); ++j) y[j] = arith::clamp64(x[j], lo, hi);
  c.act_reads += in.elements;
  c.postproc_ops += in.elements;  // a clamp is the ReLU/saturate stage of a requantization
  c.act_writes += in.elements;
  return lane_cycles(in.elements, 1);
}

}  // namespace rcsim
