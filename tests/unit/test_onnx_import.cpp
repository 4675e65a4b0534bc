// ONNX models → rcsim networks (sim/onnx/onnx_import.h, eval/model_source.h): the float
// reference of an imported model reproduces PyTorch's logits, its int8 quantization keeps the
// accuracy, every checked-in test model imports, the YAML and weights file round-trip, and the
// integer reference runs the imports at every width (fast == naive).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <thread>

#include "core/errors.h"
#include "core/network_yaml.h"
#include "eval/evaluator.h"
#include "eval/model_source.h"
#include "host/dataset.h"
#include "host/float_reference.h"
#include "host/int_reference.h"
#include "host/weights_file.h"
#include "onnx/onnx_import.h"
#include "onnx/onnx_layer_names.h"
#include "onnx/onnx_normalize.h"
#include "onnx/onnx_reader.h"
#include "onnx_builder.h"
#include "onnx_test_util.h"

namespace rcsim {
namespace {

namespace fs = std::filesystem;
const std::string kModels = RCSIM_ONNX_MODELS_DIR;
const std::string kFashion = "/usr/share/datasets/fashion-mnist";

#define SKIP_WITHOUT_FASHION_MNIST()                        \
  if (!fs::exists(kFashion + "/t10k-images-idx3-ubyte.gz")) \
  GTEST_SKIP() << "Fashion-MNIST not in " << kFashion << " (apt-get install dataset-fashion-mnist)"

std::string temp_path(const std::string& name) {
  const auto dir = fs::path(::testing::TempDir()) / ("rcsim_onnx_import_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return (dir / name).string();
}

QuantizedNetwork float_network(const ImportedNetwork& in) {
  QuantizedNetwork qn;
  qn.net = in.net;
  qn.float_params = in.float_params;
  return qn;
}

/// Largest |a − b| over two logit rows, and the range (max − min) of the reference row.
struct LogitDiff {
  double max_abs = 0, range = 0;
};
LogitDiff compare(const std::vector<float>& got, const std::vector<float>& want) {
  LogitDiff d;
  EXPECT_EQ(got.size(), want.size());
  for (std::size_t j = 0; j < std::min(got.size(), want.size()); ++j)
    d.max_abs = std::max(d.max_abs, std::fabs(double(got[j]) - double(want[j])));
  d.range = double(*std::max_element(want.begin(), want.end())) - double(*std::min_element(want.begin(), want.end()));
  return d;
}

std::vector<float> floats(const nlohmann::json& row) { return row.get<std::vector<float>>(); }

// ---- names -----------------------------------------------------------------------------------

TEST(OnnxLayerNames, ReadableNamesFromPyTorchScopes) {
  EXPECT_EQ(readable_layer_name("/layer1/layer1.0/conv1/Conv", "Conv"), "layer1.0.conv1");
  EXPECT_EQ(readable_layer_name("/features/features.1/conv/conv.0/conv.0.0/Conv", "Conv"), "features.1.conv.0.0");
  EXPECT_EQ(readable_layer_name("/layer1/layer1.0/downsample/downsample.0/Conv", "Conv"), "layer1.0.downsample.0");
  EXPECT_EQ(readable_layer_name("/layer1/layer1.0/Add", "Add"), "layer1.0.add");
  EXPECT_EQ(readable_layer_name("/block/Add_1", "Add"), "block.add_1");
  EXPECT_EQ(readable_layer_name("/maxpool/MaxPool", "MaxPool"), "maxpool");
  EXPECT_EQ(readable_layer_name("/pool1/MaxPool", "MaxPool"), "pool1");
  EXPECT_EQ(readable_layer_name("/features/features.3/MaxPool", "MaxPool"), "features.3.maxpool");
  EXPECT_EQ(readable_layer_name("/avgpool/GlobalAveragePool", "GlobalAveragePool"), "avgpool");
  EXPECT_EQ(readable_layer_name("/GlobalAveragePool", "GlobalAveragePool"), "avgpool");
  EXPECT_EQ(readable_layer_name("/Relu_1", "Relu"), "relu_1");
  EXPECT_EQ(readable_layer_name("/fc/Gemm", "Gemm"), "fc");
  EXPECT_EQ(readable_layer_name("/MatMul", "Gemm"), "fc");  // the op the exporter named is not the canonical one
  EXPECT_EQ(readable_layer_name("/bn_after_pool/BatchNormalization", "BatchNormalization"), "bn_after_pool");
  EXPECT_EQ(readable_layer_name("/dwsep/Clip_1", "Clip"), "dwsep.relu6_1");
  EXPECT_EQ(readable_layer_name("node#7", "Conv"), "conv");
  EXPECT_EQ(readable_layer_name("Conv_12", "Conv"), "conv_12");
  EXPECT_EQ(readable_layer_name("my conv: {x}", "Conv"), "my_conv___x_");
  EXPECT_EQ(readable_layer_name("", "Concat"), "concat");
  UniqueNames u;
  EXPECT_EQ(u.take("input"), "input_2");
  EXPECT_EQ(u.take("conv"), "conv");
  EXPECT_EQ(u.take("conv"), "conv_2");
  EXPECT_EQ(u.take("conv"), "conv_3");
}

// ---- fmnist_small: float fidelity and int8 accuracy -----------------------------------------

TEST(OnnxImport, FmnistSmallStructure) {
  const ImportedNetwork in = import_onnx_file(kModels + "/fmnist_small.onnx");
  const Network& net = in.net;
  EXPECT_EQ(net.name, "fmnist_small");
  EXPECT_EQ(net.input, (Shape3{1, 28, 28}));
  EXPECT_EQ(net.width_groups, 4);
  std::vector<std::string> names;
  for (const Layer& l : net.layers) names.push_back(l.name + ":" + to_string(l.kind) + ":" + to_string(l.activation()));
  // Relus fused into their convs and the add, Clip(0, 6) into the depthwise and pointwise convs,
  // the Flatten before the Gemm absorbed by the fc.
  EXPECT_EQ(names, (std::vector<std::string>{"stem.0:conv:relu", "block.conv1.0:conv:relu", "block.conv2.0:conv:none",
                                             "block.add:add:relu", "dwsep.dw.0:conv:relu6", "dwsep.pw.0:conv:relu6",
                                             "avgpool:avgpool:none", "fc:fc:none"}));
  const Layer& dw = net.layers[net.index_of("dwsep.dw.0")];
  EXPECT_TRUE(dw.depthwise());
  EXPECT_EQ(dw.stride_h, 2);
  EXPECT_EQ(net.layers[net.index_of("block.add")].in_ids,
            (std::vector<int>{int(net.index_of("block.conv2.0")), int(net.index_of("stem.0"))}));
  EXPECT_TRUE(net.layers.back().is_classifier);
  EXPECT_EQ(in.origin.at("stem.0"), "'/stem/stem.0/Conv' + '/Relu'");
  EXPECT_EQ(in.origin.at("dwsep.dw.0"), "'/dwsep/dw/dw.0/Conv' + '/dwsep/Clip'");
  EXPECT_EQ(in.metadata.at("onnx_opset"), "13");
  // Every weight and bias of the file (PyTorch's 5 930 parameters less the BNs' 96 folded away).
  EXPECT_EQ(net.total_weights(4),
            testonnx::load_json(kModels + "/fmnist_small.json")["summary"]["initializers"]["elements"]);
}

TEST(OnnxImport, FmnistSmallFloatLogitsMatchPyTorch) {
  SKIP_WITHOUT_FASHION_MNIST();
  const auto ref = testonnx::load_json(kModels + "/fmnist_small.json");
  const QuantizedNetwork qn = float_network(import_onnx_file(kModels + "/fmnist_small.onnx"));
  const Dataset test = load_fashion_mnist(kFashion, Split::Test).head(ref["first_n"].get<std::size_t>());
  ASSERT_EQ(test.size(), 1000u);
  double worst = 0, worst_ratio = 0;
  std::size_t correct = 0, same_prediction = 0;
  for (std::size_t i = 0; i < test.size(); ++i) {
    ASSERT_EQ(ref["indices"][i].get<std::size_t>(), i);
    ASSERT_EQ(ref["labels"][i].get<int>(), test.labels[i]);
    const std::vector<float> logits = float_forward(qn, qn.net.width_groups, test.image(i)).back();
    const LogitDiff d = compare(logits, floats(ref["logits"][i]));
    worst = std::max(worst, d.max_abs);
    worst_ratio = std::max(worst_ratio, d.max_abs / d.range);
    EXPECT_LE(d.max_abs, 1e-4 * d.range) << "image " << i;
    correct += argmax(logits) == test.labels[i];
    same_prediction += argmax(logits) == ref["predictions"][i].get<int>();
  }
  RecordProperty("max_abs_logit_difference", std::to_string(worst));
  RecordProperty("max_difference_over_range", std::to_string(worst_ratio));
  std::cout << "fmnist_small float vs PyTorch, 1000 test images: max |dlogit| " << worst << ", max |dlogit|/range "
            << worst_ratio << ", accuracy " << double(correct) / 10 << " % (PyTorch "
            << 100 * ref["accuracy_first_n"].get<double>() << " %)\n";
  EXPECT_EQ(correct, ref["correct_first_n"].get<std::size_t>());
  EXPECT_EQ(same_prediction, test.size());
}

/// Correct predictions of the float and the integer reference at width k over `test`.
std::pair<std::size_t, std::size_t> correct_float_int(const QuantizedNetwork& qn, const Dataset& test, int k) {
  const unsigned T = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::size_t> cf(T, 0), ci(T, 0);
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < T; ++t)
    pool.emplace_back([&, t] {
      for (std::size_t i = t; i < test.size(); i += T) {
        cf[t] += argmax(float_forward(qn, k, test.image(i)).back()) == test.labels[i];
        ci[t] += argmax(int_forward(qn, k, quantize_image(qn, test.image(i))).back()) == test.labels[i];
      }
    });
  for (auto& th : pool) th.join();
  std::size_t f = 0, q = 0;
  for (unsigned t = 0; t < T; ++t) f += cf[t], q += ci[t];
  return {f, q};
}

// All 10 000 test images: ~3 s for both references on 2 cores.
TEST(OnnxImport, FmnistSmallInt8WithinOnePointOfFloat) {
  SKIP_WITHOUT_FASHION_MNIST();
  const auto ref = testonnx::load_json(kModels + "/fmnist_small.json");
  const eval::LoadedModel m = eval::load_model(kModels + "/fmnist_small.onnx");
  eval::CalibrationSpec calib;
  calib.dataset = "fashion-mnist";
  const QuantizedNetwork qn = eval::quantize_model(m, 8, calib);
  const Dataset test = load_fashion_mnist(kFashion, Split::Test);
  const auto [cf, ci] = correct_float_int(qn, test, qn.net.width_groups);
  const double af = 100.0 * double(cf) / double(test.size()), ai = 100.0 * double(ci) / double(test.size());
  std::cout << "fmnist_small on 10000 test images: float " << af << " %, int8 " << ai << " % (PyTorch "
            << 100 * ref["accuracy_all"].get<double>() << " %)\n";
  EXPECT_EQ(cf, ref["correct_all"].get<std::size_t>());
  EXPECT_LE(std::fabs(af - ai), 1.0);
}

// ---- every checked-in test model -------------------------------------------------------------

class SmallModel : public ::testing::TestWithParam<std::string> {};
class ManifestModel : public ::testing::TestWithParam<std::string> {};

// manifest.json: PyTorch's logits of Fashion-MNIST test images 0..3 for every small model.
TEST_P(ManifestModel, FloatLogitsMatchPyTorch) {
  SKIP_WITHOUT_FASHION_MNIST();
  const auto e = testonnx::load_json(kModels + "/manifest.json")["models"][GetParam()];
  const QuantizedNetwork qn = float_network(import_onnx_file(kModels + "/" + GetParam() + ".onnx"));
  const Dataset test = load_fashion_mnist(kFashion, Split::Test);
  const auto& indices = e["reference"]["fashion_mnist_test_indices"];
  ASSERT_EQ(indices.size(), 4u);
  for (std::size_t r = 0; r < indices.size(); ++r) {
    const std::vector<float> logits =
        float_forward(qn, qn.net.width_groups, test.image(indices[r].get<std::size_t>())).back();
    const LogitDiff d = compare(logits, floats(e["reference"]["logits"][r]));
    EXPECT_LE(d.max_abs, 1e-4 * d.range) << GetParam() << " image " << indices[r];
  }
}

TEST_P(SmallModel, YamlAndWeightsFileRoundTrip) {
  const eval::LoadedModel m = eval::load_model(kModels + "/" + GetParam() + ".onnx");
  const std::string yaml = to_yaml(*m.net);
  const Network back = parse_network(yaml, GetParam() + ".yaml");
  EXPECT_EQ(to_yaml(back), yaml);
  ASSERT_EQ(back.layers.size(), m.net->layers.size());
  for (std::size_t i = 0; i < back.layers.size(); ++i) {
    const Layer &a = back.layers[i], &b = m.net->layers[i];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.in_ids, b.in_ids) << a.name;
    EXPECT_EQ(a.out, b.out) << a.name;
    EXPECT_EQ(back.groups_of(int(i)), m.net->groups_of(int(i))) << a.name;
  }
  // The weights file holds floats and integers; loaded against the YAML's network it gives
  // back the same tensors.
  const QuantizedNetwork qn = eval::quantize_model(m, 8, eval::CalibrationSpec{"", "", 8});
  const std::string path = temp_path(GetParam() + ".safetensors");
  save_weights(qn, path);
  const QuantizedNetwork loaded = load_weights(path, &back);
  ASSERT_EQ(loaded.quant_params.size(), qn.quant_params.size());
  for (std::size_t i = 0; i < qn.quant_params.size(); ++i) {
    EXPECT_EQ(loaded.quant_params[i].weight, qn.quant_params[i].weight);
    EXPECT_EQ(loaded.quant_params[i].bias, qn.quant_params[i].bias);
    EXPECT_EQ(loaded.quant_params[i].out_shift, qn.quant_params[i].out_shift);
    EXPECT_EQ(loaded.quant_params[i].post.size(), qn.quant_params[i].post.size());
    EXPECT_EQ(loaded.float_params[i].weight, qn.float_params[i].weight);
  }
  EXPECT_EQ(loaded.metadata.at("onnx_source"), kModels + "/" + GetParam() + ".onnx");
}

TEST_P(SmallModel, IntegerReferenceFastEqualsNaiveAtEveryWidth) {
  const eval::LoadedModel m = eval::load_model(kModels + "/" + GetParam() + ".onnx");
  for (int bits : {8, 16}) {
    const QuantizedNetwork qn = eval::quantize_model(m, bits, eval::CalibrationSpec{"", "", 8});
    const Dataset images = random_images(qn.net.input, 2, 7);
    for (int k = 1; k <= qn.net.width_groups; ++k)
      for (std::size_t i = 0; i < images.size(); ++i) {
        const auto x = quantize_image(qn, images.image(i));
        EXPECT_EQ(int_forward(qn, k, x), int_forward_naive(qn, k, x)) << GetParam() << " int" << bits << " width " << k;
      }
  }
}

INSTANTIATE_TEST_SUITE_P(Checked, ManifestModel,
                         ::testing::Values("resblock", "dwsep", "bn_nodes", "bn_folded", "grouped_concat",
                                           "pool_flatten", "pool_reshape_matmul", "avgpool_pad"));
INSTANTIATE_TEST_SUITE_P(Checked, SmallModel,
                         ::testing::Values("resblock", "dwsep", "bn_nodes", "bn_folded", "grouped_concat",
                                           "pool_flatten", "pool_reshape_matmul", "avgpool_pad", "fmnist_small"));

TEST(OnnxImport, BnNodesAndBnFoldedImportAlike) {
  const ImportedNetwork a = import_onnx_file(kModels + "/bn_nodes.onnx");
  const ImportedNetwork b = import_onnx_file(kModels + "/bn_folded.onnx");
  EXPECT_EQ(to_yaml(a.net).substr(to_yaml(a.net).find('\n')), to_yaml(b.net).substr(to_yaml(b.net).find('\n')));
  // The BN after the max-pool has no conv to fold into: a depthwise 1x1 conv (the affine).
  const Layer& bn = a.net.layers[a.net.index_of("bn_after_pool")];
  EXPECT_EQ(bn.kind, LayerKind::Conv);
  EXPECT_TRUE(bn.depthwise());
  EXPECT_EQ(bn.kernel_h, 1);
  ASSERT_EQ(a.float_params.size(), b.float_params.size());
  for (std::size_t i = 0; i < a.float_params.size(); ++i) {
    ASSERT_EQ(a.float_params[i].weight.size(), b.float_params[i].weight.size());
    for (std::size_t j = 0; j < a.float_params[i].weight.size(); ++j)
      EXPECT_NEAR(a.float_params[i].weight[j], b.float_params[i].weight[j], 1e-5) << a.net.layers[i].name << " " << j;
  }
}

TEST(OnnxImport, PoolFlattenAndReshapeMatmulImportAlike) {
  const ImportedNetwork a = import_onnx_file(kModels + "/pool_flatten.onnx");
  const ImportedNetwork b = import_onnx_file(kModels + "/pool_reshape_matmul.onnx");
  ASSERT_EQ(a.net.layers.size(), b.net.layers.size());
  for (std::size_t i = 0; i < a.net.layers.size(); ++i) {
    EXPECT_EQ(a.net.layers[i].kind, b.net.layers[i].kind);
    EXPECT_EQ(a.net.layers[i].out, b.net.layers[i].out);
    EXPECT_EQ(a.float_params[i].weight, b.float_params[i].weight);
  }
  // F.pad's asymmetric padding merged into c2; avg-pool 2x2; max-pool 3x3 stride 2 pad 1.
  const Layer& c2 = a.net.layers[a.net.index_of("c2")];
  EXPECT_EQ((std::vector<int>{c2.pad_top, c2.pad_left, c2.pad_bottom, c2.pad_right}), (std::vector<int>{0, 0, 1, 1}));
  EXPECT_EQ(a.net.layers[a.net.index_of("maxpool")].pad_top, 1);
}

TEST(OnnxImport, AveragePoolsWithPaddingInBothForms) {
  const ImportedNetwork in = import_onnx_file(kModels + "/avgpool_pad.onnx");
  const Network& net = in.net;
  const Layer& p1 = net.layers[net.index_of("pool1")];  // Pad + AveragePool: the zeros count
  EXPECT_TRUE(p1.count_include_pad);
  EXPECT_EQ((std::vector<int>{p1.pad_top, p1.pad_left, p1.pad_bottom, p1.pad_right}), (std::vector<int>{1, 1, 1, 1}));
  EXPECT_FALSE(net.layers[net.index_of("pool2")].count_include_pad);
  const Layer& p3 = net.layers[net.index_of("pool3")];
  EXPECT_EQ((std::vector<int>{p3.kernel_h, p3.kernel_w, p3.stride_h, p3.stride_w}), (std::vector<int>{3, 2, 2, 1}));
  EXPECT_EQ(p3.out, (Shape3{16, 4, 6}));
  EXPECT_TRUE(p3.count_include_pad);
}

TEST(OnnxImport, GroupedConcatKeepsGroupsAndConcatWidths) {
  const ImportedNetwork in = import_onnx_file(kModels + "/grouped_concat.onnx");
  const Network& net = in.net;
  EXPECT_EQ(net.layers[net.index_of("grouped.0")].groups, 4);
  EXPECT_EQ(net.layers[net.index_of("branch3x3.0")].groups, 2);
  const std::size_t cat = net.index_of("concat");
  EXPECT_EQ(net.active_channels(int(cat), 1), (std::vector<int>{0, 1, 8, 9}));
  EXPECT_EQ(net.active_channels(int(cat), 4).size(), 16u);
}

// ---- options ---------------------------------------------------------------------------------

TEST(OnnxImport, WidthGroupsAndFullWidthStem) {
  OnnxImportOptions o;
  o.width_groups = 2;
  o.full_width_stem = true;
  o.name = "renamed";
  const ImportedNetwork in = import_onnx_file(kModels + "/resblock.onnx", o);
  EXPECT_EQ(in.net.name, "renamed");
  EXPECT_EQ(in.net.width_groups, 2);
  const std::size_t stem = in.net.index_of("stem.0");
  EXPECT_FALSE(in.net.layers[stem].width_configurable);
  // The residual path adds to the stem, so the first block stays at full width with it.
  EXPECT_EQ(in.net.active_out(stem, 1), 8);
  EXPECT_EQ(in.net.active_out(in.net.index_of("block1.add"), 1), 8);
  EXPECT_EQ(in.net.active_out(in.net.index_of("block1.conv1.0"), 1), 4);
  // More groups than a layer has channels: one line saying what to do.
  o.width_groups = 9;
  testonnx::expect_one_line_error([&] { import_onnx_file(kModels + "/resblock.onnx", o); }, "--width-groups");
}

// ---- bad models ------------------------------------------------------------------------------

std::string write_model(const testonnx::Builder& b, const std::string& name) {
  const std::string path = temp_path(name);
  b.write(path);
  return path;
}

TEST(OnnxImport, ModelMustEndInItsClassifier) {
  testonnx::Builder b = testonnx::conv_model();  // ends in a Conv
  testonnx::expect_one_line_error(
      [&] { import_onnx_file(write_model(b, "no_fc.onnx")); },
      "ONNX output 'y' is computed by ONNX node 'conv' (Conv); rcsim needs the model to end in its classifier");
  testonnx::Builder r;
  r.input("x", {1, 4}).weights("w", {3, 4}).weights("c", {3});
  r.node("Gemm", {"x", "w", "c"}, {"g"}, "fc");
  r.node("Relu", {"g"}, {"y"}, "relu");
  r.output("y");
  testonnx::expect_one_line_error([&] { import_onnx_file(write_model(r, "rank2.onnx")); }, "rank-4");
}

TEST(OnnxImport, ReluAfterTheClassifierIsRejected) {
  testonnx::Builder b;
  b.input("x", {1, 1, 4, 4}).weights("w", {3, 16}).weights("c", {3});
  b.node("Flatten", {"x"}, {"f"}, "flat");
  testonnx::Builder::integer(b.node("Gemm", {"f", "w", "c"}, {"g"}, "fc"), "transB", 1);
  b.node("Relu", {"g"}, {"y"}, "relu");
  b.output("y");
  testonnx::expect_one_line_error([&] { import_onnx_file(write_model(b, "relu_logits.onnx")); },
                                  "is computed by ONNX node 'relu' (Relu)");
}

TEST(OnnxImport, TwoOutputsAreRejected) {
  testonnx::Builder b;
  b.input("x", {1, 1, 4, 4}).weights("w", {3, 16}).weights("c", {3});
  b.node("Flatten", {"x"}, {"f"}, "flat");
  testonnx::Builder::integer(b.node("Gemm", {"f", "w", "c"}, {"g"}, "fc"), "transB", 1);
  b.node("Relu", {"g"}, {"r"}, "relu");
  b.output("g").output("r");
  testonnx::expect_one_line_error([&] { import_onnx_file(write_model(b, "two_outputs.onnx")); }, "2 graph outputs");
}

TEST(OnnxImport, ModelSourceDispatchesOnTheSuffix) {
  EXPECT_TRUE(eval::is_onnx_spec("a/b/model.onnx"));
  EXPECT_TRUE(eval::is_onnx_spec("MODEL.ONNX"));
  EXPECT_FALSE(eval::is_onnx_spec("mnist_lenet"));
  EXPECT_FALSE(eval::is_onnx_spec("net.yaml"));
  EXPECT_FALSE(eval::is_onnx_spec(".onnx.yaml"));
  EXPECT_EQ(eval::load_network_spec("mnist_lenet").name, "mnist_lenet");
  EXPECT_FALSE(eval::load_model("mnist_lenet").imported);
  testonnx::expect_one_line_error([] { eval::load_model(temp_path("missing.onnx")); }, "missing.onnx");
  // A YAML network has no float weights of its own.
  testonnx::expect_one_line_error([] { eval::quantize_model(eval::load_model("mnist_lenet"), 8, {}); },
                                  "no float weights of its own");
  // Calibration on a dataset of another image shape.
  SKIP_WITHOUT_FASHION_MNIST();
  eval::LoadedModel m = eval::load_model(kModels + "/resblock.onnx");
  eval::CalibrationSpec c;
  c.dataset = "fashion-mnist";
  c.images = 4;
  EXPECT_NO_THROW(eval::quantize_model(m, 16, c));
}

TEST(OnnxImport, EvaluatorCachesWeightsPerCalibration) {
  eval::Evaluator ev;
  const std::string m = kModels + "/resblock.onnx";
  const eval::CalibrationSpec a{"", "", 4}, b{"", "", 8};
  std::string label;
  const auto wa = ev.weights(m, "", 8, 1, &label, a);
  EXPECT_NE(label.find("its own weights, int8, calibrated on random images (seed 1), first 4"), std::string::npos)
      << label;
  EXPECT_EQ(ev.weights(m, "", 8, 1, nullptr, a), wa);  // the same options: cached
  EXPECT_NE(ev.weights(m, "", 8, 1, nullptr, b), wa);  // another calibration: another quantization
  EXPECT_EQ(ev.weights(m, "", 8, 2, nullptr, a), wa);  // the seed selects random weights only
  EXPECT_NE(ev.weights(m, "", 16, 1, nullptr, a), wa);
  const auto r = ev.weights(m, "random", 8, 1, nullptr, a);
  EXPECT_EQ(ev.weights(m, "random", 8, 1, nullptr, b), r);  // the calibration only for its own weights
  EXPECT_EQ(ev.model(m), ev.model(m));
  EXPECT_TRUE(ev.model(m)->imported);
  EXPECT_EQ(ev.network(m)->name, "resblock");
}

}  // namespace
}  // namespace rcsim
