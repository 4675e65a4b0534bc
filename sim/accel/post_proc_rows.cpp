#include "accel/post_proc_rows.h"

#include <algorithm>

#include "core/int_arith.h"

namespace rcsim {

namespace {

/// v + b in int32 wrap-around (the accumulators' arithmetic).
inline std::int32_t wrap_add(std::int32_t v, std::uint32_t b) { return std::int32_t(std::uint32_t(v) + b); }

}  // namespace

// The rounding shift of |acc| in uint32 (|acc| ≤ 2^31, + half < 2^32) given back acc's sign.
__attribute__((target_clones("avx512f", "avx2", "default"))) void requantize_row(std::int32_t* v, std::size_t n,
                                                                              std::uint32_t b, int shift,
                                                                              std::int32_t lo, std::int32_t hi) {
  if (shift <= 0 || shift > 31) {
    for (std::size_t i = 0; i < n; ++i) v[i] = arith::requantize_affine(wrap_add(v[i], b), 1, 0, shift, lo, hi);
    return;
  }
  const std::uint32_t half = std::uint32_t(1) << (shift - 1);
  for (std::size_t i = 0; i < n; ++i) {
    const std::int32_t a = wrap_add(v[i], b);
    const std::uint32_t sign = std::uint32_t(a >> 31);  // all ones when negative
    const std::uint32_t mag = (std::uint32_t(a) ^ sign) - sign;
    const std::int32_t r = std::int32_t((((mag + half) >> shift) ^ sign) - sign);
    v[i] = std::min(hi, std::max(lo, r));
  }
}

// The same rounding of |x| in int64 (|acc·mult + add| < 2^63).
__attribute__((target_clones("avx512f", "avx2", "default"))) void requantize_affine_row(
    std::int32_t* v, std::size_t n, std::uint32_t b, std::int32_t mult, std::int32_t add, int shift, std::int32_t lo,
    std::int32_t hi) {
  const std::int64_t half = shift > 0 ? std::int64_t(1) << (shift - 1) : 0;
  const int s = shift > 0 ? shift : 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t x = std::int64_t(wrap_add(v[i], b)) * mult + add;
    const std::uint64_t sign = x < 0 ? ~std::uint64_t(0) : 0;
    const std::uint64_t mag = (std::uint64_t(x) ^ sign) - sign;
    const std::int64_t r = std::int64_t((((mag + std::uint64_t(half)) >> s) ^ sign) - sign);
    v[i] = r < lo ? lo : r > hi ? hi : std::int32_t(r);
  }
}

// Both operands aligned to the finer scale m (exact left shifts, |sum| < 2^63), then the rounding
// right shift of |sum| to the output scale given back its sign, or an exact left shift when the
// output scale is finer.
__attribute__((target_clones("avx512f", "avx2", "default"))) void add_requant_row(
    const std::int32_t* a, const std::int32_t* b, std::int32_t* y, std::size_t n, int sa, int sb, int so,
    std::int32_t lo, std::int32_t hi) {
  const int m = sa > sb ? sa : sb;
  const int la = m - sa, lb = m - sb;
  auto aligned = [&](std::size_t i) {
    return std::int64_t(std::uint64_t(std::int64_t(a[i])) << la) + std::int64_t(std::uint64_t(std::int64_t(b[i])) << lb);
  };
  auto clamp = [&](std::int64_t r) { return r < lo ? lo : r > hi ? hi : std::int32_t(r); };
  if (m > so) {
    const int s = m - so;
    const std::uint64_t half = std::uint64_t(1) << (s - 1);
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t x = aligned(i);
      const std::uint64_t sign = std::uint64_t(x >> 63);  // all ones when negative
      const std::uint64_t mag = (std::uint64_t(x) ^ sign) - sign;
      y[i] = clamp(std::int64_t((((mag + half) >> s) ^ sign) - sign));
    }
  } else {
    const int s = so - m;
    for (std::size_t i = 0; i < n; ++i) y[i] = clamp(std::int64_t(std::uint64_t(aligned(i)) << s));
  }
}

}  // namespace rcsim
