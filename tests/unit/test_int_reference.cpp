// The integer reference: hand-computed tiny cases pin the definition (core/int_arith.h), and the
// fast im2col+GEMM implementation must equal the naive loops bit for bit on every layer and width.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <thread>

#include "core/errors.h"
#include "core/int_arith.h"
#include "core/network_yaml.h"
#include "host/int_gemm.h"
#include "host/int_reference.h"
#include "support/blank_networks.h"

using namespace rcsim;

namespace {

using Outs = std::vector<std::vector<std::int32_t>>;

/// Both implementations, checked against each other before the test checks the numbers.
Outs both(const QuantizedNetwork& qn, int k, const std::vector<std::int32_t>& img) {
  const Outs fast = int_forward(qn, k, img);
  const Outs naive = int_forward_naive(qn, k, img);
  EXPECT_EQ(fast, naive);
  return naive;
}

const char* kTinyYaml = R"(
name: tiny
input: {channels: 1, height: 3, width: 3}
width_groups: 1
layers:
  - {name: conv, type: conv, out_channels: 1, kernel: 3, stride: 1, pad: 1, relu: false}
  - {name: pool, type: maxpool, kernel: 2, stride: 2}
  - {name: cls, type: fc, out_features: 1}
)";

/// x = 1..9, conv weights all `w`, bias `b`, requant shift 2; pool 2x2 → 1x1; classifier weight 1, bias 100.
QuantizedNetwork tiny(int w, int b, bool relu) {
  QuantizedNetwork qn = test::blank_quant_network(kTinyYaml, 8);
  qn.net.layers[0].relu = relu;
  auto& c = qn.quant_params[0];
  std::fill(c.weight.edit().begin(), c.weight.edit().end(), std::int16_t(w));
  c.bias[0] = b;
  c.in_shift = 0;
  c.w_shift = 2;
  c.out_shift = 0;  // requant shift 2: divide by 4
  auto& f = qn.quant_params[2];
  f.weight.edit()[0] = 1;
  f.bias[0] = 100;
  return qn;
}

const std::vector<std::int32_t> kOneToNine = {1, 2, 3, 4, 5, 6, 7, 8, 9};

}  // namespace

TEST(IntReference, ConvWithPaddingRoundsHalfAwayFromZero) {
  // Sums of the 3x3 neighbourhoods of [[1,2,3],[4,5,6],[7,8,9]] with zero padding:
  //   12 21 16 / 27 45 33 / 24 39 28.  Minus bias 2, divided by 4, rounded half away from zero:
  //   10/4=2.5→3  19/4=4.75→5  14/4=3.5→4 / 25/4=6.25→6  43/4=10.75→11  31/4=7.75→8 /
  //   22/4=5.5→6  37/4=9.25→9  26/4=6.5→7
  const Outs out = both(tiny(1, -2, false), 1, kOneToNine);
  EXPECT_EQ(out[0], (std::vector<std::int32_t>{3, 5, 4, 6, 11, 8, 6, 9, 7}));
  // Pool: 2x2 window at the top-left of the 3x3 map (floor output size 1x1): max(3,5,6,11).
  EXPECT_EQ(out[1], (std::vector<std::int32_t>{11}));
  // Classifier: the int32 accumulator 100 + 1·11, no requantization.
  EXPECT_EQ(out[2], (std::vector<std::int32_t>{111}));
}

TEST(IntReference, NegativeTiesRoundAwayFromZeroAndReluClamps) {
  // Weights −1, bias +2: the negated accumulators −10 → −2.5 → −3 (half-up would give −2), …
  const Outs out = both(tiny(-1, 2, false), 1, kOneToNine);
  EXPECT_EQ(out[0], (std::vector<std::int32_t>{-3, -5, -4, -6, -11, -8, -6, -9, -7}));
  EXPECT_EQ(out[1], (std::vector<std::int32_t>{-3}));  // max(−3,−5,−6,−11)
  EXPECT_EQ(out[2], (std::vector<std::int32_t>{97}));
  const Outs relu = both(tiny(-1, 2, true), 1, kOneToNine);
  EXPECT_EQ(relu[0], std::vector<std::int32_t>(9, 0));
  EXPECT_EQ(relu[2], (std::vector<std::int32_t>{100}));
}

