// The ONNX reader on every checked-in PyTorch export (workloads/onnx/models), compared with
// manifest.json, which export_models.py wrote by reading the same files back with the onnx
// Python package: an independent reader of the same bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "host/dataset.h"
#include "onnx/onnx_reader.h"
#include "onnx_test_util.h"

namespace rcsim {
namespace {

using testonnx::expect_matches_manifest;
using testonnx::load_json;

const std::string kModels = RCSIM_ONNX_MODELS_DIR;

TEST(OnnxReader, EveryCheckedInModelMatchesTheManifest) {
  const auto manifest = load_json(kModels + "/manifest.json");
  ASSERT_GE(manifest["models"].size(), 7u);
  for (const auto& [name, e] : manifest["models"].items()) {
    SCOPED_TRACE(name);
    const OnnxModel m = read_onnx(kModels + "/" + e["file"].get<std::string>());
    expect_matches_manifest(m, e);
    EXPECT_EQ(m.producer.rfind("pytorch", 0), 0u) << m.producer;
  }
}

TEST(OnnxReader, TrainedFashionMnistModelMatchesItsSummary) {
  const auto j = load_json(kModels + "/fmnist_small.json");
  const OnnxModel m = read_onnx(kModels + "/" + j["model"].get<std::string>());
  expect_matches_manifest(m, j["summary"]);
  EXPECT_EQ(m.count("Add"), 1u);   // the residual
  EXPECT_EQ(m.count("Clip"), 2u);  // ReLU6 of the depthwise-separable block
}

// fmnist_small.json is what a float reference run on the imported model must reproduce: its
// labels are those of rcsim's own Fashion-MNIST loader in the same order, and its accuracy and
// predictions follow from its logits.
TEST(OnnxReader, FashionMnistReferenceIsConsistentWithTheDataset) {
  const auto j = load_json(kModels + "/fmnist_small.json");
  const auto logits = j["logits"].get<std::vector<std::vector<float>>>();
  const auto labels = j["labels"].get<std::vector<int>>();
  const auto predictions = j["predictions"].get<std::vector<int>>();
  const auto indices = j["indices"].get<std::vector<std::size_t>>();
  const std::size_t n = j["first_n"].get<std::size_t>();
  ASSERT_EQ(logits.size(), n);
  ASSERT_EQ(labels.size(), n);
  ASSERT_EQ(predictions.size(), n);
  ASSERT_EQ(indices.size(), n);
  std::size_t correct = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_EQ(logits[i].size(), 10u);
    const auto argmax = std::max_element(logits[i].begin(), logits[i].end()) - logits[i].begin();
    EXPECT_EQ(predictions[i], argmax) << i;
    correct += predictions[i] == labels[i];
  }
  EXPECT_EQ(correct, j["correct_first_n"].get<std::size_t>());
  EXPECT_DOUBLE_EQ(j["accuracy_first_n"].get<double>(), double(correct) / double(n));
  EXPECT_DOUBLE_EQ(j["accuracy_all"].get<double>(), j["correct_all"].get<double>() / 10000.0);
  EXPECT_GT(j["accuracy_all"].get<double>(), 0.85);  // a trained model, not a random one

