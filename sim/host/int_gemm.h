#pragma once
// Int16 × int16 → int32 matrix kernels behind the fast integer reference (host/int_reference.h):
// a convolution becomes im2col + GEMM, a fully connected layer a GEMV. Accumulation is int32
// with two's-complement wrap-around, done in uint32 so it is defined behaviour; since wrap-around
// addition is associative and commutative, any blocking or summation order gives exactly the
// result of arith::mac applied in the naive order.
//
// Portable C++ written so that g++ -O3 auto-vectorizes the inner loops (pmaddwd on x86-64
// baseline SSE2, wider with -march flags); no intrinsics.
#include <cstddef>
#include <cstdint>

#include "core/shape.h"

namespace rcsim::intgemm {

/// Packed operands have their columns (the reduction dimension K) zero-padded to a multiple of
/// this, so the kernels run without tail loops.
inline constexpr int kColAlign = 16;
/// Rows of a packed B operand (output pixels) are zero-padded to a multiple of this (N block).
inline constexpr int kRowAlign = 4;

constexpr int round_up(int v, int a) { return (v + a - 1) / a * a; }

/// C[m·ldc + n] = bias[m] + Σ_{k<K} A[m·lda + k]·B[n·ldb + k] for m < M, n < N (int32 wrap-around).
/// Reads A rows m < M and B rows n < round_up(N, kRowAlign), each up to column
/// round_up(K, kColAlign); B's padding rows and columns must be zero (A's padding columns may
/// hold anything finite, they are multiplied by B's zeros).
void gemm_abt(int M, int N, int K, const std::int16_t* A, std::size_t lda, const std::int16_t* B,
              std::size_t ldb, const std::int32_t* bias, std::int32_t* C, std::size_t ldc);

/// y[m] = bias[m] + Σ_{k<K} A[m·lda + k]·x[k] for m < M (int32 wrap-around); no padding needed.
void gemv(int M, int K, const std::int16_t* A, std::size_t lda, const std::int16_t* x,
          const std::int32_t* bias, std::int32_t* y);
/// The same with int8 weights (an int8 network's weights as stored: no int16 copy).
void gemv(int M, int K, const std::int8_t* A, std::size_t lda, const std::int16_t* x,
          const std::int32_t* bias, std::int32_t* y);

/// A convolution window: kernel kh×kw, strides, and the top/left padding (bottom/right padding
/// only shows in the output size the caller passes).
struct Window {
  int kh = 1, kw = 1, sh = 1, sw = 1, pt = 0, pl = 0;
};

/// im2col of the channels `channels[0..n_channels)` (plane indices into x; null = planes
/// 0..n_channels−1) of the CHW input x (shape `in`) under window `w`: row p = oy·out_w + ox holds
/// n_channels·kh·kw inputs in the order (channel, ky, kx), 0 in the padding. Columns are
/// zero-padded to ldb, rows to round_up(out_h·out_w, kRowAlign).
void im2col(const std::int16_t* x, Shape3 in, const Window& w, const int* channels, int n_channels, int out_h,
            int out_w, std::int16_t* B, std::size_t ldb);

/// Writes the im2col matrix of the CHW input x (shape `in`) for a square `kernel` window:
/// row p = oy·out_w + ox holds the in.c·kernel² inputs under output pixel p's window in the
/// weight layout's order (c, ky, kx), 0 where the window lies in the padding. Columns are
/// zero-padded to round_up(K, kColAlign) = ldb, rows to round_up(out_h·out_w, kRowAlign).
void im2col(const std::int16_t* x, Shape3 in, int kernel, int stride, int pad, int out_h, int out_w,
            std::int16_t* B, std::size_t ldb);

/// arith::requantize(y[j], shift, relu, bits) for j < n, in place, also writing each result to
/// y16[j]. Same function, written branch-free in 32-bit arithmetic so that it vectorizes
/// (tests/unit/test_int_reference.cpp compares the two on the edge cases of every shift).
void requantize(std::int32_t* y, std::int16_t* y16, std::size_t n, int shift, bool relu, int bits);

/// arith::requantize_affine(y[j], mult, add, shift, lo, hi) for j < n, in place, also writing each
/// result to y16[j] (lo, hi within int16). The same function written branch-free on int64 so that
/// it vectorizes (compiled for AVX-512, AVX2 and the baseline, picked at run time); checked
/// against the definition in tests/unit/test_int_reference.cpp.
void requantize_affine(std::int32_t* y, std::int16_t* y16, std::size_t n, std::int32_t mult, std::int32_t add,
                       int shift, std::int32_t lo, std::int32_t hi);

}  // namespace rcsim::intgemm