TEST(IntReference, SaturatesToPrecision) {
  // Every pixel 127, weights 127, bias 0, shift 3: the centre sums 9·127·127 = 145161,
  // /8 = 18145.1 → 18145 fits 16 bits but saturates to 127 at 8 bits; a corner sums 4 taps:
  // 64516/8 = 8064.5 → 8065.
  for (int bits : {8, 16}) {
    QuantizedNetwork qn = tiny(127, 0, false);
    qn.bits = bits;
    qn.quant_params[0].w_shift = 3;
    const Outs out = both(qn, 1, std::vector<std::int32_t>(9, 127));
    EXPECT_EQ(out[0][4], bits == 8 ? 127 : 18145);
    EXPECT_EQ(out[0][0], bits == 8 ? 127 : 8065);
  }
  // And to the negative end: −128 is representable, −129 is not.
  QuantizedNetwork qn = tiny(-127, 0, false);
  qn.quant_params[0].w_shift = 3;
  EXPECT_EQ(both(qn, 1, std::vector<std::int32_t>(9, 127))[0][4], -128);
}

TEST(IntReference, ClassifierAccumulatorWrapsAroundLikeInt32Hardware) {
  // 64 inputs of −32768 (16-bit): each product (−32768)·w is exact in int32, the sum wraps.
  QuantizedNetwork qn = test::blank_quant_network(R"(
name: wrap
input: {channels: 64, height: 1, width: 1}
width_groups: 1
layers:
  - {name: cls, type: fc, out_features: 3}
)", 16);
  auto& q = qn.quant_params[0];
  for (int j = 0; j < 64; ++j) {
    q.weight.edit()[0 * 64 + j] = -32768;                     // 64·2^30 = 2^36 ≡ 0 (mod 2^32)
    q.weight.edit()[1 * 64 + j] = j == 63 ? 0 : -32768;       // 63·2^30 ≡ 3·2^30 ≡ −2^30
    q.weight.edit()[2 * 64 + j] = 32767;                      // −64·32767·32768 = −2^36 + 2^21 ≡ 2^21
  }
  q.bias = {5, 5, 0};
  const Outs out = both(qn, 1, std::vector<std::int32_t>(64, -32768));
  EXPECT_EQ(out[0], (std::vector<std::int32_t>{5, -1073741824 + 5, 2097152}));
}

TEST(IntReference, HiddenAccumulatorWrapsBeforeRequantization) {
  // 16 channels × 3x3 taps of (−32768)·(−32768) = 2^30 each: the centre sums 144·2^30 = 36·2^32,
  // an edge 96·2^30, a corner 64·2^30 — all ≡ 0 (mod 2^32). With bias 7 and shift 0 every output
  // is 7, where exact arithmetic would saturate to 32767.
  QuantizedNetwork qn = test::blank_quant_network(R"(
name: wrapconv
input: {channels: 16, height: 4, width: 4}
width_groups: 1
layers:
  - {name: conv, type: conv, out_channels: 5, kernel: 3, pad: 1, relu: false}
  - {name: cls, type: fc, out_features: 1}
)", 16);
  auto& c = qn.quant_params[0];
  std::fill(c.weight.edit().begin(), c.weight.edit().end(), std::int16_t(-32768));
  std::fill(c.bias.begin(), c.bias.end(), 7);
  const Outs out = both(qn, 1, std::vector<std::int32_t>(16 * 16, -32768));
  EXPECT_EQ(out[0], std::vector<std::int32_t>(5 * 16, 7));
}

