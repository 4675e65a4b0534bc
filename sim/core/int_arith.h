#pragma once
// The accelerator's integer arithmetic, defined once. The host integer reference, the SystemC
// PE array / post-processing unit and the RTL (rtl/mac.sv, rtl/pe_array.sv) all implement exactly
// these functions; tests compare them bit for bit.
//
//   acc   = bias + Σ w·x          int32, two's-complement wrap-around on overflow
//   y     = round(acc / 2^shift)  round half AWAY from zero (shift 0 = identity)
//   y     = max(y, 0)             if the layer has a ReLU
//   y     = saturate(y, bits)     to [−2^(bits−1), 2^(bits−1)−1]
//   pool  = max over the window of already requantized values
//
// Graph networks add (docs/int-arithmetic.md):
//   post  = clamp(round_shift(acc·mult + add, shift))   per-channel scale (batch norm per width)
//   add   = clamp(rescale(a + b at the finer input scale → output scale))
//   avg   = round_div(Σ window, count)                  round half away, same scale as the input
//   cat   = clamp(rescale(x, input scale → output scale))
//   relu6 = clamp to [0, round(6·2^out_shift)]
//
// The classifier's output is acc itself (int32 logits, no requantization).
#include <cstdint>

namespace rcsim::arith {

/// a + b with int32 wrap-around (no UB): what a 32-bit hardware adder does.
constexpr std::int32_t wrap_add(std::int32_t a, std::int32_t b) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(a) + static_cast<std::uint32_t>(b));
}

/// w·x as the hardware multiplier produces it (operands are at most 16 bits, so no overflow).
constexpr std::int32_t mul(std::int32_t w, std::int32_t x) { return w * x; }

/// acc + w·x with int32 wrap-around: one MAC.
constexpr std::int32_t mac(std::int32_t acc, std::int32_t w, std::int32_t x) {
  return wrap_add(acc, mul(w, x));
}

/// Arithmetic right shift by `shift` (0..31) rounding half away from zero.
constexpr std::int32_t round_shift(std::int32_t acc, int shift) {
  if (shift <= 0) return acc;
  const std::int64_t a = acc;
  const std::int64_t half = std::int64_t(1) << (shift - 1);
  const std::int64_t r = a >= 0 ? (a + half) >> shift : -((-a + half) >> shift);
  return static_cast<std::int32_t>(r);
}

constexpr std::int32_t qmin(int bits) { return -(std::int32_t(1) << (bits - 1)); }
constexpr std::int32_t qmax(int bits) { return (std::int32_t(1) << (bits - 1)) - 1; }

constexpr std::int32_t saturate(std::int64_t v, int bits) {
  return v < qmin(bits) ? qmin(bits) : v > qmax(bits) ? qmax(bits) : static_cast<std::int32_t>(v);
}

/// The post-processing unit: rounding shift, optional ReLU, saturation to `bits`.
constexpr std::int32_t requantize(std::int32_t acc, int shift, bool relu, int bits) {
  std::int32_t y = round_shift(acc, shift);
  if (relu && y < 0) y = 0;
  return saturate(y, bits);
}

/// Arithmetic right shift of an int64 by 0..62, rounding half away from zero.
constexpr std::int64_t round_shift64(std::int64_t v, int shift) {
  if (shift <= 0) return v;
  const std::int64_t half = std::int64_t(1) << (shift - 1);
  return v >= 0 ? (v + half) >> shift : -((-v + half) >> shift);
}

/// v at scale 2^-from as the nearest value at scale 2^-to (no saturation): a rounding right
/// shift when the new scale is coarser, an exact left shift when it is finer. |from − to| ≤ 31,
/// |v| < 2^32, so a left shift stays below 2^63.
constexpr std::int64_t rescale(std::int64_t v, int from, int to) {
  return from >= to ? round_shift64(v, from - to) : v * (std::int64_t(1) << (to - from));
}

constexpr std::int32_t clamp64(std::int64_t v, std::int32_t lo, std::int32_t hi) {
  return v < lo ? lo : v > hi ? hi : static_cast<std::int32_t>(v);
}

/// The general post-processing unit: (acc·mult + add) shifted right with rounding, clamped to
/// [lo, hi] (ReLU: lo = 0; ReLU6: hi = round(6·2^out_shift); always within `bits`). With mult 1
/// and add 0 it is requantize() below.
constexpr std::int32_t requantize_affine(std::int32_t acc, std::int32_t mult, std::int32_t add, int shift,
                                         std::int32_t lo, std::int32_t hi) {
  return clamp64(round_shift64(std::int64_t(acc) * mult + add, shift), lo, hi);
}

/// Element-wise add of a (scale 2^-sa) and b (2^-sb) into scale 2^-so: both operands are aligned
/// to the finer input scale exactly, summed, then rescaled and clamped.
constexpr std::int32_t add_requant(std::int32_t a, int sa, std::int32_t b, int sb, int so, std::int32_t lo,
                                   std::int32_t hi) {
  const int m = sa > sb ? sa : sb;
  return clamp64(rescale(rescale(a, sa, m) + rescale(b, sb, m), m, so), lo, hi);
}

/// sum / count rounded half away from zero (count > 0): the average pool's divider.
constexpr std::int32_t round_div(std::int64_t sum, std::int64_t count) {
  const std::int64_t q = ((sum >= 0 ? sum : -sum) * 2 + count) / (2 * count);
  return static_cast<std::int32_t>(sum >= 0 ? q : -q);
}

/// Quantizes a real value with scale 2^-shift (value ≈ q·2^-shift): round half away, saturate.
std::int32_t quantize_value(double value, int shift, int bits);

}  // namespace rcsim::arith
