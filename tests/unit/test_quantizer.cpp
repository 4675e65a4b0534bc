// The quantizer: shifts on constructed weights, range clamps, and float ≈ int8 on a network.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/errors.h"
#include "core/network_yaml.h"
#include "host/float_reference.h"
#include "host/int_reference.h"
#include "host/quantizer.h"
#include "support/blank_networks.h"

using namespace rcsim;

namespace {

/// He-initialised float weights and small biases: activations of a plausible trained scale.
QuantizedNetwork random_float_network(const Network& net, std::uint64_t seed) {
  QuantizedNetwork qn;
  qn.net = net;
  qn.float_params.resize(net.layers.size());
  std::mt19937_64 rng(seed);
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    if (!l.has_weights()) continue;
    const double fan_in = double(full_weight_count(l)) / l.out.c;
    std::normal_distribution<float> w(0.0f, float(std::sqrt(2.0 / fan_in)));
    std::normal_distribution<float> b(0.0f, 0.05f);
    for (std::int64_t j = 0; j < full_weight_count(l); ++j) qn.float_params[i].weight.push_back(w(rng));
    for (int j = 0; j < l.out.c; ++j) qn.float_params[i].bias.push_back(b(rng));
  }
  return qn;
}

Dataset images(const std::string& name, Shape3 shape, std::vector<float> pixels) {
  Dataset d;
  d.name = name;
  d.shape = shape;
  d.pixels = std::move(pixels);
  d.labels.assign(d.pixels.size() / shape.size(), 0);
  return d;
}

const char* kSmallYaml = R"(
name: small
input: {channels: 1, height: 2, width: 2}
width_groups: 1
layers:
  - {name: conv, type: conv, out_channels: 2, kernel: 1, relu: true}
  - {name: cls, type: fc, out_features: 2}
)";

}  // namespace

TEST(Quantizer, ShiftsWeightsAndBiasesOnConstructedNetwork) {
  QuantizedNetwork qn = test::blank_float_network(kSmallYaml);
  qn.float_params[0].weight = {2.0f, -0.5f};  // channel 0 = 2x + 0.25, channel 1 = ReLU(−0.5x) = 0
  qn.float_params[0].bias = {0.25f, 0.0f};
  qn.float_params[1].weight.assign(2 * 8, 0.0f);  // [2 logits][2 channels · 2·2 pixels]
  const float row0[4] = {1.0f, 0.3f, -0.7f, 0.1f};
  for (int j = 0; j < 4; ++j) qn.float_params[1].weight[j] = row0[j];
  qn.float_params[1].bias = {0.3f, -2.5f / 2048};
  const Dataset cal = images("cal", {1, 2, 2}, {0.0f, 0.5f, 1.0f, 0.25f, 0.1f, 0.2f, 0.3f, 0.4f});
  quantize(qn, cal, QuantizerOptions{8, 500});
  EXPECT_EQ(qn.bits, 8);
  EXPECT_EQ(qn.input_shift, 7);  // pixel max 1.0 → 1.0·2^7 = 128 saturates to 127, by design
  const QuantLayerParams& c = qn.quant_params[0];
  EXPECT_EQ(c.in_shift, 7);
  EXPECT_EQ(c.w_shift, 5);    // max|w| 2: 2·2^5 = 64 ≤ 127 < 2·2^6
  EXPECT_EQ(c.out_shift, 5);  // max activation 2·1 + 0.25 = 2.25: 72 ≤ 127 < 144
  EXPECT_EQ(c.requant_shift(), 7);
  EXPECT_EQ(c.weight, (std::vector<std::int16_t>{64, -16}));
  EXPECT_EQ(c.bias, (std::vector<std::int32_t>{1024, 0}));  // 0.25·2^12
  const QuantLayerParams& f = qn.quant_params[1];
  EXPECT_EQ(f.in_shift, 5);
  EXPECT_EQ(f.w_shift, 6);       // max|w| 1: 64 ≤ 127 < 128
  EXPECT_EQ(f.out_shift, 5 + 6);  // classifier: the accumulator's scale, requant 0
  // 1·64, 0.3·64 = 19.2 → 19, −0.7·64 = −44.8 → −45, 0.1·64 = 6.4 → 6
  const std::vector<std::int16_t> fw = f.weight.values();
  EXPECT_EQ(std::vector<std::int16_t>(fw.begin(), fw.begin() + 4), (std::vector<std::int16_t>{64, 19, -45, 6}));
  EXPECT_EQ(f.bias, (std::vector<std::int32_t>{614, -3}));  // 0.3·2048 = 614.4; −2.5 → −3 (half away)
  EXPECT_NO_THROW(qn.validate());

  quantize(qn, cal, QuantizerOptions{16, 500});
  EXPECT_EQ(qn.input_shift, 15);
  EXPECT_EQ(qn.quant_params[0].w_shift, 13);  // 2·2^13 = 16384 ≤ 32767 < 32768
  EXPECT_EQ(qn.quant_params[0].weight, (std::vector<std::int16_t>{16384, -4096}));
}