TEST(IntReference, WidthUsesPrefixOfChannelsAndFeatures) {
  // Two conv channels in two width groups; the classifier sees channel 0's 4 features at width 1
  // and both channels' 8 at width 2 (CHW flatten).
  QuantizedNetwork qn = test::blank_quant_network(R"(
name: widths
input: {channels: 1, height: 2, width: 2}
width_groups: 2
layers:
  - {name: conv, type: conv, out_channels: 2, kernel: 1, relu: false}
  - {name: cls, type: fc, out_features: 1}
)", 8);
  auto& c = qn.quant_params[0];
  c.weight = {2, 3};  // channel 0 doubles, channel 1 triples; shift 0
  auto& f = qn.quant_params[1];
  f.weight = {1, 1, 1, 1, 10, 10, 10, 10};
  f.bias = {0};
  const std::vector<std::int32_t> img = {1, 2, 3, 4};
  const Outs w1 = both(qn, 1, img);
  EXPECT_EQ(w1[0], (std::vector<std::int32_t>{2, 4, 6, 8}));
  EXPECT_EQ(w1[1], (std::vector<std::int32_t>{20}));
  const Outs w2 = both(qn, 2, img);
  EXPECT_EQ(w2[0], (std::vector<std::int32_t>{2, 4, 6, 8, 3, 6, 9, 12}));
  EXPECT_EQ(w2[1], (std::vector<std::int32_t>{20 + 10 * 30}));
}

TEST(IntReference, QuantizeImageRoundsHalfAwayAndSaturates) {
  QuantizedNetwork qn = test::blank_quant_network(kTinyYaml, 8);
  qn.input_shift = 7;
  const float img[9] = {0.0f, 0.5f, 1.0f, 1.0f / 256, -1.0f / 256, -1.0f, -2.0f, 0.25f, 0.999f};
  // ·128: 0, 64, 128→127, 0.5→1, −0.5→−1, −128, −256→−128, 32, 127.87→128→127
  EXPECT_EQ(quantize_image(qn, img), (std::vector<std::int32_t>{0, 64, 127, 1, -1, -128, -128, 32, 127}));
}

TEST(IntReference, RejectsBadInputs) {
  const QuantizedNetwork qn = tiny(1, 0, false);
  EXPECT_THROW(int_forward(qn, 0, kOneToNine), InputError);
  EXPECT_THROW(int_forward(qn, 2, kOneToNine), InputError);
  EXPECT_THROW(int_forward(qn, 1, std::vector<std::int32_t>(8, 0)), InputError);
  EXPECT_THROW(int_forward(qn, 1, std::vector<std::int32_t>(9, 128)), InputError);  // not 8 bits
  EXPECT_THROW(int_forward_naive(qn, 1, std::vector<std::int32_t>(9, -129)), InputError);
  EXPECT_THROW(int_layer_forward(qn, 3, 1, kOneToNine), InputError);
  QuantizedNetwork broken = qn;
  broken.quant_params[0].weight.edit().pop_back();
  EXPECT_THROW(int_forward(broken, 1, kOneToNine), InputError);
  EXPECT_THROW(int_forward_naive(broken, 1, kOneToNine), InputError);
  broken = qn;
  broken.quant_params[0].out_shift = 5;  // requant shift −3
  EXPECT_THROW(int_forward(broken, 1, kOneToNine), InputError);
}

TEST(IntReference, VectorizedRequantizeEqualsDefinition) {
  // Every shift 0..31, both ReLU settings, both precisions, on the int32 extremes and on the
  // values around each rounding tie (±(m + ½)·2^shift) where half-up, half-even and
  // half-away-from-zero differ.
  std::vector<std::int32_t> acc = {INT32_MIN, INT32_MIN + 1, -1, 0, 1, INT32_MAX - 1, INT32_MAX};
  for (int s = 0; s < 31; ++s)
    for (std::int64_t m : {0, 1, 2, 3, 127, 128, 32767, 32768})
      for (int d : {-1, 0, 1}) {
        const std::int64_t v = ((2 * m + 1) << s) / 2 + d;
        if (v <= INT32_MAX) {
          acc.push_back(std::int32_t(v));
          acc.push_back(std::int32_t(-v));
        }
      }
  std::mt19937_64 rng(3);
  for (int j = 0; j < 2000; ++j) acc.push_back(std::int32_t(rng()));
  for (int bits : {8, 16})
    for (bool relu : {false, true})
      for (int shift = 0; shift <= 31; ++shift) {
        std::vector<std::int32_t> y = acc;
        std::vector<std::int16_t> y16(acc.size());
        intgemm::requantize(y.data(), y16.data(), y.size(), shift, relu, bits);
        for (std::size_t j = 0; j < acc.size(); ++j) {
          const std::int32_t want = arith::requantize(acc[j], shift, relu, bits);
          ASSERT_EQ(y[j], want) << "acc " << acc[j] << " shift " << shift << " relu " << relu << " bits " << bits;
          ASSERT_EQ(y16[j], want);
        }
      }
}

