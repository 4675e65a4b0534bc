#include "host/int_gemm.h"

#include <algorithm>
#include <cstring>

// This file is compiled with -O3 (sim/host/CMakeLists.txt): g++ 12 at -O2 only vectorizes loops
// that need no epilogue, which leaves the dot products below scalar (about 4× slower).

namespace rcsim::intgemm {

namespace {

using u32 = std::uint32_t;

/// MR rows of A against NR rows of B over K columns: acc[i·NR + j] = Σ A_i[k]·B_j[k] mod 2^32.
/// The MR·NR accumulators become vector registers (each product is an exact int32: |w·x| ≤ 2^30;
/// the sums wrap in uint32, which g++ turns into pmaddwd + paddd).
template <int MR, int NR, class TA>
inline __attribute__((always_inline)) void tile(const TA* __restrict A, std::size_t lda, const std::int16_t* __restrict B,
          std::size_t ldb, int K, u32* __restrict out) {
  u32 acc[MR][NR] = {};
  for (int k = 0; k < K; ++k)
    for (int i = 0; i < MR; ++i) {
      const std::int32_t a = A[i * lda + k];
      for (int j = 0; j < NR; ++j) acc[i][j] += u32(a * B[j * ldb + k]);
    }
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NR; ++j) out[i * NR + j] = acc[i][j];
}

/// uint32 → int32 two's complement (what arith::wrap_add does too).
inline std::int32_t to_i32(u32 v) { return static_cast<std::int32_t>(v); }

constexpr int kMR = 4;  // output channels per register block
constexpr int kNR = kRowAlign;  // output pixels per register block

template <int NR, class TA>
inline __attribute__((always_inline)) void tile_rows(int mr, const TA* A, std::size_t lda, const std::int16_t* B, std::size_t ldb,
               int K, u32* out) {
  switch (mr) {
    case 4: tile<4, NR>(A, lda, B, ldb, K, out); break;
    case 3: tile<3, NR>(A, lda, B, ldb, K, out); break;
    case 2: tile<2, NR>(A, lda, B, ldb, K, out); break;
    default: tile<1, NR>(A, lda, B, ldb, K, out); break;
  }
}

}  // namespace

namespace {

/// The GEMM, compiled once per instruction set below (the same integer results on each: only the
/// vector width of the k loop differs).
inline __attribute__((always_inline)) void gemm_abt_body(int M, int N, int K, const std::int16_t* A, std::size_t lda,
                                                         const std::int16_t* B, std::size_t ldb,
                                                         const std::int32_t* bias, std::int32_t* C, std::size_t ldc) {
  static_assert(kMR == 4, "tile_rows dispatches 1..4 rows");
  const int Kp = round_up(K, kColAlign);
  u32 acc[kMR * kNR];
  // Pixel blocks outside, channel blocks inside: the NR im2col rows (≤ 4·Kp int16) stay in L1
  // while all of A streams past them.
  for (int n0 = 0; n0 < N; n0 += kNR) {
    const int nc = std::min(kNR, N - n0);
    for (int m0 = 0; m0 < M; m0 += kMR) {
      const int mr = std::min(kMR, M - m0);
      tile_rows<kNR>(mr, A + std::size_t(m0) * lda, lda, B + std::size_t(n0) * ldb, ldb, Kp, acc);
      for (int i = 0; i < mr; ++i)
        for (int j = 0; j < nc; ++j)
          C[std::size_t(m0 + i) * ldc + n0 + j] = to_i32(acc[i * kNR + j] + u32(bias[m0 + i]));
    }
  }
}

using GemmAbt = void (*)(int, int, int, const std::int16_t*, std::size_t, const std::int16_t*, std::size_t,
                        const std::int32_t*, std::int32_t*, std::size_t);

void gemm_abt_baseline(int M, int N, int K, const std::int16_t* A, std::size_t lda, const std::int16_t* B,
                       std::size_t ldb, const std::int32_t* bias, std::int32_t* C, std::size_t ldc) {
  gemm_abt_body(M, N, K, A, lda, B, ldb, bias, C, ldc);
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx2"))) void gemm_abt_avx2(int M, int N, int K, const std::int16_t* A, std::size_t lda,
                                                   const std::int16_t* B, std::size_t ldb, const std::int32_t* bias,
                                                   std::int32_t* C, std::size_t ldc) {
  gemm_abt_body(M, N, K, A, lda, B, ldb, bias, C, ldc);
}
__attribute__((target("avx512bw,avx512vnni"))) void gemm_abt_avx512_vnni(
    int M, int N, int K, const std::int16_t* A, std::size_t lda, const std::int16_t* B, std::size_t ldb,
    const std::int32_t* bias, std::int32_t* C, std::size_t ldc) {
  gemm_abt_body(M, N, K, A, lda, B, ldb, bias, C, ldc);
}
__attribute__((target("avx512bw"))) void gemm_abt_avx512(int M, int N, int K, const std::int16_t* A, std::size_t lda,
                                                         const std::int16_t* B, std::size_t ldb,
                                                         const std::int32_t* bias, std::int32_t* C, std::size_t ldc) {
  gemm_abt_body(M, N, K, A, lda, B, ldb, bias, C, ldc);
}
#endif

GemmAbt pick_gemm_abt() {
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512bw")) return gemm_abt_avx512_vnni;
  if (__builtin_cpu_supports("avx512bw")) return gemm_abt_avx512;
  if (__builtin_cpu_supports("avx2")) return gemm_abt_avx2;
#endif
  return gemm_abt_baseline;
}

}  // namespace

