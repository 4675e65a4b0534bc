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

/// Quantizes a real value with scale 2^-shift (value ≈ q·2^-shift): round half away, saturate.
std::int32_t quantize_value(double value, int shift, int bits);

}  // namespace rcsim::arith