TEST(IntReference, VectorizedRequantizeAffineEqualsDefinition) {
  // The int32 extremes, values around rounding ties, random accumulators; multipliers and
  // offsets at their extremes; every shift 0..62 (and a negative one: no shift); ReLU/ReLU6-like
  // and full-range clamps at 8 and 16 bits.
  std::vector<std::int32_t> acc = {INT32_MIN, INT32_MIN + 1, -3, -2, -1, 0, 1, 2, 3, INT32_MAX - 1, INT32_MAX};
  std::mt19937_64 rng(5);
  for (int j = 0; j < 300; ++j) acc.push_back(std::int32_t(rng()));
  for (int j = 0; j < 300; ++j) acc.push_back(std::int32_t(rng() % 20001) - 10000);
  const std::vector<std::int32_t> mults = {1, 2, 3, -1, 12345, -98765, INT32_MAX, INT32_MIN};
  const std::vector<std::int32_t> adds = {0, 1, -1, 1 << 20, -(1 << 20), INT32_MAX, INT32_MIN};
  const std::vector<std::pair<std::int32_t, std::int32_t>> clamps = {{-128, 127}, {0, 127}, {0, 96}, {-32768, 32767}};
  for (std::int32_t mult : mults)
    for (std::int32_t add : adds)
      for (int shift = -1; shift <= 62; ++shift)
        for (const auto& [lo, hi] : clamps) {
          std::vector<std::int32_t> y = acc;
          std::vector<std::int16_t> y16(acc.size());
          intgemm::requantize_affine(y.data(), y16.data(), y.size(), mult, add, shift, lo, hi);
          for (std::size_t j = 0; j < acc.size(); ++j) {
            const std::int32_t want = arith::requantize_affine(acc[j], mult, add, shift, lo, hi);
            ASSERT_EQ(y[j], want) << "acc " << acc[j] << " mult " << mult << " add " << add << " shift " << shift;
            ASSERT_EQ(y16[j], want);
          }
        }
}

// --- fast == naive on the shipped networks and on awkward shapes ----------------------------

namespace {

std::vector<std::int32_t> random_image(const QuantizedNetwork& qn, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> d(arith::qmin(qn.bits), arith::qmax(qn.bits));
  std::vector<std::int32_t> img(qn.net.input.size());
  for (auto& v : img) v = d(rng);
  return img;
}

/// Fast and naive agree on every layer at every width, whole network and layer by layer; the
/// outputs are not degenerate (a test that compares constants could not fail).
void expect_fast_equals_naive(const Network& net, int bits, std::uint64_t seed) {
  SCOPED_TRACE(net.name + " bits " + std::to_string(bits) + " seed " + std::to_string(seed));
  const QuantizedNetwork qn = random_quantized_network(net, bits, seed);
  std::mt19937_64 rng(seed * 7919 + 1);
  for (int k = 1; k <= net.width_groups; ++k) {
    SCOPED_TRACE("width " + std::to_string(k));
    const std::vector<std::int32_t> img = random_image(qn, rng);
    const Outs fast = int_forward(qn, k, img);
    const Outs naive = int_forward_naive(qn, k, img);
    ASSERT_EQ(fast.size(), net.layers.size());
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
      ASSERT_EQ(fast[i].size(), std::size_t(net.out_shape(i, k).size())) << net.layers[i].name;
      EXPECT_EQ(fast[i], naive[i]) << "layer " << net.layers[i].name;
      const std::vector<std::int32_t>& in = i == 0 ? img : naive[i - 1];
      EXPECT_EQ(int_layer_forward(qn, i, k, in), naive[i]) << "layer " << net.layers[i].name;
      // Small ReLU layers may legitimately be mostly zero; a large one must not be constant.
      const std::set<std::int32_t> distinct(naive[i].begin(), naive[i].end());
      if (naive[i].size() >= 32) EXPECT_GE(distinct.size(), 3u) << "degenerate layer " << net.layers[i].name;
    }
  }
}

}  // namespace

