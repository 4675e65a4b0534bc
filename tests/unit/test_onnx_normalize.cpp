// normalize(): the PyTorch exports reduce to the canonical node set, the two exports of one
// network (BN as nodes / folded, Flatten+Gemm / Reshape+MatMul+Add) to the same graph, and every
// rule on models built here node by node.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "onnx/onnx_normalize.h"
#include "onnx/onnx_ops.h"
#include "onnx/onnx_reader.h"
#include "onnx_builder.h"
#include "onnx_test_util.h"

namespace rcsim {
namespace {

using testonnx::Builder;
using testonnx::expect_one_line_error;
using testonnx::op_counts;
using testonnx::only;
using Counts = std::map<std::string, std::size_t>;
using Dims = std::vector<std::int64_t>;

const std::string kModels = RCSIM_ONNX_MODELS_DIR;

OnnxModel normalized_file(const std::string& name) {
  OnnxModel m = read_onnx(kModels + "/" + name + ".onnx");
  normalize(m);
  return m;
}

OnnxModel normalized(const Builder& b) {
  const std::string bytes = b.bytes();
  OnnxModel m = parse_onnx(bytes.data(), bytes.size(), "built");
  normalize(m);
  return m;
}

/// The contract of onnx_normalize.h, checked on any normalized model.
void expect_canonical(const OnnxModel& m) {
  const std::set<std::string> ops = {"Conv",    "BatchNormalization", "Relu",    "Clip",
                                     "Add",     "Concat",             "MaxPool", "AveragePool",
                                     "GlobalAveragePool", "Flatten",  "Gemm"};
  std::set<std::string> used;
  for (const auto& n : m.nodes) {
    SCOPED_TRACE(n.label());
    EXPECT_TRUE(ops.count(n.op_type));
    ASSERT_EQ(n.outputs.size(), 1u);
    ASSERT_TRUE(m.shapes.count(n.outputs[0]));
    for (const auto& in : n.inputs) {
      EXPECT_TRUE(m.shapes.count(in)) << in;
      used.insert(in);
    }
    const Dims& x = m.shapes.at(n.inputs[0]);
    if (n.op_type == "Conv") {
      ASSERT_EQ(n.inputs.size(), 3u);
      const auto& w = m.initializers.at(n.inputs[1]);
      const auto& b = m.initializers.at(n.inputs[2]);
      EXPECT_EQ(b.dims, Dims{w.dims[0]});
      EXPECT_EQ(n.get_ints("kernel_shape", {}), (Dims{w.dims[2], w.dims[3]}));
      EXPECT_EQ(n.get_ints("dilations", {}), (Dims{1, 1}));
      EXPECT_EQ(n.get_ints("pads", {}).size(), 4u);
      EXPECT_EQ(n.get_ints("strides", {}).size(), 2u);
      EXPECT_EQ(w.dims[1] * n.get_int("group", 0), x[1]);
    } else if (n.op_type == "Gemm") {
      ASSERT_EQ(n.inputs.size(), 3u);
      const auto& w = m.initializers.at(n.inputs[1]);
      EXPECT_EQ(x, (Dims{1, w.dims[1]}));
      EXPECT_EQ(m.initializers.at(n.inputs[2]).dims, Dims{w.dims[0]});
      EXPECT_EQ(n.get_int("transB", 0), 1);
      EXPECT_EQ(n.get_float("alpha", 0), 1.0f);
      EXPECT_EQ(n.get_float("beta", 0), 1.0f);
    } else if (n.op_type == "Clip") {
      EXPECT_EQ(n.inputs.size(), 1u);
      EXPECT_EQ(n.get_float("min", -1), 0.0f);
      EXPECT_EQ(n.get_float("max", -1), 6.0f);
    } else if (n.op_type == "Add") {
      EXPECT_EQ(m.shapes.at(n.inputs[0]), m.shapes.at(n.inputs[1]));
      EXPECT_FALSE(m.initializers.count(n.inputs[1]));
    } else if (n.op_type == "Flatten") {
      EXPECT_EQ(n.get_int("axis", 0), 1);
    } else if (n.op_type == "BatchNormalization") {
      EXPECT_EQ(n.inputs.size(), 5u);
    }
  }
  for (const auto& [name, t] : m.initializers) EXPECT_TRUE(used.count(name)) << "unused initializer " << name;
  ASSERT_EQ(m.inputs.size(), 1u);
  EXPECT_EQ(m.inputs[0].dims.size(), 4u);
}

TEST(OnnxNormalize, CheckedInModelsReduceToTheCanonicalNodes) {
  const std::map<std::string, Counts> expected = {
      {"resblock", {{"Conv", 6}, {"Add", 2}, {"Relu", 5}, {"GlobalAveragePool", 1}, {"Flatten", 1}, {"Gemm", 1}}},
      {"dwsep", {{"Conv", 3}, {"Clip", 3}, {"GlobalAveragePool", 1}, {"Flatten", 1}, {"Gemm", 1}}},
      {"bn_nodes", {{"Conv", 2}, {"BatchNormalization", 1}, {"Relu", 2}, {"MaxPool", 1}, {"Flatten", 1}, {"Gemm", 1}}},
      {"bn_folded", {{"Conv", 2}, {"BatchNormalization", 1}, {"Relu", 2}, {"MaxPool", 1}, {"Flatten", 1}, {"Gemm", 1}}},
      {"grouped_concat", {{"Conv", 4}, {"Relu", 4}, {"Concat", 1}, {"GlobalAveragePool", 1}, {"Flatten", 1}, {"Gemm", 1}}},
      {"pool_flatten", {{"Conv", 2}, {"Relu", 2}, {"AveragePool", 1}, {"MaxPool", 1}, {"Flatten", 1}, {"Gemm", 1}}},
      {"pool_reshape_matmul", {{"Conv", 2}, {"Relu", 2}, {"AveragePool", 1}, {"MaxPool", 1}, {"Flatten", 1}, {"Gemm", 1}}},
      {"fmnist_small", {{"Conv", 5}, {"Add", 1}, {"Relu", 3}, {"Clip", 2}, {"GlobalAveragePool", 1}, {"Flatten", 1}, {"Gemm", 1}}},
  };
  for (const auto& [name, counts] : expected) {
    SCOPED_TRACE(name);
    const OnnxModel m = normalized_file(name);
    EXPECT_EQ(op_counts(m), counts);
    expect_canonical(m);
    ASSERT_EQ(m.outputs.size(), 1u);
    EXPECT_EQ(m.outputs[0].name, "logits");
    EXPECT_EQ(m.outputs[0].dims, (Dims{1, 10}));
  }
}

TEST(OnnxNormalize, ShapesFollowTheNetwork) {
  const OnnxModel m = normalized_file("resblock");
  EXPECT_EQ(m.shapes.at("input"), (Dims{1, 1, 28, 28}));
  // The projection block's Add: 16 channels at stride 2.
  std::vector<Dims> adds;
  for (const auto& n : m.nodes)
    if (n.op_type == "Add") adds.push_back(m.shapes.at(n.outputs[0]));
  EXPECT_EQ(adds, (std::vector<Dims>{{1, 8, 28, 28}, {1, 16, 14, 14}}));
  const OnnxModel g = normalized_file("grouped_concat");
  EXPECT_EQ(g.shapes.at(only(g, "Concat").outputs[0]), (Dims{1, 16, 14, 14}));
  std::set<std::int64_t> groups;
  for (const auto& n : g.nodes)
    if (n.op_type == "Conv") groups.insert(n.get_int("group", 0));
  EXPECT_EQ(groups, (std::set<std::int64_t>{1, 2, 4}));
}

void expect_close(const OnnxTensor& a, const OnnxTensor& b, float rel) {
  ASSERT_EQ(a.dims, b.dims);
  for (std::size_t i = 0; i < a.size(); ++i)
    ASSERT_NEAR(a.values[i], b.values[i], rel * (1 + std::fabs(b.values[i]))) << "at " << i;
}

/// The same network exported two ways normalizes to the same nodes and (nearly) the same
/// weights; `rel` bounds the difference (0 = bit-identical).
void expect_same_network(const OnnxModel& a, const OnnxModel& b, float rel) {
  ASSERT_EQ(a.nodes.size(), b.nodes.size());
  for (std::size_t i = 0; i < a.nodes.size(); ++i) {
    const auto& na = a.nodes[i];
    const auto& nb = b.nodes[i];
    SCOPED_TRACE(na.label() + " vs " + nb.label());
    ASSERT_EQ(na.op_type, nb.op_type);
    ASSERT_EQ(na.inputs.size(), nb.inputs.size());
    EXPECT_EQ(a.shapes.at(na.outputs[0]), b.shapes.at(nb.outputs[0]));
    for (const auto& [key, attr] : na.attributes) {
      EXPECT_EQ(attr.ints, nb.attributes.at(key).ints) << key;
      EXPECT_EQ(attr.i, nb.attributes.at(key).i) << key;
    }
    for (std::size_t k = 1; k < na.inputs.size(); ++k)
      if (a.initializers.count(na.inputs[k])) {
        SCOPED_TRACE(na.inputs[k]);
        if (rel == 0) EXPECT_EQ(a.initializers.at(na.inputs[k]).values, b.initializers.at(nb.inputs[k]).values);
        else expect_close(a.initializers.at(na.inputs[k]), b.initializers.at(nb.inputs[k]), rel);
      }
  }
}

TEST(OnnxNormalize, BatchNormNodesFoldLikePyTorchFoldsThem) {
  // PyTorch folds in float32; normalize() in double: the difference is float rounding.
  expect_same_network(normalized_file("bn_nodes"), normalized_file("bn_folded"), 1e-5f);
}

TEST(OnnxNormalize, ReshapeMatMulAddEqualsFlattenGemm) {
  const OnnxModel a = normalized_file("pool_flatten");
  const OnnxModel b = normalized_file("pool_reshape_matmul");
  expect_same_network(a, b, 0);
  // F.pad(x, (0, 1, 0, 1)) became asymmetric padding of the second Conv.
  std::vector<Dims> pads;
  for (const auto& n : a.nodes)
    if (n.op_type == "Conv") pads.push_back(n.get_ints("pads", {}));
  EXPECT_EQ(pads, (std::vector<Dims>{{1, 1, 1, 1}, {0, 0, 1, 1}}));
}

// ---- rules, on models built node by node --------------------------------------------------

TEST(OnnxNormalize, IdentityDropoutAndConstantsAreElided) {
  Builder b;
  b.input("x", {1, 2, 5, 5}).weights("b", {3});
  b.node("Identity", {"x"}, {"x1"});
  // Conv weights from a Constant node, bias through an Identity of an initializer (the
  // exporter's way of sharing equal initializers).
  b.constant("w", Builder::tensor({3, 2, 1, 1}, {1, 2, 3, 4, 5, 6}));
  b.node("Identity", {"b"}, {"b1"});
  b.node("Conv", {"x1", "w", "b1"}, {"y"});
  b.constant("ratio", Builder::tensor({}, {0.5f}));
  b.init("train", [] {
    auto t = Builder::int_tensor({}, {0});
    t.set_data_type(onnx::TensorProto::INT64);
    return t;
  }());
  b.node("Dropout", {"y", "ratio", "train"}, {"d"});
  b.node("Relu", {"d"}, {"r"});
  b.node("Identity", {"r"}, {"out"});
  b.output("out");
  const OnnxModel m = normalized(b);
  EXPECT_EQ(op_counts(m), (Counts{{"Conv", 1}, {"Relu", 1}}));
  const auto& conv = only(m, "Conv");
  EXPECT_EQ(conv.inputs[0], "x");
  EXPECT_EQ(m.initializers.at(conv.inputs[1]).values, (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(conv.inputs[2], "b");
  EXPECT_EQ(m.outputs[0].name, "r");  // the Identity feeding the output is gone too
  EXPECT_EQ(m.outputs[0].dims, (Dims{1, 3, 5, 5}));
  expect_canonical(m);
}

Builder fc_head(const std::string& op) {
  Builder b;
  b.input("x", {1, 2, 3, 3});
  b.node("Flatten", {"x"}, {"f"});
  return b;
}

TEST(OnnxNormalize, MatMulPlusBiasBecomesGemm) {
  for (bool bias_first : {false, true}) {
    Builder b = fc_head("MatMul");
    b.weights("w", {18, 5}).weights("bias", {5});
    b.node("MatMul", {"f", "w"}, {"mm"});
    b.node("Add", bias_first ? std::vector<std::string>{"bias", "mm"} : std::vector<std::string>{"mm", "bias"}, {"y"});
    b.output("y");
    const OnnxModel m = normalized(b);
    EXPECT_EQ(op_counts(m), (Counts{{"Flatten", 1}, {"Gemm", 1}}));
    const auto& g = only(m, "Gemm");
    const auto& w = m.initializers.at(g.inputs[1]);
    ASSERT_EQ(w.dims, (Dims{5, 18}));
    // w[o][k] = matmul weight[k][o] = 0.1 * ((k * 5 + o) % 7 - 3)
    for (int o = 0; o < 5; ++o)
      for (int k = 0; k < 18; ++k) ASSERT_FLOAT_EQ(w.values[std::size_t(o * 18 + k)], 0.1f * float((k * 5 + o) % 7 - 3));
    EXPECT_EQ(m.initializers.at(g.inputs[2]).values, (std::vector<float>{-0.3f, -0.2f, -0.1f, 0.0f, 0.1f}));
    EXPECT_EQ(g.outputs[0], "y");
    expect_canonical(m);
  }
}

TEST(OnnxNormalize, GemmAttributesAreFoldedIntoTheWeights) {
  Builder b = fc_head("Gemm");
  b.init("w", Builder::tensor({18, 1}, std::vector<float>(18, 1.0f))).init("c", Builder::tensor({1}, {4.0f}));
  auto& g = b.node("Gemm", {"f", "w", "c"}, {"y"});
  Builder::real(g, "alpha", 2.0f);
  Builder::real(g, "beta", 0.5f);
  b.output("y");
  const OnnxModel m = normalized(b);
  const auto& n = only(m, "Gemm");
  EXPECT_EQ(m.initializers.at(n.inputs[1]).values, std::vector<float>(18, 2.0f));
  EXPECT_EQ(m.initializers.at(n.inputs[2]).values, std::vector<float>{2.0f});
  expect_canonical(m);
}

Builder clip_model(std::int64_t opset, float lo, float hi, bool with_max = true) {
  Builder b(opset);
  b.input("x", {1, 1, 2, 2});
  if (opset >= 11) {
    b.constant("lo", Builder::tensor({}, {lo}));
    if (with_max) b.constant("hi", Builder::tensor({}, {hi}));
    b.node("Clip", with_max ? std::vector<std::string>{"x", "lo", "hi"} : std::vector<std::string>{"x", "lo"}, {"y"}, "clip");
  } else {
    auto& n = b.node("Clip", {"x"}, {"y"}, "clip");
    Builder::real(n, "min", lo);
    if (with_max) Builder::real(n, "max", hi);
  }
  b.output("y");
  return b;
}

TEST(OnnxNormalize, ClipIsReluSixOrRelu) {
  for (std::int64_t opset : {9, 13}) {
    SCOPED_TRACE(opset);
    EXPECT_EQ(op_counts(normalized(clip_model(opset, 0, 6))), (Counts{{"Clip", 1}}));
    EXPECT_EQ(op_counts(normalized(clip_model(opset, 0, 0, false))), (Counts{{"Relu", 1}}));
    expect_one_line_error([&] { normalized(clip_model(opset, -1, 1)); }, "'clip' (Clip): Clip(-1.000000, 1.000000) is not supported");
  }
  // A Relu feeding only the Clip (torch's F.relu6) is dropped.
  Builder b;
  b.input("x", {1, 1, 2, 2});
  b.node("Relu", {"x"}, {"r"});
  b.constant("lo", Builder::tensor({}, {0})).constant("hi", Builder::tensor({}, {6}));
  b.node("Clip", {"r", "lo", "hi"}, {"y"});
  b.output("y");
  const OnnxModel m = normalized(b);
  EXPECT_EQ(op_counts(m), (Counts{{"Clip", 1}}));
  EXPECT_EQ(m.nodes[0].inputs[0], "x");
}

Builder reduce_mean_model(const Dims& axes, std::int64_t keepdims) {
  Builder b;
  b.input("x", {1, 3, 4, 4});
  auto& n = b.node("ReduceMean", {"x"}, {"y"}, "mean");
  Builder::ints(n, "axes", axes);
  Builder::integer(n, "keepdims", keepdims);
  b.output("y");
  return b;
}

TEST(OnnxNormalize, ReduceMeanOverHeightWidthIsGlobalAveragePool) {
  const OnnxModel keep = normalized(reduce_mean_model({2, 3}, 1));
  EXPECT_EQ(op_counts(keep), (Counts{{"GlobalAveragePool", 1}}));
  EXPECT_EQ(keep.outputs[0].dims, (Dims{1, 3, 1, 1}));
  const OnnxModel flat = normalized(reduce_mean_model({-1, -2}, 0));
  EXPECT_EQ(op_counts(flat), (Counts{{"GlobalAveragePool", 1}, {"Flatten", 1}}));
  EXPECT_EQ(flat.outputs[0].dims, (Dims{1, 3}));
  expect_one_line_error([] { normalized(reduce_mean_model({1}, 1)); }, "'mean' (ReduceMean): reduces axes other than H and W");
}

Builder reshape_model(const std::vector<std::int64_t>& shape) {
  Builder b;
  b.input("x", {1, 2, 3, 4}).init("s", Builder::int_tensor({std::int64_t(shape.size())}, shape));
  b.node("Relu", {"x"}, {"r"});
  b.node("Reshape", {"r", "s"}, {"y"}, "reshape");
  b.output("y");
  return b;
}

TEST(OnnxNormalize, ReshapeToNByMinusOneIsFlatten) {
  for (const auto& shape : std::vector<Dims>{{1, -1}, {0, -1}, {1, 24}, {-1, 24}}) {
    const OnnxModel m = normalized(reshape_model(shape));
    EXPECT_EQ(op_counts(m), (Counts{{"Relu", 1}, {"Flatten", 1}}));
    EXPECT_EQ(m.outputs[0].dims, (Dims{1, 24}));
  }
  EXPECT_EQ(op_counts(normalized(reshape_model({1, 2, 3, 4}))), (Counts{{"Relu", 1}}));  // a no-op
  expect_one_line_error([] { normalized(reshape_model({1, 2, -1})); },
                        "'reshape' (Reshape): reshapes 1x2x3x4 to 1x2x12; rcsim supports only Reshape to (N, -1)");
  expect_one_line_error([] { normalized(reshape_model({5, -1})); }, "does not divide evenly");
  expect_one_line_error([] { normalized(reshape_model({-1, -1})); }, "more than one -1");
}

Builder conv_with(const std::function<void(onnx::NodeProto&)>& attrs, Dims x = {1, 2, 6, 6}) {
  Builder b;
  b.input("x", x).weights("w", {4, 2, 3, 3});
  auto& n = b.node("Conv", {"x", "w"}, {"y"}, "conv");
  attrs(n);
  b.output("y");
  return b;
}

TEST(OnnxNormalize, ConvAttributes) {
  // Asymmetric pads are fine; no bias gets a zero bias; defaults become explicit.
  const OnnxModel m = normalized(conv_with([](auto& n) {
    Builder::ints(n, "pads", {0, 1, 1, 2});
    Builder::ints(n, "strides", {2, 1});
  }));
  const auto& c = only(m, "Conv");
  EXPECT_EQ(c.get_ints("pads", {}), (Dims{0, 1, 1, 2}));
  EXPECT_EQ(c.get_ints("strides", {}), (Dims{2, 1}));
  EXPECT_EQ(c.get_int("group", 0), 1);
  EXPECT_EQ(m.initializers.at(c.inputs[2]).values, std::vector<float>(4, 0.0f));
  EXPECT_EQ(m.outputs[0].dims, (Dims{1, 4, 3, 7}));  // (6+1-3)/2+1, (6+3-3)/1+1
  expect_canonical(m);
  EXPECT_EQ(normalized(conv_with([](auto& n) { Builder::text(n, "auto_pad", "VALID"); })).outputs[0].dims, (Dims{1, 4, 4, 4}));

  expect_one_line_error([] { normalized(conv_with([](auto& n) { Builder::ints(n, "dilations", {2, 2}); })); },
                        "'conv' (Conv): dilation 2x2 is not supported");
  expect_one_line_error([] { normalized(conv_with([](auto& n) { Builder::text(n, "auto_pad", "SAME_UPPER"); })); },
                        "auto_pad SAME_UPPER is not supported");
  expect_one_line_error([] { normalized(conv_with([](auto& n) { Builder::integer(n, "group", 3); })); }, "group 3");
  expect_one_line_error([] { normalized(conv_with([](auto& n) { Builder::ints(n, "kernel_shape", {5, 5}); })); },
                        "disagrees with the weight");
  expect_one_line_error([] { normalized(conv_with([](auto& n) { Builder::ints(n, "pads", {1, 1}); })); },
                        "attribute 'pads' has 2 values, expected 4");
  expect_one_line_error([] { normalized(conv_with([](auto&) {}, {1, 2, 2, 2})); }, "larger than the padded input");
  expect_one_line_error([] { normalized(conv_with([](auto&) {}, {1, 3, 6, 6})); }, "does not fit 3 input channels");
}

Builder pool_with(const std::string& op, const std::function<void(onnx::NodeProto&)>& attrs) {
  Builder b;
  b.input("x", {1, 2, 6, 6});
  auto& n = b.node(op, {"x"}, {"y"}, "pool");
  Builder::ints(n, "kernel_shape", {2, 2});
  attrs(n);
  b.output("y");
  return b;
}

TEST(OnnxNormalize, PoolAttributes) {
  const OnnxModel m = normalized(pool_with("AveragePool", [](auto& n) {
    Builder::ints(n, "strides", {2, 2});
    Builder::ints(n, "pads", {1, 1, 0, 0});
  }));
  EXPECT_EQ(m.outputs[0].dims, (Dims{1, 2, 3, 3}));
  EXPECT_EQ(only(m, "AveragePool").get_int("count_include_pad", -1), 0);
  // count_include_pad without padding changes nothing: normalized to 0; with padding it is kept.
  EXPECT_EQ(only(normalized(pool_with("AveragePool", [](auto& n) { Builder::integer(n, "count_include_pad", 1); })),
                 "AveragePool")
                .get_int("count_include_pad", -1),
            0);
  EXPECT_EQ(only(normalized(pool_with("AveragePool",
                                      [](auto& n) {
                                        Builder::integer(n, "count_include_pad", 1);
                                        Builder::ints(n, "pads", {1, 1, 1, 1});
                                      })),
                 "AveragePool")
                .get_int("count_include_pad", -1),
            1);
  expect_one_line_error([] { normalized(pool_with("MaxPool", [](auto& n) { Builder::integer(n, "ceil_mode", 1); })); },
                        "'pool' (MaxPool): ceil_mode = 1 is not supported");
  expect_one_line_error([] { normalized(pool_with("MaxPool", [](auto& n) { Builder::ints(n, "pads", {2, 0, 0, 0}); })); },
                        "reach a whole kernel");
  expect_one_line_error([] { normalized(pool_with("MaxPool", [](auto& n) { Builder::ints(n, "dilations", {1, 2}); })); },
                        "dilation 1x2 is not supported");
}

TEST(OnnxNormalize, AddConcatShapes) {
  Builder b;
  b.input("x", {1, 2, 4, 4});
  b.node("MaxPool", {"x"}, {"p"}, "pool");
  Builder::ints(*b.graph->mutable_node(0), "kernel_shape", {2, 2});
  Builder::ints(*b.graph->mutable_node(0), "strides", {2, 2});
  b.node("Add", {"x", "p"}, {"y"}, "add");
  b.output("y");
  expect_one_line_error([&] { normalized(b); }, "'add' (Add): adds shapes 1x2x4x4 and 1x2x2x2; rcsim adds tensors of equal shape");

  Builder c;
  c.input("x", {1, 2, 4, 4}).weights("k", {1, 2, 4, 4});
  c.node("Add", {"x", "k"}, {"y"}, "add");
  c.output("y");
  expect_one_line_error([&] { normalized(c); }, "'add' (Add): adds a constant to something other than the output of a MatMul/Gemm");

  Builder d;
  d.input("x", {1, 2, 4, 4});
  d.node("Relu", {"x"}, {"r"});
  auto& cat = d.node("Concat", {"x", "r"}, {"y"}, "cat");
  Builder::integer(cat, "axis", -3);
  d.output("y");
  EXPECT_EQ(normalized(d).outputs[0].dims, (Dims{1, 4, 4, 4}));
  d.graph->mutable_node(1)->mutable_attribute(0)->set_i(2);
  expect_one_line_error([&] { normalized(d); }, "'cat' (Concat): concatenates on axis 2; rcsim concatenates channels (axis 1)");
}

Builder bn_model(bool second_consumer) {
  Builder b;
  b.input("x", {1, 2, 4, 4}).weights("w", {2, 2, 1, 1}).weights("cb", {2});
  b.init("s", Builder::tensor({2}, {2.0f, 0.5f})).init("t", Builder::tensor({2}, {1.0f, -1.0f}));
  b.init("mu", Builder::tensor({2}, {0.25f, -0.5f})).init("var", Builder::tensor({2}, {4.0f, 0.25f}));
  b.node("Conv", {"x", "w", "cb"}, {"c"}, "conv");
  auto& bn = b.node("BatchNormalization", {"c", "s", "t", "mu", "var"}, {"y"}, "bn");
  Builder::real(bn, "epsilon", 0.0f);
  if (second_consumer) {
    b.node("Add", {"c", "y"}, {"z"});
    b.output("z");
  } else {
    b.output("y");
  }
  return b;
}

TEST(OnnxNormalize, BatchNormFoldsIntoItsConv) {
  const OnnxModel m = normalized(bn_model(false));
  EXPECT_EQ(op_counts(m), (Counts{{"Conv", 1}}));
  const auto& c = only(m, "Conv");
  EXPECT_EQ(c.outputs[0], "y");
  // w = 0.1 * (i % 7 - 3) = {-.3, -.2 | -.1, 0}; k = s / sqrt(var) = {1, 1}; cb = {-.3, -.2}
  const auto& w = m.initializers.at(c.inputs[1]).values;
  const auto& bias = m.initializers.at(c.inputs[2]).values;
  EXPECT_FLOAT_EQ(w[0], -0.3f);
  EXPECT_FLOAT_EQ(w[2], -0.1f);
  EXPECT_FLOAT_EQ(bias[0], (-0.3f - 0.25f) * 1 + 1);
  EXPECT_FLOAT_EQ(bias[1], (-0.2f + 0.5f) * 1 - 1);
  // The conv's output is read by something else too: the BN stays a node.
  EXPECT_EQ(op_counts(normalized(bn_model(true))), (Counts{{"Conv", 1}, {"BatchNormalization", 1}, {"Add", 1}}));
}

TEST(OnnxNormalize, BatchNormScalesTheWeights) {
  Builder b = bn_model(false);
  // var 4 -> k = 2 / 2 = 1 for channel 0; make channel 1's k = 0.5 / sqrt(0.25) = 1 too, so
  // change var[0] to 1: k0 = 2.
  b.graph->mutable_initializer(5)->set_float_data(0, 1.0f);
  const OnnxModel m = normalized(b);
  const auto& c = only(m, "Conv");
  EXPECT_FLOAT_EQ(m.initializers.at(c.inputs[1]).values[0], -0.6f);
  EXPECT_FLOAT_EQ(m.initializers.at(c.inputs[2]).values[0], (-0.3f - 0.25f) * 2 + 1);
}

TEST(OnnxNormalize, PadMergesIntoConvAndAveragePool) {
  for (const std::string consumer : {"Conv", "MaxPool"}) {
    Builder b;
    b.input("x", {1, 2, 6, 6}).weights("w", {4, 2, 3, 3});
    b.init("pads", Builder::int_tensor({8}, {0, 0, 1, 0, 0, 0, 2, 1}));
    b.node("Pad", {"x", "pads"}, {"p"}, "pad");
    auto& n = consumer == "Conv" ? b.node("Conv", {"p", "w"}, {"y"}, "conv") : b.node("MaxPool", {"p"}, {"y"}, "pool");
    Builder::ints(n, "kernel_shape", {3, 3});
    Builder::ints(n, "pads", {1, 1, 1, 1});
    b.output("y");
    if (consumer == "MaxPool") {
      // Max over padded zeros is not a max-pool's padding (which takes no part).
      expect_one_line_error([&] { normalized(b); },
                            "'pad' (Pad): padding is supported only in front of a Conv or an AveragePool");
      continue;
    }
    const OnnxModel m = normalized(b);
    EXPECT_EQ(op_counts(m), (Counts{{"Conv", 1}}));
    EXPECT_EQ(only(m, "Conv").get_ints("pads", {}), (Dims{2, 1, 3, 2}));
    EXPECT_EQ(only(m, "Conv").inputs[0], "x");
    EXPECT_EQ(m.outputs[0].dims, (Dims{1, 4, 9, 7}));
  }
  // nn.AvgPool2d(3, padding=1) exports as Pad + AveragePool: the zeros count in the divisor.
  auto avg = [](const std::vector<std::int64_t>& pads, std::int64_t include, const std::vector<std::int64_t>& own) {
    Builder b;
    b.input("x", {1, 2, 6, 6});
    b.init("pads", Builder::int_tensor({8}, pads));
    b.node("Pad", {"x", "pads"}, {"p"}, "pad");
    auto& n = b.node("AveragePool", {"p"}, {"y"}, "pool");
    Builder::ints(n, "kernel_shape", {3, 3});
    Builder::ints(n, "pads", own);
    Builder::integer(n, "count_include_pad", include);
    b.output("y");
    return b;
  };
  const OnnxModel m = normalized(avg({0, 0, 1, 1, 0, 0, 1, 1}, 0, {0, 0, 0, 0}));
  EXPECT_EQ(op_counts(m), (Counts{{"AveragePool", 1}}));
  EXPECT_EQ(only(m, "AveragePool").get_ints("pads", {}), (Dims{1, 1, 1, 1}));
  EXPECT_EQ(only(m, "AveragePool").get_int("count_include_pad", -1), 1);
  EXPECT_EQ(m.outputs[0].dims, (Dims{1, 2, 6, 6}));
  EXPECT_EQ(only(normalized(avg({0, 0, 1, 0, 0, 0, 0, 0}, 1, {0, 1, 0, 1})), "AveragePool").get_ints("pads", {}),
            (Dims{1, 1, 0, 1}));
  expect_one_line_error(
      [&] {
        normalized(avg({0, 0, 1, 1, 0, 0, 1, 1}, 0, {0, 1, 0, 1}));
      },
      "'pool' (AveragePool): is padded both by a Pad (counted in the average) and by its own pads");
  expect_one_line_error(
      [&] {
        normalized(avg({0, 0, 2, 1, 0, 0, 1, 1}, 1, {1, 0, 0, 0}));
      },
      "padding 3 (with the Pad before it) reaches a whole kernel 3x3");
}

TEST(OnnxNormalize, UnusedOptionalOutputsOnly) {
  Builder b;
  b.input("x", {1, 1, 4, 4});
  b.node("Dropout", {"x"}, {"y", "mask"}, "drop");
  b.node("Add", {"y", "mask"}, {"z"});
  b.output("z");
  expect_one_line_error([&] { normalized(b); }, "'drop' (Dropout): output 1 ('mask') is used");

  Builder c = bn_model(false);
  c.graph->mutable_node(1)->add_output("running_mean");
  c.output("running_mean");
  Builder::integer(*c.graph->mutable_node(1), "training_mode", 1);
  expect_one_line_error([&] { normalized(c); }, "'bn' (BatchNormalization)");
}

TEST(OnnxNormalize, UnsupportedOperatorIsOneLineListingTheSupportedOnes) {
  for (const std::string op : {"Softmax", "LSTM", "Sigmoid"}) {
    Builder b;
    b.input("x", {1, 1, 4, 4});
    b.node("Relu", {"x"}, {"r"});
    b.node(op, {"r"}, {"y"}, "head");
    b.node("Tanh", {"y"}, {"z"}, "later");
    b.output("z");
    expect_one_line_error([&] { normalized(b); },
                          "built: ONNX node 'head' (" + op + "): unsupported operator; supported: Add, AveragePool, "
                          "BatchNormalization, Clip, Concat, Constant, Conv, Dropout, Flatten, Gemm, GlobalAveragePool, "
                          "Identity, MatMul, MaxPool, Pad, ReduceMean, Relu, Reshape; on constants only: Cast, "
                          "ConstantOfShape, Gather, Shape, Slice, Squeeze, Transpose, Unsqueeze (1 more unsupported node)");
  }
  Builder c;
  c.input("x", {1, 1, 4, 4});
  c.node("Relu", {"x"}, {"y"}).set_domain("com.microsoft");
  c.output("y");
  expect_one_line_error([&] { normalized(c); }, "unsupported operator (domain 'com.microsoft')");
  // Shape arithmetic on the image itself is not evaluable.
  Builder d;
  d.input("x", {1, 1, 4, 4});
  d.init("axes", Builder::int_tensor({1}, {0}));
  d.node("Squeeze", {"x", "axes"}, {"y"}, "sq");
  d.output("y");
  expect_one_line_error([&] { normalized(d); }, "'sq' (Squeeze): supported only on constants");
}

TEST(OnnxNormalize, SupportedOperatorListsAreSorted) {
  for (const auto* list : {&onnx_supported_ops(), &onnx_shape_arithmetic_ops()})
    EXPECT_TRUE(std::is_sorted(list->begin(), list->end()));
}

TEST(OnnxNormalize, InputMustBeOneImage) {
  Builder b;
  b.input("x", {1, 784}).weights("w", {10, 784});
  auto& g = b.node("Gemm", {"x", "w"}, {"y"});
  Builder::integer(g, "transB", 1);
  b.output("y");
  expect_one_line_error([&] { normalized(b); },
                        "built: ONNX input 'x' has shape 1x784 (rank 2); rcsim needs a rank-4 N x C x H x W image input");
  Builder c = testonnx::conv_model();
  c.graph->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(0)->set_dim_value(8);
  expect_one_line_error([&] { normalized(c); }, "ONNX input 'x' has batch 8; export with batch 1");
  Builder d = testonnx::conv_model();
  d.input("x2", {1, 2, 6, 6});
  expect_one_line_error([&] { normalized(d); }, "the model has 2 graph inputs");
}

TEST(OnnxNormalize, OutputDeclaredShapeMustMatch) {
  Builder b = testonnx::conv_model();  // computes 1x4x6x6
  auto* s = b.graph->mutable_output(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
  for (auto d : {1, 4, 5, 6}) s->add_dim()->set_dim_value(d);
  expect_one_line_error([&] { normalized(b); }, "ONNX output 'y' is declared 1x4x5x6 but computes 1x4x6x6");
}

}  // namespace
}  // namespace rcsim
