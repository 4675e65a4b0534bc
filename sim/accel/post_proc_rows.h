#pragma once
// The post-processing unit's arithmetic over a run of values, as fast mode applies it to a whole
// output channel (or tensor) at once: the functions of core/int_arith.h, written branch-free so
// that they vectorize, and cloned for AVX-512 and AVX2 (fast mode runs them over every output of
// a network; at the SSE2 baseline the requantization alone was ~25 % of MobileNetV2's fast mode).
// Bit-identical to core/int_arith.h for every input (tests/unit/test_post_proc_rows.cpp).
#include <cstddef>
#include <cstdint>

namespace rcsim {

/// v[i] = arith::requantize_affine(v[i] + b, 1, 0, shift, lo, hi) for i < n, in place (the add in
/// int32 wrap-around: b is the bias a GEMM left out).
void requantize_row(std::int32_t* v, std::size_t n, std::uint32_t b, int shift, std::int32_t lo, std::int32_t hi);

/// v[i] = arith::requantize_affine(v[i] + b, mult, add, shift, lo, hi) for i < n, in place.
void requantize_affine_row(std::int32_t* v, std::size_t n, std::uint32_t b, std::int32_t mult, std::int32_t add,
                           int shift, std::int32_t lo, std::int32_t hi);

/// y[i] = arith::add_requant(a[i], sa, b[i], sb, so, lo, hi) for i < n (scale exponents 0..31).
void add_requant_row(const std::int32_t* a, const std::int32_t* b, std::int32_t* y, std::size_t n, int sa, int sb,
                     int so, std::int32_t lo, std::int32_t hi);

}  // namespace rcsim
