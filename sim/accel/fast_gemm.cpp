#include "accel/fast_gemm.h"

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstring>

#include "accel/onednn_plugin.h"
#include "core/errors.h"
#include "host/int_gemm.h"

namespace rcsim {

namespace {

/// Operand scratch, shared by every job run on this thread (a job's outputs() never yields to
/// another job's): a simulator holds no per-job copy of its im2col operands.
struct Scratch {
  std::vector<std::uint8_t> in8;  // the input tensor + 128 (oneDNN path)
  std::vector<std::uint8_t> xt;   // X^T + 128, [Kpad][M]
  std::vector<std::int32_t> chunks;
  std::vector<std::int16_t> x16;  // X, [Mp][Kp] (int16 path)
  std::vector<std::int32_t> y;
};
thread_local Scratch scratch;

std::atomic<std::int64_t> packed_blocks{0}, shared_blocks{0};

}  // namespace

/// X^T's row for one reduction row k (+ 128, as u8): dst[oy·out_w + ox] = plane[(oy·sh + dy)·in_w
/// + ox·sw + dx], padding (128) outside the plane.
void FastGemm::gather_row(const std::uint8_t* plane, int in_h, int in_w, const Grid& g, int dy, int dx,
                          std::uint8_t* dst) {
  constexpr std::uint8_t kPad = 128;  // zero padding, + 128
  // Output rows and columns whose input lies inside the plane: iy = oy·sh + dy ∈ [0, in_h),
  // ix = ox·sw + dx ∈ [0, in_w).
  const int oy_lo = std::min(g.out_h, dy >= 0 ? 0 : (-dy + g.sh - 1) / g.sh);
  const int oy_hi = std::max(oy_lo, std::min(g.out_h, in_h - dy <= 0 ? 0 : (in_h - dy - 1) / g.sh + 1));
  const int ox_lo = std::min(g.out_w, dx >= 0 ? 0 : (-dx + g.sw - 1) / g.sw);
  const int ox_hi = std::max(ox_lo, std::min(g.out_w, in_w - dx <= 0 ? 0 : (in_w - dx - 1) / g.sw + 1));
  const std::size_t W = std::size_t(g.out_w);
  std::memset(dst, kPad, std::size_t(oy_lo) * W);
  std::memset(dst + std::size_t(oy_hi) * W, kPad, std::size_t(g.out_h - oy_hi) * W);
  if (oy_hi == oy_lo) return;
  std::uint8_t* const rows = dst + std::size_t(oy_lo) * W;
  if (g.sw == 1 && g.sh == 1 && in_w == g.out_w) {
    // Unit strides over a plane as wide as the output (a "same" conv): the valid rows are one
    // run of the plane, shifted by dx. Copied at once; the columns outside [ox_lo, ox_hi) then
    // hold the neighbouring row's ends (or nothing, clipped at the plane's ends) and are padded.
    const std::int64_t start = std::int64_t(oy_lo + dy) * in_w + dx;
    const std::int64_t len = std::int64_t(oy_hi - oy_lo) * g.out_w;
    const std::int64_t s0 = std::max<std::int64_t>(start, 0);
    const std::int64_t e0 = std::min<std::int64_t>(start + len, std::int64_t(in_h) * in_w);
    if (e0 > s0) std::memcpy(rows + (s0 - start), plane + s0, std::size_t(e0 - s0));
    if (ox_lo > 0 || ox_hi < g.out_w)
      for (int oy = oy_lo; oy < oy_hi; ++oy) {
        std::uint8_t* row = dst + std::size_t(oy) * W;
        for (int ox = 0; ox < ox_lo; ++ox) row[ox] = kPad;
        for (int ox = ox_hi; ox < g.out_w; ++ox) row[ox] = kPad;
      }
    return;
  }
  for (int oy = oy_lo; oy < oy_hi; ++oy) {
    std::uint8_t* row = dst + std::size_t(oy) * W;
    const std::uint8_t* line = plane + std::size_t(oy * g.sh + dy) * in_w + dx;
    for (int ox = 0; ox < ox_lo; ++ox) row[ox] = kPad;
    if (g.sw == 1) {
      std::memcpy(row + ox_lo, line + ox_lo, std::size_t(ox_hi - ox_lo));
    } else {
      for (int ox = ox_lo; ox < ox_hi; ++ox) row[ox] = line[ox * g.sw];
    }
    for (int ox = ox_hi; ox < g.out_w; ++ox) row[ox] = kPad;
  }
}

/// oneDNN converts its int32 accumulators through float before writing an s32 destination, so a
/// sum is exact only while |sum| ≤ 2^24. The job therefore runs as a batch of B reduction chunks
/// of kChunk rows, each sum Σ (x + 128)·w with u8 operands x + 128 ≤ 255 and s8 weights:
/// |chunk sum| ≤ 512·255·128 < 2^24. The chunks are added in int32 (wrap-around), and
/// 128·Σ_k w[k][n] (precomputed) is subtracted: the exact Σ x·w, whatever oneDNN does inside.
/// The matmul itself lives in the oneDNN plugin (accel/onednn_plugin.h), loaded on first use.
struct FastGemm::OneDnn {
  static constexpr std::int64_t kChunk = 512;
  RcsimOneDnnMatmul* mm = nullptr;
  std::int64_t B = 1, Kpad = 0;
  /// [N]: bias[n] − 128·Σ_k w[k][n] (int32 wrap-around); shared by the row tiles of one column range.
  std::shared_ptr<const std::vector<std::int32_t>> offset;
  ~OneDnn() {
    if (mm) onednn_plugin().release(mm);
  }
};

bool fast_gemm_uses_onednn() {
  static const bool vnni = onednn_plugin_configured() && onednn_plugin().has_vnni();
  return vnni;
}

FastGemm::FastGemm(const GemmJob& job, const FastGemm* same_weights) {
  if (same_weights && !same_weights->weights_.same_columns(job.w))
    throw InternalError("FastGemm: the GEMM to share weights with reads other weights");
  weights_ = job.w;
  const std::int64_t M = job.g.M, K = job.g.K, N = job.g.N;
  const OperandGather& x = job.x;
  // A regular window grid (every conv and fc job the mapper makes): m = oy·out_w + ox with
  // oy0 = oy·sh, ox0 = ox·sw. Then X^T's row k, output row oy, is a strided run of one input
  // line: the gather is a copy per (k, oy) instead of a bounds check per element.
  if (M > 0) {
    const auto& oy0 = *x.oy0;
    const auto& ox0 = *x.ox0;
    int out_w = 1;
    while (out_w < M && oy0[std::size_t(out_w)] == oy0[0]) ++out_w;
    const int sh = M > out_w ? oy0[std::size_t(out_w)] - oy0[0] : 1;
    const int sw = out_w > 1 ? ox0[1] - ox0[0] : 1;
    bool regular = M % out_w == 0 && sh > 0 && sw > 0;
    for (std::int64_t m = 0; regular && m < M; ++m)
      regular = oy0[std::size_t(m)] == oy0[0] + int(m / out_w) * sh && ox0[std::size_t(m)] == ox0[0] + int(m % out_w) * sw;
    if (regular) grid_ = Grid{int(M / out_w), out_w, sh, sw, oy0[0], ox0[0]};
    // A 1×1, stride-1, unpadded conv over every pixel of its input, reading input planes 0..K−1
    // in order (a pointwise conv at full width): X^T's row k is plane k itself, so X^T + 128 is
    // the converted input as it stands and needs no gather.
    const std::int64_t plane = std::int64_t(x.in_h) * x.in_w;
    bool identity = regular && M == plane && sh == 1 && sw == 1 && oy0[0] == 0 && ox0[0] == 0 && out_w == x.in_w;
    for (std::int64_t k = 0; identity && k < K; ++k)
      identity = x.dy[std::size_t(k)] == 0 && x.dx[std::size_t(k)] == 0 && x.base[std::size_t(k)] == k * plane;
    identity_gather_ = identity;
    // The input planes the job reads (a grouped conv's job reads its group's channels only).
    planes_.assign(x.base.begin(), x.base.end());
    std::sort(planes_.begin(), planes_.end());
    planes_.erase(std::unique(planes_.begin(), planes_.end()), planes_.end());
  }
  // An fc (M = 1) stays on the host GEMV: oneDNN's call overhead is larger than the whole
  // product there (bench_gemm_libs, fc_1024x10).
  const bool int8_weights = job.w.fits_int8();
  // A job of fewer than 4 output channels (a dense conv with few active outputs) also stays on
  // the host kernel: per call, oneDNN costs more than such a product.
  if (int8_weights && grid_ && M > 1 && K > 0 && N >= 4 && fast_gemm_uses_onednn()) {
    dnnl_ = std::make_unique<OneDnn>();
    OneDnn& d = *dnnl_;
    // The fewest chunks of ≤ kChunk rows, balanced (rounded up to 4 rows: VNNI's groups): K = 800
    // is 2 × 400, not 2 × 512, so the packed weights hold little padding.
    d.B = (K + OneDnn::kChunk - 1) / OneDnn::kChunk;
    const std::int64_t Kc = (((K + d.B - 1) / d.B) + 3) / 4 * 4;
    d.Kpad = d.B * Kc;
    char error[256] = "";
    // Another row tile of the same columns: its packed weights and offsets serve this one too
    // (one prepared weight block per column range), unless oneDNN packs them otherwise for this M.
    const OneDnn* share = same_weights ? same_weights->dnnl_.get() : nullptr;
    if (share && share->B == d.B && share->Kpad == d.Kpad) {
      d.mm = onednn_plugin().prepare_shared(d.B, M, Kc, N, share->mm, error);
      if (!d.mm && error[0]) throw EnvironmentError(std::string("oneDNN could not prepare fast mode's matmul: ") + error);
      if (d.mm) d.offset = share->offset, ++shared_blocks;
    }
    if (!d.mm) {
      // W^T rows [N][Kpad] (zero beyond K), reordered by the plugin into the primitive's layout once.
      std::vector<std::int8_t> w8(std::size_t(N * d.Kpad), 0);
      auto offset = std::make_shared<std::vector<std::int32_t>>(std::size_t(N));
      for (std::int64_t n = 0; n < N; ++n) {
        std::uint32_t sum = 0;
        for (std::int64_t k = 0; k < K; ++k) {
          w8[std::size_t(n * d.Kpad + k)] = std::int8_t(job.W(k, n));
          sum += std::uint32_t(job.W(k, n));
        }
        (*offset)[std::size_t(n)] = std::int32_t(std::uint32_t(job.bias[std::size_t(n)]) - 128u * sum);
      }
      d.offset = std::move(offset);
      d.mm = onednn_plugin().prepare(d.B, M, Kc, N, d.Kpad, w8.data(), error);
      if (!d.mm) throw EnvironmentError(std::string("oneDNN could not prepare fast mode's matmul: ") + error);
      ++packed_blocks;
    }
  }
}

FastGemmPreparations fast_gemm_preparations() { return {packed_blocks.load(), shared_blocks.load()}; }

const void* FastGemm::packed_weights() const { return dnnl_ ? onednn_plugin().weights_data(dnnl_->mm) : nullptr; }

FastGemm::~FastGemm() = default;

const char* FastGemm::kernel() const { return dnnl_ ? "onednn" : "int16"; }

void FastGemm::outputs(const GemmJob& job, const std::vector<std::int32_t>& in, std::vector<std::int32_t>& acc,
                       const std::int32_t** column_add) const {
  if (column_add) *column_add = nullptr;
  if (dnnl_) {
    Scratch& s = scratch;
    // The planes the job reads + 128 as u8, once per call; an image whose activations leave
    // int8 takes the int16 kernel instead.
    // (Scratch only grows: resizing down and up again would zero the regrown part on every job.)
    if (s.in8.size() < in.size()) s.in8.resize(in.size());
    const std::size_t plane_size = std::size_t(job.x.in_h) * std::size_t(job.x.in_w);
    std::int32_t lo = 0, hi = 0;
    for (const std::int32_t base : planes_) {
      const std::int32_t* src = in.data() + base;
      std::uint8_t* dst = s.in8.data() + base;
      for (std::size_t i = 0; i < plane_size; ++i) {
        const std::int32_t v = src[i];
        lo = std::min(lo, v), hi = std::max(hi, v);
        dst[i] = std::uint8_t(v + 128);
      }
    }
    if (lo >= -128 && hi <= 127) {
      OneDnn& d = *dnnl_;
      const OperandGather& x = job.x;
      const Grid& g = *grid_;
      const std::int64_t M = job.g.M, K = job.g.K, N = job.g.N;
      // Rows k ≥ K meet zero weights: whatever they hold adds 0 (they are never written, only
      // initialized once by the resize).
      const std::uint8_t* xt = nullptr;
      if (identity_gather_) {
        // The converted input is X^T; the rows up to Kpad lie in the scratch beyond it.
        if (s.in8.size() < std::size_t(d.Kpad * M)) s.in8.resize(std::size_t(d.Kpad * M), 128);
        xt = s.in8.data();
      } else {
        if (s.xt.size() < std::size_t(d.Kpad * M)) s.xt.resize(std::size_t(d.Kpad * M), 128);
        for (std::int64_t k = 0; k < K; ++k)
          gather_row(s.in8.data() + x.base[std::size_t(k)], x.in_h, x.in_w, g, g.oy0 + x.dy[std::size_t(k)],
                     g.ox0 + x.dx[std::size_t(k)], &s.xt[std::size_t(k * M)]);
        xt = s.xt.data();
      }
      char error[256] = "";
      if (column_add && d.B == 1) {
        // One chunk: its sums are acc but for the column constant, left to the caller.
        if (onednn_plugin().run(d.mm, xt, acc.data(), error) != 0)
          throw EnvironmentError(std::string("oneDNN's matmul failed in fast mode: ") + error);
        *column_add = d.offset->data();
        return;
      }
      if (s.chunks.size() < std::size_t(d.B * M * N)) s.chunks.resize(std::size_t(d.B * M * N));
      if (onednn_plugin().run(d.mm, xt, s.chunks.data(), error) != 0)
        throw EnvironmentError(std::string("oneDNN's matmul failed in fast mode: ") + error);
      // acc = offset + Σ_b chunk b, in uint32 (wrap-around), a row of N at a time (vectorized).
      const std::size_t MN = std::size_t(M * N);
      const std::uint32_t* off = reinterpret_cast<const std::uint32_t*>(d.offset->data());
      const std::uint32_t* ch = reinterpret_cast<const std::uint32_t*>(s.chunks.data());
      std::uint32_t* out = reinterpret_cast<std::uint32_t*>(acc.data());
      for (std::int64_t m = 0; m < M; ++m) {
        std::uint32_t* row = out + std::size_t(m * N);
        const std::uint32_t* c0 = ch + std::size_t(m * N);
        for (std::int64_t n = 0; n < N; ++n) row[n] = off[n] + c0[n];
        for (std::int64_t b = 1; b < d.B; ++b) {
          const std::uint32_t* cb = c0 + std::size_t(b) * MN;
          for (std::int64_t n = 0; n < N; ++n) row[n] += cb[n];
        }
      }
      return;
    }
  }
  if (grid_ && job.g.N < 4) return direct_outputs(job, in, acc);
  int16_outputs(job, in, acc);
}

void FastGemm::direct_outputs(const GemmJob& job, const std::vector<std::int32_t>& in,
                              std::vector<std::int32_t>& acc) const {
  Scratch& s = scratch;
  const OperandGather& x = job.x;
  const Grid& g = *grid_;
  const std::int64_t M = job.g.M, K = job.g.K, N = job.g.N;
  s.y.resize(std::size_t(M));
  std::uint32_t* y = reinterpret_cast<std::uint32_t*>(s.y.data());
  for (std::int64_t n = 0; n < N; ++n) {
    std::fill(y, y + M, std::uint32_t(job.bias[std::size_t(n)]));
    for (std::int64_t k = 0; k < K; ++k) {
      const std::uint32_t w = std::uint32_t(job.W(k, n));
      if (w == 0) continue;
      const std::int32_t* plane = in.data() + x.base[std::size_t(k)];
      const int dy = g.oy0 + x.dy[std::size_t(k)], dx = g.ox0 + x.dx[std::size_t(k)];
      const int ox_lo = std::min(g.out_w, dx >= 0 ? 0 : (-dx + g.sw - 1) / g.sw);
      const int ox_hi = std::max(ox_lo, std::min(g.out_w, x.in_w - dx <= 0 ? 0 : (x.in_w - dx - 1) / g.sw + 1));
      for (int oy = 0; oy < g.out_h; ++oy) {
        const int iy = oy * g.sh + dy;
        if (iy < 0 || iy >= x.in_h) continue;
        const std::int32_t* line = plane + std::size_t(iy) * x.in_w + dx;
        std::uint32_t* out = y + std::size_t(oy) * g.out_w;
        if (g.sw == 1) {
          for (int ox = ox_lo; ox < ox_hi; ++ox) out[ox] += w * std::uint32_t(line[ox]);
        } else {
          for (int ox = ox_lo; ox < ox_hi; ++ox) out[ox] += w * std::uint32_t(line[ox * g.sw]);
        }
      }
    }
    for (std::int64_t m = 0; m < M; ++m) acc[std::size_t(m * N + n)] = std::int32_t(y[m]);
  }
}

void FastGemm::int16_outputs(const GemmJob& job, const std::vector<std::int32_t>& in,
                             std::vector<std::int32_t>& acc) const {
  Scratch& s = scratch;
  const std::int64_t M = job.g.M, K = job.g.K, N = job.g.N;
  // The GEMM itself through the host's vectorized int16 kernels (int32 wrap-around; any
  // summation order gives the hardware's result).
  const std::int64_t Kp = job.w.padded_stride(), Mp = intgemm::round_up(int(M), intgemm::kRowAlign);
  s.x16.assign(std::size_t(Mp * Kp), 0);
  if (grid_) {
    // From the grid (a prepared job may have dropped its per-pixel window origins).
    const OperandGather& x = job.x;
    const Grid& g = *grid_;
    for (std::int64_t m = 0; m < M; ++m) {
      const int oy = g.oy0 + int(m / g.out_w) * g.sh, ox = g.ox0 + int(m % g.out_w) * g.sw;
      for (std::int64_t k = 0; k < K; ++k) {
        const int iy = oy + x.dy[std::size_t(k)], ix = ox + x.dx[std::size_t(k)];
        if (unsigned(iy) < unsigned(x.in_h) && unsigned(ix) < unsigned(x.in_w))
          s.x16[std::size_t(m * Kp + k)] = std::int16_t(in[std::size_t(x.base[std::size_t(k)] + iy * x.in_w + ix)]);
      }
    }
  } else {
    for (std::int64_t m = 0; m < M; ++m)
      for (std::int64_t k = 0; k < K; ++k) s.x16[std::size_t(m * Kp + k)] = std::int16_t(job.X(in, m, k));
  }
  s.y.resize(std::size_t(N * M));
  if (M == 1 && job.w.int8_storage())  // int8 weights as stored: no int16 copy of an fc
    intgemm::gemv(int(N), int(K), job.w.data8(), std::size_t(job.w.stride()), s.x16.data(), job.bias.data(), s.y.data());
  else if (M == 1)
    intgemm::gemv(int(N), int(K), job.w.padded16(), std::size_t(Kp), s.x16.data(), job.bias.data(), s.y.data());
  else
    intgemm::gemm_abt(int(N), int(M), int(K), job.w.padded16(), std::size_t(Kp), s.x16.data(), std::size_t(Kp),
                      job.bias.data(), s.y.data(), std::size_t(M));
  for (std::int64_t n = 0; n < N; ++n)
    for (std::int64_t m = 0; m < M; ++m) acc[std::size_t(m * N + n)] = s.y[std::size_t(n * M + m)];
}

}  // namespace rcsim