  const std::string dir = "/usr/share/datasets/fashion-mnist";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << dir << " missing (apt install dataset-fashion-mnist)";
  const Dataset test = load_fashion_mnist(dir, Split::Test);
  ASSERT_EQ(test.size(), 10000u);
  for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(int(test.labels[indices[i]]), labels[i]) << i;
}

const OnnxNode& node_named(const OnnxModel& m, const std::string& name) {
  for (const auto& n : m.nodes)
    if (n.name == name) return n;
  throw std::runtime_error("no node " + name);
}

TEST(OnnxReader, AttributesAreTyped) {
  const OnnxModel m = read_onnx(kModels + "/dwsep.onnx");
  // The depthwise conv: groups = channels = 16, weights 16 x 1 x 3 x 3, BN folded into a bias.
  const OnnxNode& dw = node_named(m, "/block/dw/dw.0/Conv");
  EXPECT_EQ(dw.get_int("group", 1), 16);
  EXPECT_EQ(dw.get_ints("kernel_shape", {}), (std::vector<std::int64_t>{3, 3}));
  EXPECT_EQ(dw.get_ints("pads", {}), (std::vector<std::int64_t>{1, 1, 1, 1}));
  ASSERT_EQ(dw.inputs.size(), 3u);
  EXPECT_EQ(m.initializers.at(dw.inputs[1]).dims, (std::vector<std::int64_t>{16, 1, 3, 3}));
  EXPECT_EQ(m.initializers.at(dw.inputs[2]).dims, (std::vector<std::int64_t>{16}));
  // Kind mismatches and absent attributes.
  EXPECT_EQ(dw.get_int("no_such", 7), 7);
  EXPECT_THROW(dw.get_float("group", 0), InputError);
  EXPECT_THROW(dw.get_ints("group", {}), InputError);
  // ReLU6 is Clip with its bounds as Constant nodes holding float scalars.
  std::size_t constants = 0;
  for (const auto& n : m.nodes)
    if (n.op_type == "Constant") {
      const auto& v = n.attributes.at("value");
      ASSERT_EQ(v.kind, OnnxAttribute::Kind::Tensor);
      EXPECT_TRUE(v.tensor.dims.empty());
      ASSERT_EQ(v.tensor.size(), 1u);
      EXPECT_TRUE(v.tensor.values[0] == 0.0f || v.tensor.values[0] == 6.0f);
      ++constants;
    }
  EXPECT_EQ(constants, 2 * m.count("Clip"));
}

TEST(OnnxReader, BatchNormKeptAsNodesOrFolded) {
  const OnnxModel nodes = read_onnx(kModels + "/bn_nodes.onnx");
  const OnnxModel folded = read_onnx(kModels + "/bn_folded.onnx");
  EXPECT_EQ(nodes.count("BatchNormalization"), 3u);
  EXPECT_EQ(folded.count("BatchNormalization"), 1u);  // the one after the max-pool has no conv
  EXPECT_EQ(nodes.count("Conv"), 2u);
  EXPECT_EQ(folded.count("Conv"), 2u);
  const OnnxNode& bn = node_named(nodes, "/c1/c1.1/BatchNormalization");
  EXPECT_NEAR(bn.get_float("epsilon", 0), 1e-5f, 1e-9f);
  EXPECT_EQ(nodes.initializers.at(bn.inputs[4]).dims, (std::vector<std::int64_t>{8}));
}

TEST(OnnxReader, Int64ConstantsBecomeFloatsWithTheirType) {
  const OnnxModel m = read_onnx(kModels + "/pool_reshape_matmul.onnx");
  bool saw_sentinel = false;
  for (const auto& n : m.nodes)
    if (n.op_type == "Constant" && n.attributes.at("value").tensor.dtype == "int64")
      for (float v : n.attributes.at("value").tensor.values)
        saw_sentinel |= v < -9e18f;  // Slice's INT64_MIN + 1, "to the start", from F.pad
  EXPECT_TRUE(saw_sentinel);
  EXPECT_EQ(m.count("MatMul"), 1u);
  EXPECT_EQ(m.count("Shape"), 1u);
}

TEST(OnnxReader, ParsesFromMemoryToo) {
  std::ifstream f(kModels + "/resblock.onnx", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  const OnnxModel m = parse_onnx(bytes.data(), bytes.size(), "resblock bytes");
  EXPECT_EQ(m.source, "resblock bytes");
  EXPECT_EQ(m.count("Conv"), 6u);
  EXPECT_EQ(m.count("Add"), 2u);
}

}  // namespace
}  // namespace rcsim