TEST(Quantizer, CalibrationCoversEveryWidth) {
  // hidden0 = 4·conv0 − 2·conv1 is 4 at width 1 (conv1 inactive) but 0 at width 2: its largest
  // value is seen only at the narrow width, and must set the scale.
  QuantizedNetwork qn = test::blank_float_network(R"(
name: two
input: {channels: 1, height: 1, width: 1}
width_groups: 2
layers:
  - {name: conv, type: conv, out_channels: 2, kernel: 1, relu: false}
  - {name: hidden, type: fc, out_features: 2, relu: false}
  - {name: cls, type: fc, out_features: 1}
)");
  qn.float_params[0].weight = {1.0f, 2.0f};              // conv0 = x, conv1 = 2x
  qn.float_params[1].weight = {4.0f, -2.0f, 0.0f, 1.0f};  // hidden1 = conv1 = 2 (width 2 only)
  qn.float_params[2].weight = {1.0f, 1.0f};
  const Dataset cal = images("cal", {1, 1, 1}, {1.0f});
  quantize(qn, cal, QuantizerOptions{8, 0});
  EXPECT_EQ(qn.quant_params[0].out_shift, 5);  // conv max 2 (width 2): 2·2^5 = 64 ≤ 127 < 128
  EXPECT_EQ(qn.quant_params[1].out_shift, 4);  // hidden max 4 (width 1): 64 ≤ 127; width 2 alone would give 5
}

TEST(Quantizer, SixteenBitWeightsGiveUpResolutionSoNoAccumulatorWraps) {
  // 64 inputs, all weights 1.0: max|w| alone would give w_shift 14 (16384), but then 64 inputs at
  // the 16-bit limit 2^15 sum to 64·2^14·2^15 = 2^35. Σ|w_q|·2^15 ≤ 2^31 − 1 allows 64·2^9 only.
  QuantizedNetwork qn = test::blank_float_network(R"(
name: wide
input: {channels: 64, height: 1, width: 1}
width_groups: 1
layers:
  - {name: cls, type: fc, out_features: 1}
)");
  std::fill(qn.float_params[0].weight.begin(), qn.float_params[0].weight.end(), 1.0f);
  const Dataset cal = images("cal", {64, 1, 1}, std::vector<float>(64, 1.0f));
  quantize(qn, cal, QuantizerOptions{16, 0});
  EXPECT_EQ(qn.input_shift, 15);
  EXPECT_EQ(qn.quant_params[0].w_shift, 9);
  // The worst input (every value at −2^15) gives the exact sum −64·512·32768 = −2^30: no wrap.
  EXPECT_EQ(int_forward(qn, 1, std::vector<std::int32_t>(64, -32768)).back()[0], -(1 << 30));
  // At 8 bits the same layer keeps full weight resolution: 64·64·128 is far below 2^31.
  quantize(qn, cal, QuantizerOptions{8, 0});
  EXPECT_EQ(qn.quant_params[0].w_shift, 6);
}

TEST(Quantizer, RequantShiftIsClampedToHardwareRange) {
  const char* yaml = R"(
name: clamp
input: {channels: 2, height: 1, width: 1}
width_groups: 1
layers:
  - {name: cancel, type: conv, out_channels: 1, kernel: 1, relu: false}
  - {name: huge, type: fc, out_features: 1, relu: false}
  - {name: cls, type: fc, out_features: 1}
)";
  QuantizedNetwork qn = test::blank_float_network(yaml);
  // 1e-6 + x0 − x1 with x0 = x1: outputs are ~1e-6, which would want a left shift
  // (out_shift ≈ 26 > in_shift + w_shift = 13).
  qn.float_params[0].weight = {1.0f, -1.0f};
  qn.float_params[0].bias = {1e-6f};
  // A bias of 1e9 wants out_shift −23, a right shift by 7+6+23 = 36 > 31.
  qn.float_params[1].weight = {1.0f};
  qn.float_params[1].bias = {1e9f};
  qn.float_params[2].weight = {1.0f};
  const Dataset cal = images("cal", {2, 1, 1}, {0.5f, 0.5f, 1.0f, 1.0f});
  quantize(qn, cal, QuantizerOptions{8, 500});
  EXPECT_EQ(qn.quant_params[0].requant_shift(), 0);
  EXPECT_EQ(qn.quant_params[1].requant_shift(), 31);
  EXPECT_EQ(qn.quant_params[1].bias[0], std::numeric_limits<std::int32_t>::max());  // saturated
  EXPECT_NO_THROW(qn.validate());
}

