// Graph networks (docs/networks.md): the YAML grammar and its one-line errors, width coupling
// across adds, depthwise convolutions and concats, and the integer reference on every node kind
// (fast == naive at every width), the float reference, the quantizer and the weights file.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <random>
#include <set>

#include "core/errors.h"
#include "core/int_arith.h"
#include "core/network_yaml.h"
#include "core/quantized_network.h"
#include "host/dataset.h"
#include "host/float_reference.h"
#include "host/int_reference.h"
#include "host/quantizer.h"
#include "host/weights_file.h"

using namespace rcsim;

namespace {

// Every node kind: dense, depthwise (non-square kernel), pointwise and grouped convolutions, a
// residual add, a concat whose active channels are not a prefix, max/avg/global pools, a
// stand-alone ReLU6, flatten and two fc layers.
const char* kGraph = R"(
name: g
input: {channels: 3, height: 9, width: 8}
width_groups: 4
layers:
  - {name: stem, type: conv, out_channels: 8, kernel: 3, pad: 1, relu: true}
  - {name: dw, type: conv, out_channels: 8, groups: 8, kernel: [3, 1], pad: [1, 0], activation: relu6}
  - {name: pw, type: conv, out_channels: 8, kernel: 1, relu: false}
  - {name: res, type: add, inputs: [pw, stem], relu: true}
  - {name: grp, type: conv, inputs: res, out_channels: 12, groups: 2, kernel: 3, stride: 2, pad: [1, 1, 0, 0]}
  - {name: side, type: maxpool, inputs: res, kernel: 2}
  - {name: cat, type: concat, inputs: [grp, side]}
  - {name: mix, type: conv, out_channels: 16, kernel: 3, pad: 1}
  - {name: avg, type: avgpool, kernel: 3, stride: 2, pad: 1, count_include_pad: true}
  - {name: r6, type: relu6}
  - {name: gap, type: avgpool, global: true}
  - {name: fl, type: flatten}
  - {name: fc1, type: fc, out_features: 12, relu: true}
  - {name: cls, type: fc, out_features: 5}
)";

// A concat read by an fc through flatten: fc features that are not a prefix.
const char* kConcatFc = R"(
name: cf
input: {channels: 2, height: 4, width: 4}
width_groups: 2
layers:
  - {name: a, type: conv, out_channels: 4, kernel: 3, pad: 1}
  - {name: b, type: conv, inputs: input, out_channels: 6, kernel: 1}
  - {name: cat, type: concat, inputs: [a, b]}
  - {name: fl, type: flatten}
  - {name: cls, type: fc, out_features: 3}
)";

