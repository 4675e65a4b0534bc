// The batched references behind `rcsim eval` (float_logits_batch/_widths, int_logits_batch/_widths)
// give, image by image and width by width, exactly the logits of the one-image references: the
// same floats as float_forward, the same integers as the naive integer definition — also when
// the width-invariant nodes are shared between widths, and when per-width batch norm / post
// scales make them not invariant.
#include <gtest/gtest.h>

#include <random>

#include "core/errors.h"
#include "core/int_arith.h"
#include "core/network_yaml.h"
#include "host/dataset.h"
#include "host/dataset_logits.h"
#include "host/float_reference.h"
#include "host/int_reference.h"
#include "host/width_invariant.h"

using namespace rcsim;

namespace {

/// Random float weights (and, with `per_width_norm`, a batch norm per width on every weighted
/// node); with `per_width_norm` also per-width integer post-processing scales.
QuantizedNetwork make_network(const Network& net, std::uint64_t seed, bool per_width_norm) {
  QuantizedNetwork qn = random_quantized_network(net, 8, seed);
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> w(0.0f, 0.2f);
  std::uniform_real_distribution<float> scale(0.5f, 1.5f);
  std::uniform_int_distribution<int> mult(1, 4), shift(6, 9);
  qn.float_params.assign(net.layers.size(), {});
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    if (!l.has_weights()) continue;
    FloatLayerParams& f = qn.float_params[i];
    for (std::int64_t j = 0; j < full_weight_count(l); ++j) f.weight.push_back(w(rng));
    for (int c = 0; c < l.out.c; ++c) f.bias.push_back(w(rng));
    if (!per_width_norm || l.is_classifier) continue;
    f.bn_scale.assign(std::size_t(net.width_groups), std::vector<float>(std::size_t(l.out.c)));
    f.bn_shift = f.bn_scale;
    QuantLayerParams& q = qn.quant_params[i];
    q.post.assign(std::size_t(net.width_groups), {});
    for (int g = 0; g < net.width_groups; ++g) {
      for (int c = 0; c < l.out.c; ++c) {
        f.bn_scale[std::size_t(g)][std::size_t(c)] = scale(rng);
        f.bn_shift[std::size_t(g)][std::size_t(c)] = w(rng);
        q.post[std::size_t(g)].mult.push_back(mult(rng));
        q.post[std::size_t(g)].add.push_back(0);
        q.post[std::size_t(g)].shift.push_back(shift(rng));
      }
    }
  }
  return qn;
}

/// Batched logits of `count` random images at every width equal the one-image references.
void expect_batch_equals_single(const Network& net, bool per_width_norm, std::size_t count, bool naive = true) {
  SCOPED_TRACE(net.name + (per_width_norm ? " with per-width norm" : ""));
  const QuantizedNetwork qn = make_network(net, 11, per_width_norm);
  const std::size_t size = std::size_t(net.input.size());
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<float> px(0.0f, 1.0f);
  std::vector<float> images(size * count);
  for (float& v : images) v = px(rng);
  std::vector<std::int32_t> q;
  for (std::size_t b = 0; b < count; ++b) {
    const auto img = quantize_image(qn, images.data() + b * size);
    q.insert(q.end(), img.begin(), img.end());
  }
  std::vector<int> widths;
  for (int k = net.width_groups; k >= 1; --k) widths.push_back(k);  // widest first, and a permutation
  std::swap(widths.front(), widths.back());
  const auto fw = float_logits_widths(qn, widths, images.data(), count);
  const auto iw = int_logits_widths(qn, widths, q.data(), count);
  ASSERT_EQ(fw.size(), widths.size());
  ASSERT_EQ(iw.size(), widths.size());
  const std::size_t classes = std::size_t(net.num_classes());
  for (std::size_t w = 0; w < widths.size(); ++w) {
    const int k = widths[w];
    SCOPED_TRACE("width " + std::to_string(k));
    const auto fb = float_logits_batch(qn, k, images.data(), count);
    const auto ib = int_logits_batch(qn, k, q.data(), count);
    ASSERT_EQ(fb.size(), count * classes);
    ASSERT_EQ(ib.size(), count * classes);
    EXPECT_EQ(fw[w], fb);
    EXPECT_EQ(iw[w], ib);
    for (std::size_t b = 0; b < count; ++b) {
      const std::vector<float> f1 = float_forward(qn, k, images.data() + b * size).back();
      const std::vector<std::int32_t> img(q.begin() + std::ptrdiff_t(b * size), q.begin() + std::ptrdiff_t((b + 1) * size));
      const std::vector<std::int32_t> i1 = naive ? int_forward_naive(qn, k, img).back() : int_forward(qn, k, img).back();
      EXPECT_EQ(f1, std::vector<float>(fb.begin() + std::ptrdiff_t(b * classes), fb.begin() + std::ptrdiff_t((b + 1) * classes)))
          << "image " << b;
      EXPECT_EQ(i1, std::vector<std::int32_t>(ib.begin() + std::ptrdiff_t(b * classes),
                                              ib.begin() + std::ptrdiff_t((b + 1) * classes)))
          << "image " << b;
    }
    // Not degenerate: the images do not all get the same logits.
    EXPECT_NE(std::vector<float>(fb.begin(), fb.begin() + std::ptrdiff_t(classes)),
              std::vector<float>(fb.begin() + std::ptrdiff_t(classes), fb.begin() + std::ptrdiff_t(2 * classes)));
  }
}

}  // namespace

