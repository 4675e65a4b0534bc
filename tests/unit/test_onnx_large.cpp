// torchvision resnet18 and mobilenet_v2 (1x3x224x224, random seeded weights), exported by
// workloads/onnx/export_models.py into the build tree by the ctest fixture onnx_export_large
// (never committed: 45 MB and 14 MB). Skipped, with the reason, when the build found no Python
// that imports torch.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <set>

#include "host/float_reference.h"
#include "onnx/onnx_import.h"
#include "onnx/onnx_normalize.h"
#include "onnx/onnx_reader.h"
#include "onnx_test_util.h"

namespace rcsim {
namespace {

using Counts = std::map<std::string, std::size_t>;
using Dims = std::vector<std::int64_t>;

const std::string kDir = RCSIM_ONNX_GENERATED_DIR;
const std::string kSkipReason = RCSIM_ONNX_SKIP_REASON;

/// The generated model `name`, read and checked against the manifest written with it.
OnnxModel read_generated(const std::string& name) {
  const std::string manifest = kDir + "/manifest.json";
  if (!std::filesystem::exists(manifest))
    throw std::runtime_error(manifest + " is missing: run `ctest -R onnx_export_large` or "
                             "`cmake --build <build> --target onnx_models` first");
  const auto e = testonnx::load_json(manifest)["models"][name];
  OnnxModel m = read_onnx(kDir + "/" + e["file"].get<std::string>());
  testonnx::expect_matches_manifest(m, e);
  return m;
}

#define SKIP_WITHOUT_TORCH() \
  if (!kSkipReason.empty()) GTEST_SKIP() << "torchvision models not generated: " << kSkipReason

TEST(OnnxLarge, Resnet18) {
  SKIP_WITHOUT_TORCH();
  OnnxModel m = read_generated("resnet18");
  EXPECT_EQ(m.inputs[0].dims, (Dims{1, 3, 224, 224}));
  normalize(m);
  EXPECT_EQ(testonnx::op_counts(m), (Counts{{"Conv", 20}, {"Relu", 17}, {"Add", 8}, {"MaxPool", 1},
                                            {"GlobalAveragePool", 1}, {"Flatten", 1}, {"Gemm", 1}}));
  const auto& pool = testonnx::only(m, "MaxPool");
  EXPECT_EQ(pool.get_ints("kernel_shape", {}), (Dims{3, 3}));
  EXPECT_EQ(m.shapes.at(pool.outputs[0]), (Dims{1, 64, 56, 56}));
  EXPECT_EQ(m.shapes.at(testonnx::only(m, "GlobalAveragePool").inputs[0]), (Dims{1, 512, 7, 7}));
  EXPECT_EQ(m.outputs[0].dims, (Dims{1, 1000}));
  // Counted per node (the exporter may share equal initializers between nodes): torchvision's
  // 11 689 512 parameters less the 2 x 4 800 of the 20 BNs, plus the 4 800 conv biases they
  // folded into.
  std::size_t weights = 0;
  for (const auto& n : m.nodes)
    for (std::size_t i = 1; i < n.inputs.size() && (n.op_type == "Conv" || n.op_type == "Gemm"); ++i) weights += m.initializers.at(n.inputs[i]).size();
  EXPECT_EQ(weights, 11689512u - 9600u + 4800u);
}

TEST(OnnxLarge, MobilenetV2) {
  SKIP_WITHOUT_TORCH();
  OnnxModel m = read_generated("mobilenet_v2");
  normalize(m);
  // 52 convolutions, 35 ReLU6 (exported as Clip), 10 inverted-residual Adds; the classifier's
  // Dropout is gone in the eval export.
  EXPECT_EQ(testonnx::op_counts(m), (Counts{{"Conv", 52}, {"Clip", 35}, {"Add", 10}, {"GlobalAveragePool", 1},
                                            {"Flatten", 1}, {"Gemm", 1}}));
  std::size_t depthwise = 0;
  for (const auto& n : m.nodes)
    if (n.op_type == "Conv" && n.get_int("group", 1) > 1) {
      EXPECT_EQ(n.get_int("group", 1), m.shapes.at(n.inputs[0])[1]) << n.label();
      ++depthwise;
    }
  EXPECT_EQ(depthwise, 17u);
  EXPECT_EQ(m.outputs[0].dims, (Dims{1, 1000}));
}

/// The imported model's float logits at full width for the manifest's synthetic image
/// x[i] = (i mod 251) / 250 agree with PyTorch's to 1e-4 of their range.
void expect_float_logits_match(const std::string& name) {
  const auto e = testonnx::load_json(kDir + "/manifest.json")["models"][name];
  const ImportedNetwork in = import_onnx_file(kDir + "/" + e["file"].get<std::string>());
  QuantizedNetwork qn;
  qn.net = in.net;
  qn.float_params = in.float_params;
  std::vector<float> x(std::size_t(qn.net.input.size()));
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(i % 251) / 250.0f;
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<float> got = float_forward(qn, qn.net.width_groups, x.data()).back();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto want = e["reference"]["logits"][0].get<std::vector<float>>();
  ASSERT_EQ(got.size(), want.size());
  double worst = 0;
  for (std::size_t j = 0; j < got.size(); ++j) worst = std::max(worst, std::fabs(double(got[j]) - double(want[j])));
  const double range =
      double(*std::max_element(want.begin(), want.end())) - double(*std::min_element(want.begin(), want.end()));
  std::cout << name << ": max |dlogit| " << worst << " over a logit range of " << range << " (float_forward " << seconds
            << " s)\n";
  EXPECT_LE(worst, 1e-4 * range);
}

TEST(OnnxLargeImport, Resnet18FloatLogitsMatchPyTorch) {
  SKIP_WITHOUT_TORCH();
  expect_float_logits_match("resnet18");
}

TEST(OnnxLargeImport, MobilenetV2FloatLogitsMatchPyTorch) {
  SKIP_WITHOUT_TORCH();
  expect_float_logits_match("mobilenet_v2");
}

}  // namespace
}  // namespace rcsim