std::string error_of(const std::string& body) {
  try {
    parse_network("name: t\ninput: {channels: 2, height: 8, width: 8}\nwidth_groups: 2\nlayers:\n" + body, "net.yaml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

std::vector<std::int32_t> random_image(const QuantizedNetwork& qn, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> d(arith::qmin(qn.bits), arith::qmax(qn.bits));
  std::vector<std::int32_t> img(std::size_t(qn.net.input.size()));
  for (auto& v : img) v = d(rng);
  return img;
}

/// Random per-channel post-processing (a batch norm per width) on node `name`.
void add_post_scales(QuantizedNetwork& qn, const std::string& name, std::uint64_t seed) {
  const std::size_t i = qn.net.index_of(name);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> mult(-3000, 3000), add(-100000, 100000), shift(8, 20);
  for (int k = 0; k < qn.net.width_groups; ++k) {
    PostScale p;
    for (int c = 0; c < qn.net.layers[i].out.c; ++c) {
      p.mult.push_back(mult(rng));
      p.add.push_back(add(rng));
      p.shift.push_back(shift(rng));
    }
    qn.quant_params[i].post.push_back(p);
  }
}

}  // namespace

TEST(GraphNetwork, ShapesKindsAndFusion) {
  const Network n = parse_network(kGraph, "g.yaml");
  // r6 follows a pool: it stays a node of its own; nothing else is fused.
  ASSERT_EQ(n.layers.size(), 14u);
  EXPECT_FALSE(n.is_chain());
  const auto at = [&](const char* name) -> const Layer& { return n.layers[n.index_of(name)]; };
  EXPECT_EQ(at("dw").out, (Shape3{8, 9, 8}));
  EXPECT_TRUE(at("dw").depthwise());
  EXPECT_TRUE(at("dw").relu6);
  EXPECT_EQ(at("grp").out, (Shape3{12, 4, 4}));  // (9+1+0−3)/2+1, (8+1+0−3)/2+1
  EXPECT_EQ(at("side").out, (Shape3{8, 4, 4}));
  EXPECT_EQ(at("cat").out, (Shape3{20, 4, 4}));
  EXPECT_EQ(at("avg").out, (Shape3{16, 2, 2}));
  EXPECT_EQ(at("r6").kind, LayerKind::Act);
  EXPECT_EQ(at("gap").out, (Shape3{16, 1, 1}));
  EXPECT_EQ(at("fl").out, (Shape3{16, 1, 1}));
  EXPECT_TRUE(at("cls").is_classifier);
  EXPECT_EQ(at("res").in_ids, (std::vector<int>{int(n.index_of("pw")), int(n.index_of("stem"))}));
  // Grouped conv: each output reads in.c / groups = 4 channels.
  EXPECT_EQ(weight_shape(at("grp")), (std::vector<std::int64_t>{12, 4, 3, 3}));
  EXPECT_EQ(weight_shape(at("dw")), (std::vector<std::int64_t>{8, 1, 3, 1}));
  EXPECT_EQ(n.macs(n.index_of("grp"), 4), 12LL * 4 * 9 * 16);

  // A batch norm folds into its conv, a ReLU after it into the same conv: one node remains.
  const Network f = parse_network(R"(
name: f
input: {channels: 1, height: 6, width: 6}
width_groups: 2
layers:
  - {name: c, type: conv, out_channels: 4, kernel: 3, relu: false}
  - {name: bn, type: batchnorm, eps: 0.001}
  - {name: r, type: relu}
  - {name: cls, type: fc, out_features: 2}
)", "f.yaml");
  ASSERT_EQ(f.layers.size(), 2u);
  EXPECT_TRUE(f.layers[0].batchnorm);
  EXPECT_DOUBLE_EQ(f.layers[0].bn_eps, 0.001);
  EXPECT_TRUE(f.layers[0].relu);
  EXPECT_EQ(f.layers[1].in_ids, std::vector<int>{0});
  // The YAML written back reads as the same network.
  const Network back = parse_network(to_yaml(n), "back.yaml");
  EXPECT_EQ(to_yaml(back), to_yaml(n));
  EXPECT_EQ(back.layers.size(), n.layers.size());
}

TEST(GraphNetwork, NodesMayBeWrittenInAnyOrder) {
  const Network n = parse_network(R"(
name: o
input: {channels: 1, height: 4, width: 4}
width_groups: 2
layers:
  - {name: cls, type: fc, inputs: s, out_features: 2}
  - {name: s, type: add, inputs: [a, b]}
  - {name: a, type: conv, inputs: input, out_channels: 2, kernel: 1}
  - {name: b, type: conv, inputs: input, out_channels: 2, kernel: 1}
)", "o.yaml");
  ASSERT_EQ(n.layers.size(), 4u);
  EXPECT_EQ(n.layers[0].name, "a");
  EXPECT_EQ(n.layers[1].name, "b");
  EXPECT_EQ(n.layers[2].name, "s");
  EXPECT_EQ(n.layers[3].name, "cls");
}

TEST(GraphNetwork, ErrorsNameFileNodeAndField) {
  const std::string fc = "  - {name: cls, type: fc, out_features: 2}\n";
  EXPECT_EQ(error_of("  - {name: a, type: conv, inputs: nope, out_channels: 4, kernel: 1}\n" + fc),
            "net.yaml: layer 'a': field 'inputs': unknown input 'nope' (no layer of that name)");
  EXPECT_EQ(error_of("  - {name: a, type: conv, inputs: b, out_channels: 4, kernel: 1}\n"
                     "  - {name: b, type: conv, inputs: a, out_channels: 4, kernel: 1}\n"
                     "  - {name: cls, type: fc, inputs: b, out_features: 2}\n"),
            "net.yaml: layer 'a': field 'inputs': cycle: 'b' -> 'a' -> 'a'");
  EXPECT_EQ(error_of("  - {name: a, type: conv, out_channels: 4, kernel: 1}\n"
                     "  - {name: b, type: conv, inputs: input, out_channels: 6, kernel: 1}\n"
                     "  - {name: s, type: add, inputs: [a, b]}\n" + fc),
            "net.yaml: layer 's': field 'inputs': shape mismatch: 'a' is 4x8x8, 'b' is 6x8x8");
  EXPECT_EQ(error_of("  - {name: a, type: conv, out_channels: 4, kernel: 1}\n"
                     "  - {name: b, type: conv, inputs: input, out_channels: 4, kernel: 1, stride: 2}\n"
                     "  - {name: s, type: concat, inputs: [a, b]}\n" + fc),
            "net.yaml: layer 's': field 'inputs': shape mismatch: 'b' is 4x4x4, concat needs 8x8 planes");
  EXPECT_EQ(error_of("  - {name: a, type: conv, out_channels: 4, kernel: 1, groups: 3}\n" + fc),
            "net.yaml: layer 'a': field 'groups': must divide the input's 2 channels (got 3)");
  EXPECT_EQ(error_of("  - {name: s, type: add, inputs: [input]}\n" + fc),
            "net.yaml: layer 's': field 'inputs': add takes exactly 2 inputs (got 1)");
  EXPECT_EQ(error_of("  - {name: a, type: conv, out_channels: 4, kernel: 1}\n"
                     "  - {name: b, type: conv, inputs: input, out_channels: 4, kernel: 1}\n" + fc),
            "net.yaml: layer 'a': field 'name': output is never used (a network has one output, its classifier)");
  EXPECT_EQ(error_of("  - {name: p, type: maxpool, kernel: 2}\n  - {name: bn, type: batchnorm}\n" + fc),
            "net.yaml: layer 'bn': field 'inputs': a batchnorm must directly follow a conv or fc that has no "
            "activation and feeds only the batchnorm");
  EXPECT_EQ(error_of("  - {name: a, type: conv, out_channels: 4, kernel: 1, relu: true, activation: relu6}\n" + fc),
            "net.yaml: layer 'a'.activation: give either 'relu' or 'activation', not both");
  EXPECT_EQ(error_of("  - {name: a, type: conv, out_channels: 4, kernel: 1, activation: gelu}\n" + fc),
            "net.yaml: layer 'a'.activation: unknown activation 'gelu' (valid: none, relu, relu6)");
  EXPECT_EQ(error_of("  - {name: a, type: convv, out_channels: 4}\n" + fc),
            "net.yaml: layer 'a'.type: unknown layer type 'convv' (expected conv, maxpool, avgpool, fc, add, concat, "
            "flatten, relu, relu6 or batchnorm)");
  EXPECT_EQ(error_of("  - {name: a, type: add, inputs: [input, input], relu: true, groups: 2}\n" + fc),
            "net.yaml: layer 'a'.groups: unknown key");
  EXPECT_EQ(error_of("  - {name: g, type: avgpool, global: true, kernel: 2}\n" + fc),
            "net.yaml: layer 'g'.kernel: a global avgpool takes the whole plane (no kernel)");
  EXPECT_EQ(error_of("  - {name: input, type: conv, out_channels: 4, kernel: 1}\n" + fc),
            "net.yaml: layer 'input': field 'name': 'input' names the network input");
  EXPECT_EQ(error_of("  - {name: a, type: conv, out_channels: 4, kernel: [3, 2], pad: [1, 2]}\n" + fc),
            "net.yaml: layer 'a': field 'pad': must be smaller than the kernel (got 2)");
}

TEST(GraphNetwork, WidthCouplingAcrossAddsDepthwiseAndConcat) {
  const Network n = parse_network(kGraph, "g.yaml");
  const auto t = [&](const char* name) { return int(n.index_of(name)); };
  // The add couples pw, stem, res, dw (depthwise) and side (pool): one split for all of them.
  for (const char* name : {"dw", "pw", "res", "side"}) EXPECT_EQ(n.groups_of(t(name)), n.groups_of(t("stem"))) << name;
  EXPECT_EQ(n.active_channels(t("stem"), 1), (std::vector<int>{0, 1}));
  // The concat's active channels: grp's first 3 (12 in 4 groups) then side's first 2, offset 12.
  EXPECT_EQ(n.active_channels(t("cat"), 1), (std::vector<int>{0, 1, 2, 12, 13}));
  EXPECT_FALSE(n.groups_of(t("cat")).prefix());
  EXPECT_EQ(n.active_out(n.index_of("cat"), 2), 10);
  // Grouped conv at width 1: active outputs 0..2 (group 0) read active inputs 0..1 of channel group 0.
  EXPECT_EQ(n.active_inputs_of_output(n.index_of("grp"), 0, 1), (std::vector<int>{0, 1}));
  EXPECT_EQ(n.weight_count(n.index_of("grp"), 1), 3 * 2 * 9);
  // The classifier and the image are never split.
  EXPECT_FALSE(n.layers.back().split);
  EXPECT_EQ(n.active_out(n.layers.size() - 1, 1), 5);

  // `width: false` on a node pins every channel coupled to it at full width.
  const Network p = parse_network(R"(
name: p
input: {channels: 1, height: 4, width: 4}
width_groups: 2
layers:
  - {name: stem, type: conv, out_channels: 4, kernel: 1, width: false}
  - {name: c, type: conv, out_channels: 4, kernel: 1}
  - {name: s, type: add, inputs: [c, stem]}
  - {name: d, type: conv, out_channels: 6, kernel: 1}
  - {name: cls, type: fc, out_features: 2}
)", "p.yaml");
  EXPECT_FALSE(p.layers[0].split);
  EXPECT_FALSE(p.layers[1].split);  // coupled to the pinned stem through the add
  EXPECT_FALSE(p.layers[2].split);
  EXPECT_TRUE(p.layers[3].split);
  EXPECT_EQ(p.active_out(3, 1), 3);
}

TEST(GraphNetwork, ChainNetworksKeepTheirWidthSplit) {
  const Network n = load_network("mnist_lenet");
  EXPECT_TRUE(n.is_chain());
  for (std::size_t i = 0; i < n.layers.size(); ++i) EXPECT_TRUE(n.groups_of(int(i)).prefix()) << i;
  EXPECT_EQ(n.active_out(1, 1), 5);  // the pool follows conv1's split
}

class GraphReference : public ::testing::TestWithParam<int> {};

TEST_P(GraphReference, FastEqualsNaiveOnEveryNodeAndWidth) {
  const int bits = GetParam();
  for (const char* yaml : {kGraph, kConcatFc}) {
    QuantizedNetwork qn = random_quantized_network(parse_network(yaml, "t.yaml"), bits, 7);
    if (qn.net.name == "g") add_post_scales(qn, "mix", 3);
    qn.validate();
    for (int k = 1; k <= qn.net.width_groups; ++k)
      for (std::uint64_t seed = 1; seed <= 3; ++seed) {
        const auto img = random_image(qn, seed);
        const auto fast = int_forward(qn, k, img);
        const auto naive = int_forward_naive(qn, k, img);
        ASSERT_EQ(fast.size(), naive.size());
        for (std::size_t i = 0; i < fast.size(); ++i)
          ASSERT_EQ(fast[i], naive[i]) << qn.net.name << " node " << qn.net.layers[i].name << " width " << k;
        // The random network must not saturate into constants (that would make the test vacuous).
        std::set<std::int32_t> distinct(fast.back().begin(), fast.back().end());
        for (const auto& t : fast) distinct.insert(t.begin(), t.end());
        ASSERT_GT(distinct.size(), 20u) << qn.net.name;
        // Node by node from the full run's inputs gives the same.
        for (std::size_t i = 0; i < fast.size(); ++i) {
          std::vector<const std::vector<std::int32_t>*> in;
          for (int t : qn.net.layers[i].in_ids) in.push_back(t == kNetworkInput ? &img : &fast[std::size_t(t)]);
          ASSERT_EQ(int_node_forward(qn, i, k, in), fast[i]) << qn.net.layers[i].name;
        }
      }
  }
}

INSTANTIATE_TEST_SUITE_P(Bits, GraphReference, ::testing::Values(8, 16));

TEST(GraphReference, NodeArithmeticByHand) {
  // Add with different input scales: a = 3 at 2^-1 (1.5), b = 5 at 2^-2 (1.25) → 2.75 at 2^-1 = 5.5 → 6.
  EXPECT_EQ(arith::add_requant(3, 1, 5, 2, 1, -128, 127), 6);
  EXPECT_EQ(arith::add_requant(-3, 1, -5, 2, 1, -128, 127), -6);
  EXPECT_EQ(arith::add_requant(100, 0, 100, 0, 0, 0, 127), 127);  // saturates
  EXPECT_EQ(arith::add_requant(1, 0, 1, 0, 3, -128, 127), 16);    // a finer output scale: exact left shift
  // Average of 1, 2 (count 2) = 1.5 → 2; of −1, −2 → −2; 7 / 3 = 2.33 → 2.
  EXPECT_EQ(arith::round_div(3, 2), 2);
  EXPECT_EQ(arith::round_div(-3, 2), -2);
  EXPECT_EQ(arith::round_div(7, 3), 2);
  EXPECT_EQ(arith::round_div(-7, 3), -2);
  // Post-processing: (10·3 + 4) >> 2 = 34/4 = 8.5 → 9, clamped to a ReLU6 bound of 8.
  EXPECT_EQ(arith::requantize_affine(10, 3, 4, 2, 0, 8), 8);
  EXPECT_EQ(arith::requantize_affine(-10, 3, 4, 2, -128, 127), -7);  // −26/4 = −6.5 → −7
  EXPECT_EQ(arith::requantize_affine(1000, 1, 0, 3, -128, 127), arith::requantize(1000, 3, false, 8));
}

TEST(GraphReference, RejectsInputsOfTheWrongSize) {
  const QuantizedNetwork qn = random_quantized_network(parse_network(kGraph, "g.yaml"), 8, 1);
  const std::vector<std::int32_t> small(5, 0);
  const std::size_t res = qn.net.index_of("res");
  try {
    int_node_forward(qn, res, 1, {&small, &small});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "layer 'res' at width 1: input has 5 values, expected 144");
  }
  EXPECT_THROW(int_node_forward(qn, res, 1, {&small}), InputError);
}

TEST(GraphQuantizer, FollowsTheFloatNetwork) {
  // Random float weights; the integer network at 8 bits must track the float logits' argmax on
  // most random images and the outputs must correlate strongly.
  QuantizedNetwork qn;
  qn.net = parse_network(kGraph, "g.yaml");
  std::mt19937_64 rng(11);
  std::normal_distribution<float> w(0.0f, 0.3f);
  qn.float_params.resize(qn.net.layers.size());
  for (std::size_t i = 0; i < qn.net.layers.size(); ++i) {
    const Layer& l = qn.net.layers[i];
    if (!l.has_weights()) continue;
    for (std::int64_t j = 0; j < full_weight_count(l); ++j) qn.float_params[i].weight.push_back(w(rng));
    for (int j = 0; j < l.out.c; ++j) qn.float_params[i].bias.push_back(0.1f * w(rng));
  }
  // One batch norm per width on `mix` (switchable batch norm).
  const std::size_t mix = qn.net.index_of("mix");
  for (int k = 0; k < qn.net.width_groups; ++k) {
    std::vector<float> scale, shift;
    for (int c = 0; c < 16; ++c) scale.push_back(0.5f + 0.1f * float(k + c % 3)), shift.push_back(0.05f * float(c % 5) - 0.1f);
    qn.float_params[mix].bn_scale.push_back(scale);
    qn.float_params[mix].bn_shift.push_back(shift);
  }
  Dataset calib;
  calib.name = "random";
  calib.shape = qn.net.input;
  std::uniform_real_distribution<float> px(0.0f, 1.0f);
  for (int n = 0; n < 40; ++n) {
    for (std::int64_t j = 0; j < calib.shape.size(); ++j) calib.pixels.push_back(px(rng));
    calib.labels.push_back(0);
  }
  // Max-based scales; per-channel weight scales (with the batch norm: folded into each width's
  // multiplier); and per-channel with least-squared-error activation shifts.
  for (const int mode : {0, 1, 2}) {
    const bool per_channel = mode >= 1;
    QuantizedNetwork q = qn;
    QuantizerOptions opts;
    opts.per_channel = per_channel;
    opts.mse_activation_shifts = mode == 2;
    quantize(q, calib, opts);
    EXPECT_EQ(q.quant_params[mix].post.size(), 4u);
    if (per_channel) EXPECT_EQ(q.quant_params[q.net.index_of("grp")].post.size(), 1u);
    int agree = 0, total = 0;
    for (int k = 1; k <= q.net.width_groups; ++k)
      for (std::size_t n = 0; n < calib.size(); ++n) {
        const auto f = float_forward(q, k, calib.image(n)).back();
        const auto i = int_forward(q, k, quantize_image(q, calib.image(n))).back();
        agree += argmax(f) == argmax(i);
        ++total;
      }
    EXPECT_GE(agree, total * 8 / 10) << "mode " << mode;
  }
}

TEST(GraphWeightsFile, RoundTripsPostScalesShiftsAndBatchNorms) {
  QuantizedNetwork qn = random_quantized_network(parse_network(kGraph, "g.yaml"), 8, 5);
  add_post_scales(qn, "mix", 9);
  // A concat output scale of its own (its reader's input scale follows).
  qn.quant_params[qn.net.index_of("cat")].out_shift = 6;
  qn.quant_params[qn.net.index_of("mix")].in_shift = 6;
  qn.validate();
  const std::string path = (std::filesystem::temp_directory_path() / "rcsim_graph_weights.safetensors").string();
  save_weights(qn, path);
  const QuantizedNetwork back = load_weights(path, &qn.net);
  std::filesystem::remove(path);
  for (std::size_t i = 0; i < qn.net.layers.size(); ++i) {
    EXPECT_EQ(back.quant_params[i].out_shift, qn.quant_params[i].out_shift) << i;
    EXPECT_EQ(back.quant_params[i].weight, qn.quant_params[i].weight) << i;
    ASSERT_EQ(back.quant_params[i].post.size(), qn.quant_params[i].post.size()) << i;
    for (std::size_t k = 0; k < qn.quant_params[i].post.size(); ++k) {
      EXPECT_EQ(back.quant_params[i].post[k].mult, qn.quant_params[i].post[k].mult);
      EXPECT_EQ(back.quant_params[i].post[k].add, qn.quant_params[i].post[k].add);
      EXPECT_EQ(back.quant_params[i].post[k].shift, qn.quant_params[i].post[k].shift);
    }
  }
  const auto img = random_image(qn, 1);
  EXPECT_EQ(int_forward(back, 2, img), int_forward(qn, 2, img));
}
