#include "accel/fast_gemm.h"

#include <algorithm>
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
  std::vector<std::int8_t> in8;   // the input tensor as s8 (oneDNN path)
  std::vector<std::int8_t> xt;    // X^T, [K][M]
  std::vector<std::int32_t> chunk;  // a later reduction chunk's sums, [N][M]
  std::vector<std::int16_t> x16;  // X, [Mp][Kp] (int16 path)
  std::vector<std::int32_t> y;
  std::vector<std::int32_t> zeros;  // a zero bias for the int16 kernels
};
thread_local Scratch scratch;

/// dst[i] = int8(src[i]) for i < n; widens [lo, hi] to cover every src[i]. Cloned for AVX-512 and
/// AVX2: fast mode converts every GEMM input this way (~9 % of MobileNetV2's fast mode at SSE2).
__attribute__((target_clones("avx512f", "avx2", "default"))) void narrow_to_int8(const std::int32_t* src, std::size_t n,
                                                                              std::int8_t* dst, std::int32_t& lo,
                                                                              std::int32_t& hi) {
  std::int32_t l = lo, h = hi;
  for (std::size_t i = 0; i < n; ++i) {
    const std::int32_t v = src[i];
    l = std::min(l, v), h = std::max(h, v);
    dst[i] = std::int8_t(v);
  }
  lo = l, hi = h;
}

}  // namespace