void gemm_abt(int M, int N, int K, const std::int16_t* A, std::size_t lda, const std::int16_t* B,
              std::size_t ldb, const std::int32_t* bias, std::int32_t* C, std::size_t ldc) {
  // Wider vectors where the CPU has them (the build targets the x86-64 baseline, SSE2).
  static const GemmAbt fn = pick_gemm_abt();
  fn(M, N, K, A, lda, B, ldb, bias, C, ldc);
}

namespace {

template <class TA>
void gemv_impl(int M, int K, const TA* A, std::size_t lda, const std::int16_t* x, const std::int32_t* bias,
               std::int32_t* y) {
  u32 acc[kMR];
  for (int m0 = 0; m0 < M; m0 += kMR) {
    const int mr = std::min(kMR, M - m0);
    tile_rows<1>(mr, A + std::size_t(m0) * lda, lda, x, 0, K, acc);
    for (int i = 0; i < mr; ++i) y[m0 + i] = to_i32(acc[i] + u32(bias[m0 + i]));
  }
}

}  // namespace

void gemv(int M, int K, const std::int16_t* A, std::size_t lda, const std::int16_t* x, const std::int32_t* bias,
          std::int32_t* y) {
  gemv_impl(M, K, A, lda, x, bias, y);
}

void gemv(int M, int K, const std::int8_t* A, std::size_t lda, const std::int16_t* x, const std::int32_t* bias,
          std::int32_t* y) {
  gemv_impl(M, K, A, lda, x, bias, y);
}

namespace {

/// im2col for a compile-time kernel width KW (0 = use w.kw): the per-row copies of the common
/// 3-wide and 5-wide windows then compile to a few fixed-size moves instead of a short loop.
template <int KW>
void im2col_impl(const std::int16_t* x, Shape3 in, const Window& w, const int* channels, int n_channels, int out_h,
                 int out_w, std::int16_t* B, std::size_t ldb) {
  const int kw = KW > 0 ? KW : w.kw;
  for (int oy = 0; oy < out_h; ++oy)
    for (int ox = 0; ox < out_w; ++ox) {
      std::int16_t* row = B + std::size_t(oy * out_w + ox) * ldb;
      std::size_t col = 0;
      const int ix0 = ox * w.sw - w.pl;
      const bool interior_x = ix0 >= 0 && ix0 + kw <= in.w;  // no padding left or right
      for (int j = 0; j < n_channels; ++j) {
        const int c = channels ? channels[j] : j;
        const std::int16_t* plane = x + std::size_t(c) * in.h * in.w;
        for (int ky = 0; ky < w.kh; ++ky, col += std::size_t(kw)) {
          const int iy = oy * w.sh + ky - w.pt;
          if (iy < 0 || iy >= in.h) {
            std::memset(row + col, 0, sizeof(std::int16_t) * std::size_t(kw));
            continue;
          }
          const std::int16_t* line = plane + std::size_t(iy) * in.w;
          if (interior_x) {
            std::memcpy(row + col, line + ix0, sizeof(std::int16_t) * std::size_t(kw));
            continue;
          }
          for (int kx = 0; kx < kw; ++kx) {
            const int ix = ix0 + kx;
            row[col + std::size_t(kx)] = (ix >= 0 && ix < in.w) ? line[ix] : std::int16_t(0);
          }
        }
      }
      std::memset(row + col, 0, sizeof(std::int16_t) * (ldb - col));
    }
}

}  // namespace