TEST(BatchReference, MnistLenet) {
  const Network net = load_network("mnist_lenet");
  expect_batch_equals_single(net, false, 37);  // not a multiple of any vector or block width
  expect_batch_equals_single(net, true, 5);
}

TEST(BatchReference, GraphNetworks) {
  expect_batch_equals_single(load_network("fmnist_resdw"), false, 6);
  expect_batch_equals_single(load_network("fmnist_resdw"), true, 6);
  expect_batch_equals_single(load_network("graph_blocks"), false, 3, false);
  expect_batch_equals_single(load_network("graph_blocks"), true, 3, false);
}

TEST(BatchReference, OddShapesAndAPoolFirst) {
  const Network net = parse_network(R"(
name: odd
input: {channels: 3, height: 13, width: 11}
width_groups: 3
layers:
  - {name: pool0, type: maxpool, kernel: 2, stride: 1}
  - {name: conv1, type: conv, out_channels: 7, kernel: 3, stride: 2, pad: 1, relu: true}
  - {name: conv2, type: conv, out_channels: 10, kernel: 2, stride: 1, pad: 1, relu: false}
  - {name: pool2, type: avgpool, kernel: 3, stride: 2}
  - {name: fc1, type: fc, out_features: 9, relu: true}
  - {name: cls, type: fc, out_features: 4}
)", "odd.yaml");
  expect_batch_equals_single(net, false, 9);
  expect_batch_equals_single(net, true, 9);
}

// The whole-dataset walk behind the sweep's accuracy column and the cascade outcomes: every
// image and width exactly once, in image order, with int_forward's logits (a dataset of 2.5
// batches, so the last batch is partial).
TEST(DatasetLogits, EveryImageAndWidthGetsIntForwardsLogits) {
  const QuantizedNetwork qn = make_network(load_network("mnist_lenet"), 5, false);
  const Dataset ds = random_images(qn.net.input, kLogitsBatch * 2 + kLogitsBatch / 2, 9);
  const int G = qn.net.width_groups;
  std::vector<int> seen(ds.size() * std::size_t(G), 0);
  std::size_t last_image = 0;
  for_each_int_logits(qn, ds, [&](std::size_t i, int k, const std::int32_t* logits, std::size_t classes) {
    ASSERT_LT(i, ds.size());
    ASSERT_TRUE(k >= 1 && k <= G);
    EXPECT_GE(i / kLogitsBatch, last_image / kLogitsBatch);  // batches in image order
    last_image = i;
    ++seen[i * std::size_t(G) + std::size_t(k - 1)];
    if (i % 17 == 0 || i + 1 == ds.size()) {  // spot-check against the one-image reference
      const auto want = int_forward(qn, k, quantize_image(qn, ds.image(i))).back();
      EXPECT_EQ(std::vector<std::int32_t>(logits, logits + classes), want) << "image " << i << " width " << k;
    }
  });
  EXPECT_EQ(seen, std::vector<int>(seen.size(), 1));
  Dataset wrong = ds;
  wrong.shape.c = 3;
  EXPECT_THROW(for_each_int_logits(qn, wrong, [](std::size_t, int, const std::int32_t*, std::size_t) {}), InputError);
}

TEST(WidthInvariant, FirstConvAndPoolOfAChainWithoutPerWidthNorm) {
  const Network net = load_network("mnist_lenet");
  const std::vector<bool> want{true, true, false, false, false, false};  // conv1 pool1 | conv2 pool2 fc1 fc2
  EXPECT_EQ(width_invariant_nodes(make_network(net, 1, false), true), want);
  EXPECT_EQ(width_invariant_nodes(make_network(net, 1, false), false), want);
  // Per-width batch norm / post scales: conv1's values depend on the width, so does pool1.
  EXPECT_EQ(width_invariant_nodes(make_network(net, 1, true), true), std::vector<bool>(6, false));
  EXPECT_EQ(width_invariant_nodes(make_network(net, 1, true), false), std::vector<bool>(6, false));
  // Width 2's active channels of conv1 (10 of 20) sit at positions 0..9 of width 4's.
  const std::vector<int> pos = positions_at_width(net, 0, 2, 4);
  ASSERT_EQ(pos.size(), 10u);
  EXPECT_EQ(pos.front(), 0);
  EXPECT_EQ(pos.back(), 9);
}

TEST(BatchReference, RejectsBadInputs) {
  const QuantizedNetwork qn = make_network(load_network("mnist_lenet"), 1, false);
  std::vector<std::int32_t> q(std::size_t(qn.net.input.size()) * 2, 0);
  q[900] = 128;  // second image: does not fit 8 bits
  EXPECT_THROW(int_logits_batch(qn, 1, q.data(), 2), InputError);
  EXPECT_THROW(int_logits_widths(qn, {1, 2}, q.data(), 2), InputError);
  q[900] = 0;
  EXPECT_THROW(int_logits_batch(qn, 5, q.data(), 2), InputError);
  EXPECT_THROW(int_logits_widths(qn, {1, 0}, q.data(), 2), InputError);
  std::vector<float> f(std::size_t(qn.net.input.size()), 0.5f);
  EXPECT_THROW(float_logits_batch(qn, 0, f.data(), 1), InputError);
  QuantizedNetwork no_float = qn;
  no_float.float_params.clear();
  EXPECT_THROW(float_logits_widths(no_float, {1}, f.data(), 1), InputError);
}