/// X^T's row for one reduction row k (s8): dst[oy·out_w + ox] = plane[(oy·sh + dy)·in_w + ox·sw +
/// dx], padding (0) outside the plane.
void FastGemm::gather_row(const std::int8_t* plane, int in_h, int in_w, const Grid& g, int dy, int dx,
                          std::int8_t* dst) {
  constexpr std::int8_t kPad = 0;
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
  std::int8_t* const rows = dst + std::size_t(oy_lo) * W;
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
        std::int8_t* row = dst + std::size_t(oy) * W;
        for (int ox = 0; ox < ox_lo; ++ox) row[ox] = kPad;
        for (int ox = ox_hi; ox < g.out_w; ++ox) row[ox] = kPad;
      }
    return;
  }
  for (int oy = oy_lo; oy < oy_hi; ++oy) {
    std::int8_t* row = dst + std::size_t(oy) * W;
    const std::int8_t* line = plane + std::size_t(oy * g.sh + dy) * in_w + dx;
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
/// sum is exact only while |sum| ≤ 2^24 (bench_gemm_libs, onednn_s32_rounding: 2047 products of −127 came out
/// off by one). The job therefore runs in reduction chunks of at most kChunk rows: with s8 operands
/// |chunk sum| ≤ 512·128·128 = 2^23, and oneDNN's own u8 form of an s8 operand (+128, compensated)
/// stays below 512·255·128 < 2^24. Chunk 0 is written into the output, later chunks into scratch
/// and added in int32 (wrap-around): the exact Σ x·w, whatever oneDNN does inside. The matmul
/// itself lives in the oneDNN plugin (accel/onednn_plugin.h), loaded on first use.
///
/// A oneDNN primitive made for one shape (brgemm on VNNI CPUs) holds tens of KB of generated code
/// and descriptors; one made for any shape (gemm:jit, one per process) runs at 0.6-1.0x its speed
/// (docs/performance.md, "Fast mode's GEMM", bench_gemm_libs). A job
/// whose weights are smaller than kOwnPrimitiveBytes therefore shares the any-shape primitive:
/// the primitives a simulator holds stay below its weights' bytes at every width it prepares.
struct FastGemm::OneDnn {
  static constexpr std::int64_t kChunk = 512;
  static constexpr std::int64_t kOwnPrimitiveBytes = 64 * 1024;
  std::int64_t chunks = 1, Kc = 0;  ///< chunk b covers reduction rows [b·Kc, min(K, (b + 1)·Kc))
  /// Chunk 0 into the output (leading dimension ld); a full later chunk and the last (shorter)
  /// one into scratch [N][M] (null when there is none). All the shared any-shape one, or own.
  const RcsimOneDnnMatmul *first = nullptr, *middle = nullptr, *last = nullptr;
  bool own = false;
  const std::int8_t* weights = nullptr;  ///< what the matmuls read: the job's int8 storage, in place
  ~OneDnn() {
    if (own)
      for (const RcsimOneDnnMatmul* mm : {first, middle, last})
        if (mm) onednn_plugin().release(const_cast<RcsimOneDnnMatmul*>(mm));
  }
};

namespace {

/// The any-shape matmul, made on first use and kept for the process (thread-safe to run).
const RcsimOneDnnMatmul* any_shape_matmul() {
  static const RcsimOneDnnMatmul* const mm = [] {
    char error[256] = "";
    RcsimOneDnnMatmul* m = onednn_plugin().prepare(0, 0, 0, 0, 0, 0, error);
    if (!m) throw EnvironmentError(std::string("oneDNN could not prepare fast mode's matmul: ") + error);
    return m;
  }();
  return mm;
}

}  // namespace

bool fast_gemm_uses_onednn() {
  static const bool vnni = onednn_plugin_configured() && onednn_plugin().has_vnni();
  return vnni;
}

FastGemm::FastGemm(const GemmJob& job, std::int64_t ld) : ld_(ld) {
  const std::int64_t M = job.g.M, K = job.g.K, N = job.g.N;
  if (ld < M) throw InternalError("FastGemm: output leading dimension " + std::to_string(ld) + " < M = " + std::to_string(M));
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
    // in order (a pointwise conv at full width): X^T's row k is plane k itself, so X^T is the
    // converted input as it stands and needs no gather.
    const std::int64_t plane = std::int64_t(x.in_h) * x.in_w;
    bool identity = regular && M == plane && sh == 1 && sw == 1 && oy0[0] == 0 && ox0[0] == 0 && out_w == x.in_w;
    for (std::int64_t k = 0; identity && k < K; ++k)
      identity = x.dy[std::size_t(k)] == 0 && x.dx[std::size_t(k)] == 0 && x.base[std::size_t(k)] == k * plane;
    identity_gather_ = identity;
    // The input planes the job reads (a grouped conv's job reads its group's channels only).
    planes_.assign(x.base.begin(), x.base.end());
    std::sort(planes_.begin(), planes_.end());
    planes_.erase(std::unique(planes_.begin(), planes_.end()), planes_.end());
    // The input rows the job's windows meet: a row tile converts its own rows (and the halo its
    // windows reach), not every row of the plane once per tile (a quarter of MobileNetV2's fast
    // mode on the default, row-tiled buffers).
    if (grid_ && K > 0) {
      const auto [lo_dy, hi_dy] = std::minmax_element(x.dy.begin(), x.dy.end());
      const int first = std::max(0, grid_->oy0 + *lo_dy);
      const int last = std::min(x.in_h - 1, grid_->oy0 + (grid_->out_h - 1) * grid_->sh + *hi_dy);
      read_rows_ = {first, std::max(0, last - first + 1)};
    } else {
      read_rows_ = {0, x.in_h};
    }
  }
  // An fc (M = 1) stays on the host GEMV: oneDNN's call overhead is larger than the whole
  // product there (bench_gemm_libs, fc_1024x10). A job of fewer than 4 output channels (a dense
  // conv with few active outputs) also stays on the host kernel: per call, oneDNN costs more than
  // such a product. oneDNN reads the weights where they are stored, so they must be stored int8.
  if (job.w.int8_storage() && grid_ && M > 1 && K > 0 && N >= 4 && fast_gemm_uses_onednn()) {
    dnnl_ = std::make_unique<OneDnn>();
    OneDnn& d = *dnnl_;
    // The fewest chunks of ≤ kChunk rows, balanced (K = 800 is 2 × 400, not 512 + 288).
    d.chunks = (K + OneDnn::kChunk - 1) / OneDnn::kChunk;
    d.Kc = (K + d.chunks - 1) / d.chunks;
    const std::int64_t last_rows = K - (d.chunks - 1) * d.Kc;
    const std::int64_t lda = job.w.stride();
    d.weights = job.w.data8();
    d.own = N * K >= OneDnn::kOwnPrimitiveBytes;
    char error[256] = "";
    auto prepare = [&](std::int64_t rows, std::int64_t ldc) -> const RcsimOneDnnMatmul* {
      if (!d.own) return any_shape_matmul();
      RcsimOneDnnMatmul* mm = onednn_plugin().prepare(N, rows, M, lda, M, ldc, error);
      if (!mm) throw EnvironmentError(std::string("oneDNN could not prepare fast mode's matmul: ") + error);
      return mm;
    };
    d.first = prepare(std::min(K, d.Kc), ld);
    if (d.chunks > 2) d.middle = prepare(d.Kc, M);
    if (d.chunks > 1) d.last = prepare(last_rows, M);
  }
}

const void* FastGemm::onednn_weights() const { return dnnl_ ? dnnl_->weights : nullptr; }

FastGemm::~FastGemm() = default;

const char* FastGemm::kernel() const { return dnnl_ ? "onednn" : "int16"; }