TEST(IntReferenceFastEqualsNaive, MnistLenet) {
  const Network net = load_network("mnist_lenet");
  for (int bits : {8, 16})
    for (std::uint64_t seed : {1, 2, 3}) expect_fast_equals_naive(net, bits, seed);
}

TEST(IntReferenceFastEqualsNaive, Cifar10Quick) {
  const Network net = load_network("cifar10_quick");
  for (int bits : {8, 16})
    for (std::uint64_t seed : {1, 2}) expect_fast_equals_naive(net, bits, seed);
}

TEST(IntReferenceFastEqualsNaive, Svhn) {
  const Network net = load_network("svhn");
  for (int bits : {8, 16})
    for (std::uint64_t seed : {4, 5}) expect_fast_equals_naive(net, bits, seed);
}

TEST(IntReferenceFastEqualsNaive, OddShapesStridesAndPools) {
  // Kernel sizes, strides and channel counts that leave tails in every GEMM dimension
  // (K not a multiple of 16, pixels not a multiple of 4, channel blocks of 1..3), a 3x3/2 pool
  // with floor rounding, stacked fc layers, and a first layer that is a pool.
  const Network net = parse_network(R"(
name: odd
input: {channels: 3, height: 13, width: 11}
width_groups: 3
layers:
  - {name: pool0, type: maxpool, kernel: 2, stride: 1}
  - {name: conv1, type: conv, out_channels: 7, kernel: 3, stride: 2, pad: 1, relu: true}
  - {name: conv2, type: conv, out_channels: 10, kernel: 2, stride: 1, pad: 1, relu: false}
  - {name: pool2, type: maxpool, kernel: 3, stride: 2}
  - {name: conv3, type: conv, out_channels: 5, kernel: 1, stride: 1, relu: true}
  - {name: fc1, type: fc, out_features: 9, relu: true}
  - {name: fc2, type: fc, out_features: 6, relu: false}
  - {name: cls, type: fc, out_features: 4}
)", "odd.yaml");
  for (int bits : {8, 16})
    for (std::uint64_t seed : {1, 2, 3, 4}) expect_fast_equals_naive(net, bits, seed);
}

TEST(IntReferenceFastEqualsNaive, ConcurrentCallsAgree) {
  // Callers such as `rcsim eval` run int_forward on several threads; its scratch buffers are per
  // thread, so interleaved calls on different networks and widths must not disturb each other.
  const QuantizedNetwork lenet = random_quantized_network(load_network("mnist_lenet"), 8, 9);
  const QuantizedNetwork cifar = random_quantized_network(load_network("cifar10_quick"), 16, 9);
  std::mt19937_64 rng(1);
  const std::vector<std::int32_t> img_l = random_image(lenet, rng), img_c = random_image(cifar, rng);
  const Outs want_l = int_forward_naive(lenet, 3, img_l), want_c = int_forward_naive(cifar, 2, img_c);
  bool ok[2] = {true, true};
  auto run = [&](int t) {
    for (int rep = 0; rep < 20; ++rep)
      ok[t] = ok[t] && (t == 0 ? int_forward(lenet, 3, img_l) == want_l : int_forward(cifar, 2, img_c) == want_c);
  };
  std::thread other(run, 1);
  run(0);
  other.join();
  EXPECT_TRUE(ok[0]);
  EXPECT_TRUE(ok[1]);
}
