// Post-training quantization to power-of-two scales. See docs/int-arithmetic.md for the scheme.
#include "host/quantizer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <exception>
#include <limits>
#include <thread>

#include "core/errors.h"
#include "core/int_arith.h"
#include "host/float_reference.h"

namespace rcsim {

namespace {

/// Largest s with max_abs·2^s ≤ limit: the finest power-of-two scale at which the largest value
/// still fits. max_abs must be positive and finite.
int largest_shift(double max_abs, double limit) {
  int s = int(std::floor(std::log2(limit / max_abs)));
  while (std::ldexp(max_abs, s + 1) <= limit) ++s;  // log2 may be off by one near powers of two
  while (std::ldexp(max_abs, s) > limit) --s;
  return s;
}

/// round(v·2^shift), half away from zero, saturated to int32 (biases live in the accumulator).
std::int32_t quantize_bias(double v, int shift) {
  const double scaled = std::ldexp(v, shift);
  const double r = scaled >= 0 ? std::floor(scaled + 0.5) : -std::floor(-scaled + 0.5);
  if (!(r > double(std::numeric_limits<std::int32_t>::min()))) return std::numeric_limits<std::int32_t>::min();
  if (r >= double(std::numeric_limits<std::int32_t>::max())) return std::numeric_limits<std::int32_t>::max();
  return static_cast<std::int32_t>(r);
}

/// Largest |v| over [first, last); NaN if any value is NaN (std::max alone would skip NaNs).
template <typename It>
double max_abs(It first, It last) {
  double m = 0;
  for (; first != last; ++first) {
    const double a = std::fabs(double(*first));
    if (std::isnan(a)) return a;
    m = std::max(m, a);
  }
  return m;
}

/// acc = max(acc, v), where a NaN on either side sticks (so it can be reported).
void keep_max(double& acc, double v) {
  if (std::isnan(v) || v > acc) acc = v;
}

/// Quantized weights at scale 2^w_shift and biases at 2^acc_shift (the accumulator's scale).
void quantize_tensors(const FloatLayerParams& f, int w_shift, int acc_shift, int bits, QuantLayerParams& q) {
  std::vector<std::int16_t> w(f.weight.size());
  for (std::size_t j = 0; j < f.weight.size(); ++j)
    w[j] = static_cast<std::int16_t>(arith::quantize_value(f.weight[j], w_shift, bits));
  q.weight = std::move(w);
  q.bias.resize(f.bias.size());
  for (std::size_t j = 0; j < f.bias.size(); ++j) q.bias[j] = quantize_bias(f.bias[j], acc_shift);
}

/// True if no input can make an accumulator of q wrap: |bias| + Σ|w|·2^(bits−1) ≤ 2^31 − 1 for
/// every output row (activations are saturated to `bits`, so |x| ≤ 2^(bits−1); a narrower width
/// sums a prefix of the row, so the full row bounds every width).
bool accumulator_cannot_wrap(const QuantLayerParams& q, int bits) {
  const std::size_t rows = q.bias.size(), cols = q.weight.size() / rows;
  for (std::size_t r = 0; r < rows; ++r) {
    std::int64_t sum = 0;
    for (std::size_t j = 0; j < cols; ++j) sum += std::abs(std::int64_t(q.weight[r * cols + j]));
    const std::int64_t bound = std::abs(std::int64_t(q.bias[r])) + (sum << (bits - 1));
    if (bound > std::numeric_limits<std::int32_t>::max()) return false;
  }
  return true;
}

/// Largest |output| of every layer over `n` images and all widths 1..G of the float network.
/// Images are split over the machine's cores; a max does not depend on the split.
std::vector<double> calibrate(const QuantizedNetwork& qn, const Dataset& data, std::size_t n) {
  const std::size_t L = qn.net.layers.size();
  const unsigned threads = std::max(1u, std::min<unsigned>(std::thread::hardware_concurrency(), unsigned(n)));
  std::vector<std::vector<double>> partial(threads, std::vector<double>(L, 0.0));
  std::vector<std::exception_ptr> errors(threads);
  auto work = [&](unsigned t) {
    try {
      for (std::size_t img = t; img < n; img += threads)
        for (int k = 1; k <= qn.net.width_groups; ++k) {
          const auto outs = float_forward(qn, k, data.image(img));
          for (std::size_t i = 0; i < L; ++i) keep_max(partial[t][i], max_abs(outs[i].begin(), outs[i].end()));
        }
    } catch (...) {
      errors[t] = std::current_exception();  // rethrown on the calling thread below
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
  std::vector<double> largest(L, 0.0);
  for (const auto& p : partial)
    for (std::size_t i = 0; i < L; ++i) keep_max(largest[i], p[i]);
  return largest;
}

/// Per node, the activation shift among {max-based, +1, +2} with the least squared
/// quantization error (round, saturate) over the first n images at every width: one step finer
/// halves the rounding error of the bulk of the values and saturates only the rare largest ones.
std::vector<int> mse_shifts(const QuantizedNetwork& qn, const Dataset& data, std::size_t n,
                            const std::vector<double>& act_max, int bits) {
  const std::size_t L = qn.net.layers.size();
  const double qmax = arith::qmax(bits);
  std::vector<int> base(L, 0);
  for (std::size_t i = 0; i < L; ++i) base[i] = act_max[i] > 0 ? largest_shift(act_max[i], qmax) : 0;
  constexpr int kCandidates = 3;
  std::vector<std::array<double, kCandidates>> err(L, std::array<double, kCandidates>{});
  for (std::size_t img = 0; img < n; ++img)
    for (int k = 1; k <= qn.net.width_groups; ++k) {
      const auto outs = float_forward(qn, k, data.image(img));
      for (std::size_t i = 0; i < L; ++i)
        for (int c = 0; c < kCandidates; ++c) {
          const int s = base[i] + c;
          double e = 0;
          for (float v : outs[i]) {
            const double d = std::ldexp(double(arith::quantize_value(v, s, bits)), -s) - v;
            e += d * d;
          }
          err[i][std::size_t(c)] += e;
        }
    }
  std::vector<int> best(L);
  for (std::size_t i = 0; i < L; ++i)
    best[i] = base[i] + int(std::min_element(err[i].begin(), err[i].end()) - err[i].begin());
  return best;
}

}  // namespace

void quantize(QuantizedNetwork& qn, const Dataset& calibration, const QuantizerOptions& opts) {
  const std::string who = "quantizing network '" + qn.net.name + "'";
  if (opts.bits != 8 && opts.bits != 16)
    throw InputError(who + ": precision must be 8 or 16 bits (got " + std::to_string(opts.bits) + ")");
  if (!qn.has_float()) throw InputError(who + ": no float weights to quantize");
  if (calibration.shape != qn.net.input)
    throw InputError(who + ": calibration set '" + calibration.name + "' has images of " +
                     std::to_string(calibration.shape.c) + "x" + std::to_string(calibration.shape.h) + "x" +
                     std::to_string(calibration.shape.w) + ", the network expects " +
                     std::to_string(qn.net.input.c) + "x" + std::to_string(qn.net.input.h) + "x" +
                     std::to_string(qn.net.input.w));
  const std::size_t n = opts.calibration_images == 0 ? calibration.size()
                                                     : std::min(opts.calibration_images, calibration.size());
  if (n == 0) throw InputError(who + ": calibration set '" + calibration.name + "' is empty");

  const int bits = opts.bits;
  const double qmax = arith::qmax(bits);
  qn.bits = bits;

  // Input: the image maximum may land on 2^(bits-1), one LSB above qmax, and saturate: pixels in
  // [0,1] then get 2^-7 resolution at 8 bits (1.0 → 127) instead of 2^-6 for all of them.
  if (calibration.pixels.size() < n * calibration.shape.size())
    throw InputError(who + ": calibration set '" + calibration.name + "' has fewer pixels than its labels need");
  const double in_max = max_abs(calibration.pixels.begin(), calibration.pixels.begin() + n * calibration.shape.size());
  if (!std::isfinite(in_max)) throw InputError(who + ": calibration images contain non-finite pixels");
  qn.input_shift = in_max > 0 ? std::clamp(largest_shift(in_max, qmax + 1), 0, 31) : bits - 1;

  const std::vector<double> act_max = calibrate(qn, calibration, n);
  std::vector<int> mse;
  if (opts.mse_activation_shifts) mse = mse_shifts(qn, calibration, std::min<std::size_t>(n, 100), act_max, bits);
  // The activation shift of node i: max-based, or the least-squared-error one.
  auto activation_shift = [&](std::size_t i, int fallback) {
    if (!(act_max[i] > 0)) return fallback;
    return mse.empty() ? largest_shift(act_max[i], qmax) : mse[i];
  };

  qn.quant_params.assign(qn.net.layers.size(), QuantLayerParams{});
  for (std::size_t i = 0; i < qn.net.layers.size(); ++i) {
    const Layer& l = qn.net.layers[i];
    QuantLayerParams& q = qn.quant_params[i];
    if (l.kind == LayerKind::Add || l.kind == LayerKind::Concat) {
      if (!std::isfinite(act_max[i])) throw InputError(who + ": layer '" + l.name + "' has non-finite activations");
      // Operands are aligned within 31 bits of each other and of the output (core/int_arith.h).
      int lo = std::numeric_limits<int>::min(), hi = std::numeric_limits<int>::max();
      for (int t : l.in_ids) {
        lo = std::max(lo, qn.tensor_shift(t) - 31);
        hi = std::min(hi, qn.tensor_shift(t) + 31);
      }
      const int wanted = activation_shift(i, qn.tensor_shift(l.in_ids[0]));
      q.out_shift = std::clamp(wanted, lo, std::max(lo, hi));
      continue;
    }
    if (!l.has_weights()) continue;  // pools, flatten, activations keep their input's scale
    const FloatLayerParams& f = qn.float_params[i];
    const double w_max = max_abs(f.weight.begin(), f.weight.end());
    if (!std::isfinite(w_max) || !std::isfinite(max_abs(f.bias.begin(), f.bias.end())))
      throw InputError(who + ": layer '" + l.name + "' has non-finite weights or biases");
    for (std::size_t kk = 0; kk < f.bn_scale.size(); ++kk)
      if (!std::isfinite(max_abs(f.bn_scale[kk].begin(), f.bn_scale[kk].end())) ||
          !std::isfinite(max_abs(f.bn_shift[kk].begin(), f.bn_shift[kk].end())))
        throw InputError(who + ": layer '" + l.name + "' has a non-finite batch norm");
    q.in_shift = qn.tensor_shift(l.in_ids[0]);
    // One scale for the full width, so every width configuration reads the same stored integers.
    q.w_shift = w_max > 0 ? std::clamp(largest_shift(w_max, qmax), -31, 31) : bits - 1;
    // The int32 accumulator wraps around (core/int_arith.h). At 8 bits the bound below holds by
    // a wide margin; at 16 bits a full-scale 800-term dot product would need 41 bits, so the
    // weights give up resolution until no input can make it wrap.
    quantize_tensors(f, q.w_shift, q.in_shift + q.w_shift, bits, q);
    while (!accumulator_cannot_wrap(q, bits) && q.w_shift > -31) {
      --q.w_shift;
      quantize_tensors(f, q.w_shift, q.in_shift + q.w_shift, bits, q);
    }
    const int acc_shift = q.in_shift + q.w_shift;  // scale exponent of the accumulator
    if (l.is_classifier) {
      q.out_shift = acc_shift;  // logits are the accumulator itself
      continue;
    }
    if (!std::isfinite(act_max[i])) throw InputError(who + ": layer '" + l.name + "' has non-finite activations");
    const int wanted = activation_shift(i, q.in_shift);
    const bool per_channel = opts.per_channel;
    if (f.bn_scale.empty() && !per_channel) {
      // The post-processing unit only shifts right, by 0..31: an output cannot be finer than the
      // accumulator (requant 0 keeps all its bits), and a coarser one than acc_shift − 31
      // saturates instead.
      q.out_shift = std::clamp(wanted, acc_shift - 31, acc_shift);
      continue;
    }
    q.out_shift = wanted;
    const bool bn = !f.bn_scale.empty();
    std::vector<int> w_row(std::size_t(l.out.c), q.w_shift);  // weight scale exponent per output channel
    if (per_channel) {
      // Weights of channel n at their own scale 2^w_n; the per-channel post shift (or, with a
      // batch norm per width, the per-channel multiplier) realigns.
      const std::size_t rows = std::size_t(l.out.c), cols = f.weight.size() / rows;
      // Without a batch norm the post shift must stay a right shift of 0..31; with one, the
      // multiplier absorbs any scale.
      const int w_lo = bn ? -31 : q.out_shift - q.in_shift, w_hi = bn ? 31 : q.out_shift - q.in_shift + 31;
      PostScale p;
      std::vector<std::int16_t>& wq = q.weight.edit();  // rescaled row by row, compacted after
      for (std::size_t n = 0; n < rows; ++n) {
        const double m = max_abs(f.weight.begin() + std::ptrdiff_t(n * cols), f.weight.begin() + std::ptrdiff_t((n + 1) * cols));
        int w_n = m > 0 ? std::clamp(largest_shift(m, qmax), -31, 31) : q.w_shift;
        // Never finer than the accumulator can hold, never coarser than a 31-bit right shift.
        w_n = std::clamp(w_n, w_lo, w_hi);
        auto quantize_row = [&](int ws) {
          for (std::size_t j = 0; j < cols; ++j)
            wq[n * cols + j] = static_cast<std::int16_t>(arith::quantize_value(f.weight[n * cols + j], ws, bits));
          q.bias[n] = quantize_bias(f.bias[n], q.in_shift + ws);
        };
        quantize_row(w_n);
        std::int64_t sum = 0;
        for (std::size_t j = 0; j < cols; ++j) sum += std::abs(std::int64_t(wq[n * cols + j]));
        while (w_n > w_lo &&
               std::abs(std::int64_t(q.bias[n])) + (sum << (bits - 1)) > std::numeric_limits<std::int32_t>::max()) {
          quantize_row(--w_n);
          sum = 0;
          for (std::size_t j = 0; j < cols; ++j) sum += std::abs(std::int64_t(wq[n * cols + j]));
        }
        w_row[n] = w_n;
        p.mult.push_back(1);
        p.add.push_back(0);
        p.shift.push_back(q.in_shift + w_n - q.out_shift);
      }
      q.weight.compact();
      if (!bn) {
        q.post.push_back(std::move(p));
        continue;
      }
    }
    // A batch norm per width: y = acc·2^-acc_shift·scale + shift, at scale 2^-out_shift, as
    // (acc·mult + add) >> ms with a 16-bit multiplier (acc_shift per channel with per_channel).
    for (std::size_t kk = 0; kk < f.bn_scale.size(); ++kk) {
      PostScale p;
      for (std::size_t n = 0; n < std::size_t(l.out.c); ++n) {
        const double factor = std::ldexp(double(f.bn_scale[kk][n]), q.out_shift - (q.in_shift + w_row[n]));
        const double offset = std::ldexp(double(f.bn_shift[kk][n]), q.out_shift);
        // The finest multiplier that stays within 16 bits while the offset stays within 32.
        int ms = 0;
        while (ms < 46 && std::fabs(std::ldexp(factor, ms + 1)) < 32767.0 &&
               std::fabs(std::ldexp(offset, ms + 1)) < 2147483647.0)
          ++ms;
        if (std::fabs(std::ldexp(offset, ms)) >= 2147483647.0 || std::fabs(std::ldexp(factor, ms)) >= 1073741824.0)
          throw InputError(who + ": layer '" + l.name + "': batch norm of width " + std::to_string(kk + 1) +
                           " does not fit the post-processing unit's multiplier");
        p.mult.push_back(std::int32_t(std::lround(std::ldexp(factor, ms))));
        p.add.push_back(std::int32_t(std::lround(std::ldexp(offset, ms))));
        p.shift.push_back(ms);
      }
      q.post.push_back(std::move(p));
    }
  }
  qn.metadata["quantization"] = "power-of-two scales, " + std::to_string(bits) + " bits";
  qn.metadata["calibration"] = calibration.name + ", first " + std::to_string(n) + " images, widths 1.." +
                               std::to_string(qn.net.width_groups);
  qn.validate();
}

}  // namespace rcsim