void FastGemm::outputs(const GemmJob& job, const std::vector<std::int32_t>& in, std::int32_t* y) const {
  if (dnnl_) {
    Scratch& s = scratch;
    // The rows of the planes the job reads as s8, once per call; an image whose activations
    // there leave int8 takes the int16 kernel instead.
    // (Scratch only grows: resizing down and up again would zero the regrown part on every job.)
    if (s.in8.size() < in.size()) s.in8.resize(in.size());
    const std::size_t offset = std::size_t(read_rows_.first) * std::size_t(job.x.in_w);
    const std::size_t count = std::size_t(read_rows_.second) * std::size_t(job.x.in_w);
    std::int32_t lo = 0, hi = 0;
    for (const std::int32_t base : planes_)
      narrow_to_int8(in.data() + base + offset, count, s.in8.data() + base + offset, lo, hi);
    if (lo >= -128 && hi <= 127) {
      const OneDnn& d = *dnnl_;
      const OperandGather& x = job.x;
      const std::int64_t M = job.g.M, K = job.g.K, N = job.g.N;
      const std::int8_t* xt = s.in8.data();  // a pointwise conv's X^T: the converted input itself
      if (!identity_gather_) {
        const Grid& g = *grid_;
        if (s.xt.size() < std::size_t(K * M)) s.xt.resize(std::size_t(K * M));
        for (std::int64_t k = 0; k < K; ++k)
          gather_row(s.in8.data() + x.base[std::size_t(k)], x.in_h, x.in_w, g, g.oy0 + x.dy[std::size_t(k)],
                     g.ox0 + x.dx[std::size_t(k)], &s.xt[std::size_t(k * M)]);
        xt = s.xt.data();
      }
      const std::int8_t* const w = job.w.data8();
      const std::int64_t lda = job.w.stride();
      char error[256] = "";
      auto run = [&](const RcsimOneDnnMatmul* mm, std::int64_t b, std::int32_t* dst, std::int64_t ldc) {
        const std::int64_t rows = std::min(d.Kc, K - b * d.Kc);
        if (onednn_plugin().run(mm, N, rows, M, lda, M, ldc, w + b * d.Kc, xt + b * d.Kc * M, dst, error) != 0)
          throw EnvironmentError(std::string("oneDNN's matmul failed in fast mode: ") + error);
      };
      run(d.first, 0, y, ld_);
      if (d.chunks > 1 && s.chunk.size() < std::size_t(M * N)) s.chunk.resize(std::size_t(M * N));
      for (std::int64_t b = 1; b < d.chunks; ++b) {
        run(b + 1 < d.chunks ? d.middle : d.last, b, s.chunk.data(), M);
        // y += chunk b, in uint32 (wrap-around), a channel's run at a time (vectorized).
        for (std::int64_t n = 0; n < N; ++n) {
          std::uint32_t* out = reinterpret_cast<std::uint32_t*>(y + n * ld_);
          const std::uint32_t* c = reinterpret_cast<const std::uint32_t*>(s.chunk.data()) + n * M;
          for (std::int64_t m = 0; m < M; ++m) out[m] += c[m];
        }
      }
      return;
    }
  }
  if (grid_ && job.g.N < 4) return direct_outputs(job, in, y);
  int16_outputs(job, in, y);
}

void FastGemm::direct_outputs(const GemmJob& job, const std::vector<std::int32_t>& in, std::int32_t* out_y) const {
  const OperandGather& x = job.x;
  const Grid& g = *grid_;
  const std::int64_t M = job.g.M, K = job.g.K, N = job.g.N;
  for (std::int64_t n = 0; n < N; ++n) {
    std::uint32_t* const y = reinterpret_cast<std::uint32_t*>(out_y + n * ld_);
    std::fill(y, y + M, 0u);
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
  }
}

void FastGemm::int16_outputs(const GemmJob& job, const std::vector<std::int32_t>& in, std::int32_t* y) const {
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
  // The kernels start from a bias; the caller adds the job's, so they start from zeros.
  if (s.zeros.size() < std::size_t(N)) s.zeros.resize(std::size_t(N), 0);
  if (M == 1) {
    s.y.resize(std::size_t(N));
    if (job.w.int8_storage())  // int8 weights as stored: no int16 copy of an fc
      intgemm::gemv(int(N), int(K), job.w.data8(), std::size_t(job.w.stride()), s.x16.data(), s.zeros.data(), s.y.data());
    else
      intgemm::gemv(int(N), int(K), job.w.padded16(), std::size_t(Kp), s.x16.data(), s.zeros.data(), s.y.data());
    for (std::int64_t n = 0; n < N; ++n) y[n * ld_] = s.y[std::size_t(n)];
  } else {
    intgemm::gemm_abt(int(N), int(M), int(K), job.w.padded16(), std::size_t(Kp), s.x16.data(), std::size_t(Kp),
                      s.zeros.data(), y, std::size_t(ld_));
  }
}

}  // namespace rcsim