void im2col(const std::int16_t* x, Shape3 in, const Window& w, const int* channels, int n_channels, int out_h,
            int out_w, std::int16_t* B, std::size_t ldb) {
  switch (w.kw) {
    case 3: im2col_impl<3>(x, in, w, channels, n_channels, out_h, out_w, B, ldb); break;
    case 5: im2col_impl<5>(x, in, w, channels, n_channels, out_h, out_w, B, ldb); break;
    default: im2col_impl<0>(x, in, w, channels, n_channels, out_h, out_w, B, ldb); break;
  }
  const int P = out_h * out_w;
  const int Pp = round_up(P, kRowAlign);
  if (Pp > P) std::memset(B + std::size_t(P) * ldb, 0, sizeof(std::int16_t) * ldb * std::size_t(Pp - P));
}

void im2col(const std::int16_t* x, Shape3 in, int kernel, int stride, int pad, int out_h, int out_w,
            std::int16_t* B, std::size_t ldb) {
  im2col(x, in, Window{kernel, kernel, stride, stride, pad, pad}, nullptr, in.c, out_h, out_w, B, ldb);
}

void requantize(std::int32_t* y, std::int16_t* y16, std::size_t n, int shift, bool relu, int bits) {
  // ReLU then saturation = one clamp, with the lower bound raised to 0.
  const std::int32_t lo = relu ? 0 : -(std::int32_t(1) << (bits - 1));
  const std::int32_t hi = (std::int32_t(1) << (bits - 1)) - 1;
  if (shift <= 0) {
    for (std::size_t j = 0; j < n; ++j) {
      const std::int32_t v = std::min(std::max(y[j], lo), hi);
      y[j] = v;
      y16[j] = static_cast<std::int16_t>(v);
    }
    return;
  }
  // Round half away from zero on the magnitude: |acc| ≤ 2^31 and half ≤ 2^30, so mag + half
  // fits uint32, and the shifted result (≤ 2^30 for shift ≥ 1) fits int32 with either sign.
  const u32 half = u32(1) << (shift - 1);
  for (std::size_t j = 0; j < n; ++j) {
    const std::int32_t a = y[j];
    const u32 mag = a < 0 ? u32(0) - u32(a) : u32(a);
    const std::int32_t r = std::int32_t((mag + half) >> shift);
    const std::int32_t v = std::min(std::max(a < 0 ? -r : r, lo), hi);
    y[j] = v;
    y16[j] = static_cast<std::int16_t>(v);
  }
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
void requantize_affine(std::int32_t* y, std::int16_t* y16, std::size_t n, std::int32_t mult, std::int32_t add,
                       int shift, std::int32_t lo, std::int32_t hi) {
  // round_shift64 on the magnitude: |acc·mult + add| < 2^62 + 2^31 and half ≤ 2^61, so mag + half
  // fits uint64; shift ≤ 0 returns the value itself (half 0, no shift), as the definition does.
  const int s = std::max(shift, 0);
  const std::uint64_t half = s > 0 ? std::uint64_t(1) << (s - 1) : 0;
  for (std::size_t j = 0; j < n; ++j) {
    const std::int64_t v = std::int64_t(y[j]) * mult + add;
    const std::uint64_t mag = v < 0 ? std::uint64_t(0) - std::uint64_t(v) : std::uint64_t(v);
    const std::int64_t r = std::int64_t((mag + half) >> s);
    const std::int64_t t = std::min<std::int64_t>(std::max<std::int64_t>(v < 0 ? -r : r, lo), hi);
    y[j] = std::int32_t(t);
    y16[j] = static_cast<std::int16_t>(t);
  }
}

}  // namespace rcsim::intgemm
