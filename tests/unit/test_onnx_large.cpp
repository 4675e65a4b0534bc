// torchvision resnet18 and mobilenet_v2 (1x3x224x224, random seeded weights), exported by
// workloads/onnx/export_models.py into the build tree by the ctest fixture onnx_export_large
// (never committed: 45 MB and 14 MB). Skipped, with the reason, when the build found no Python
// that imports torch.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

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
  // Per node (the exporter shares equal initializers, e.g. the all-zero folded biases of a
  // fresh network): torchvision's 11 689 512 parameters less the 2 x 4 800 of the 20 BNs, plus
  // the 4 800 conv biases they folded into.
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

}  // namespace
}  // namespace rcsim