TEST(Quantizer, RejectsBadInputs) {
  QuantizedNetwork qn = test::blank_float_network(kSmallYaml);
  const Dataset cal = images("cal", {1, 2, 2}, {0.0f, 0.5f, 1.0f, 0.25f});
  EXPECT_THROW(quantize(qn, cal, QuantizerOptions{12, 500}), InputError);
  EXPECT_THROW(quantize(qn, images("wrong", {1, 1, 4}, {0, 0, 0, 0}), QuantizerOptions{8, 500}), InputError);
  EXPECT_THROW(quantize(qn, images("empty", {1, 2, 2}, {}), QuantizerOptions{8, 500}), InputError);
  QuantizedNetwork no_float = qn;
  no_float.float_params.clear();
  EXPECT_THROW(quantize(no_float, cal, QuantizerOptions{8, 500}), InputError);
  QuantizedNetwork short_weights = qn;  // float_forward throws inside the calibration threads
  short_weights.float_params[1].weight.pop_back();
  EXPECT_THROW(quantize(short_weights, cal, QuantizerOptions{8, 500}), InputError);
  QuantizedNetwork nan_weight = qn;
  nan_weight.float_params[0].weight[1] = std::nanf("");
  EXPECT_THROW(quantize(nan_weight, cal, QuantizerOptions{8, 500}), InputError);
  EXPECT_THROW(quantize(qn, images("nan", {1, 2, 2}, {0.0f, std::nanf(""), 1.0f, 0.25f}), QuantizerOptions{8, 500}),
               InputError);
}

namespace {

/// At one width, over the test images: largest |float logit − dequantized int logit| relative to
/// the largest |float logit|, and the fraction of images whose argmax agrees.
struct Agreement {
  double rel_err = 0;
  double argmax_agree = 0;
};

Agreement compare(const QuantizedNetwork& qn, int k, const Dataset& test) {
  const int cls = int(qn.net.layers.size()) - 1;
  const double scale = std::ldexp(1.0, -qn.quant_params[cls].out_shift);
  double fmax = 0, err = 0;
  int agree = 0;
  for (std::size_t n = 0; n < test.size(); ++n) {
    const auto f = float_forward(qn, k, test.image(n)).back();
    const auto q = int_forward(qn, k, quantize_image(qn, test.image(n))).back();
    for (std::size_t j = 0; j < f.size(); ++j) {
      fmax = std::max(fmax, double(std::fabs(f[j])));
      err = std::max(err, std::fabs(double(f[j]) - q[j] * scale));
    }
    agree += argmax(f) == argmax(q);
  }
  return Agreement{err / fmax, double(agree) / test.size()};
}

}  // namespace

TEST(Quantizer, Int8AndInt16FollowTheFloatNetwork) {
  // Random He-initialised networks on uniform-noise images (no dataset needed). Narrow widths
  // of an untrained network have small logits, so their relative error is the largest.
  for (const char* name : {"mnist_lenet", "cifar10_quick"}) {
    QuantizedNetwork qn = random_float_network(load_network(name), 11);
    const Dataset cal = random_images(qn.net.input, 48, 1);
    const Dataset test = random_images(qn.net.input, 24, 2);
    QuantizedNetwork q8 = qn, q16 = qn;
    quantize(q8, cal, QuantizerOptions{8, 0});
    quantize(q16, cal, QuantizerOptions{16, 0});
    for (const QuantizedNetwork* q : {&q8, &q16}) {
      EXPECT_NO_THROW(q->validate());
      for (std::size_t i = 0; i < q->net.layers.size(); ++i)
        if (q->net.layers[i].has_weights() && !q->net.layers[i].is_classifier) {
          EXPECT_GE(q->quant_params[i].requant_shift(), 0);
          EXPECT_LE(q->quant_params[i].requant_shift(), 31);
        }
    }
    for (int k = 1; k <= qn.net.width_groups; ++k) {
      SCOPED_TRACE(std::string(name) + " width " + std::to_string(k));
      const Agreement a8 = compare(q8, k, test);
      const Agreement a16 = compare(q16, k, test);
      std::printf("%s width %d: int8 rel err %.4f argmax %.3f; int16 rel err %.5f argmax %.3f\n", name, k,
                  a8.rel_err, a8.argmax_agree, a16.rel_err, a16.argmax_agree);
      EXPECT_LT(a8.rel_err, 0.2);
      EXPECT_GE(a8.argmax_agree, 0.85);
      EXPECT_LT(a16.rel_err, 0.02);
      EXPECT_GE(a16.argmax_agree, 0.95);
      // 8 more bits must buy accuracy, though less than 2^8: at 16 bits the weights give up
      // resolution so that no accumulator can wrap (quantizer.cpp).
      EXPECT_LT(a16.rel_err * 2, a8.rel_err);
    }
  }
}
