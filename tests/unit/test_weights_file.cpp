#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>

#include "core/errors.h"
#include "core/network_yaml.h"
#include "host/safetensors.h"
#include "host/weights_file.h"

using namespace rcsim;

namespace {

std::string tmp_path(const std::string& name) {
  return ::testing::TempDir() + "/rcsim_wf_" + std::to_string(::getpid()) + "_" + name + ".safetensors";
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

void expect_same_network(const Network& a, const Network& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.input, b.input);
  EXPECT_EQ(a.width_groups, b.width_groups);
  ASSERT_EQ(a.layers.size(), b.layers.size());
  for (std::size_t i = 0; i < a.layers.size(); ++i) {
    const Layer& x = a.layers[i];
    const Layer& y = b.layers[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.kind, y.kind) << x.name;
    EXPECT_EQ(x.out_channels, y.out_channels) << x.name;
    EXPECT_EQ(x.kernel_h, y.kernel_h) << x.name;
    EXPECT_EQ(x.kernel_w, y.kernel_w) << x.name;
    EXPECT_EQ(x.stride_h, y.stride_h) << x.name;
    EXPECT_EQ(x.stride_w, y.stride_w) << x.name;
    EXPECT_EQ(x.pad_top, y.pad_top) << x.name;
    EXPECT_EQ(x.pad_right, y.pad_right) << x.name;
    EXPECT_EQ(x.groups, y.groups) << x.name;
    EXPECT_EQ(x.in_ids, y.in_ids) << x.name;
    EXPECT_EQ(x.relu, y.relu) << x.name;
    EXPECT_EQ(x.in, y.in) << x.name;
    EXPECT_EQ(x.out, y.out) << x.name;
    EXPECT_EQ(x.split, y.split) << x.name;
  }
}

/// A random network plus float parameters that dequantize its integers exactly.
QuantizedNetwork with_floats(QuantizedNetwork qn) {
  qn.float_params.resize(qn.net.layers.size());
  for (std::size_t i = 0; i < qn.net.layers.size(); ++i) {
    const auto& q = qn.quant_params[i];
    for (auto w : q.weight.values()) qn.float_params[i].weight.push_back(float(std::ldexp(w, -q.w_shift)));
    for (auto b : q.bias) qn.float_params[i].bias.push_back(float(std::ldexp(b, -(q.in_shift + q.w_shift))));
  }
  return qn;
}

void expect_same_weights(const QuantizedNetwork& a, const QuantizedNetwork& b) {
  expect_same_network(a.net, b.net);
  EXPECT_EQ(a.bits, b.bits);
  EXPECT_EQ(a.input_shift, b.input_shift);
  EXPECT_EQ(a.metadata, b.metadata);
  ASSERT_EQ(a.quant_params.size(), b.quant_params.size());
  for (std::size_t i = 0; i < a.quant_params.size(); ++i) {
    EXPECT_EQ(a.quant_params[i].weight, b.quant_params[i].weight);
    EXPECT_EQ(a.quant_params[i].bias, b.quant_params[i].bias);
    EXPECT_EQ(a.quant_params[i].in_shift, b.quant_params[i].in_shift);
    EXPECT_EQ(a.quant_params[i].w_shift, b.quant_params[i].w_shift);
    EXPECT_EQ(a.quant_params[i].out_shift, b.quant_params[i].out_shift);
  }
  ASSERT_EQ(a.float_params.size(), b.float_params.size());
  for (std::size_t i = 0; i < a.float_params.size(); ++i) {
    EXPECT_EQ(a.float_params[i].weight, b.float_params[i].weight);
    EXPECT_EQ(a.float_params[i].bias, b.float_params[i].bias);
  }
}

}  // namespace

TEST(NetworkYaml, ToYamlRoundTripsEveryShippedNetwork) {
  ASSERT_FALSE(builtin_network_names().empty());
  for (const auto& name : builtin_network_names()) {
    const Network n = load_network(name);
    const std::string y = to_yaml(n);
    const Network back = parse_network(y, "to_yaml(" + name + ")");
    expect_same_network(back, n);
    EXPECT_EQ(to_yaml(back), y) << name;
  }
}

TEST(NetworkYaml, ToYamlQuotesNamesThatLookLikeOtherTypes) {
  Network n = load_network("mnist_lenet");
  n.name = "true";
  n.layers[0].name = "1e3";
  n.layers[1].name = "a: \"b\", {c}";
  n.finalize("test");
  const Network back = parse_network(to_yaml(n), "test");
  expect_same_network(back, n);
}

class WeightsRoundTrip : public ::testing::TestWithParam<std::tuple<std::string, int, bool>> {};

TEST_P(WeightsRoundTrip, SaveThenLoadGivesTheSameNetwork) {
  const auto& [name, bits, floats] = GetParam();
  QuantizedNetwork qn = random_quantized_network(load_network(name), bits, 42);
  if (floats) qn = with_floats(qn);
  qn.metadata["dataset"] = "mnist";
  qn.metadata["bits"] = "99";  // reserved keys are written from the fields, not the map
  const std::string path = tmp_path(name + std::to_string(bits) + (floats ? "f" : ""));
  save_weights(qn, path);
  const Network expected = load_network(name);
  const QuantizedNetwork back = load_weights(path, &expected);
  qn.metadata.erase("bits");
  expect_same_weights(back, qn);
  EXPECT_EQ(back.has_float(), floats);
  // An int8 network's weights are stored one byte each, after loading as after generation.
  for (std::size_t i = 0; i < back.quant_params.size(); ++i) {
    const QuantWeights& w = back.quant_params[i].weight;
    if (w.empty()) continue;
    EXPECT_EQ(w.int8_storage(), bits == 8) << i;
    EXPECT_EQ(w.storage_bytes(), w.size() * std::size_t(bits / 8)) << i;
  }

  // The file itself: dtypes, shapes and metadata as documented in weights_file.h.
  const SafeTensors st = read_safetensors(path);
  EXPECT_EQ(st.metadata.at("rcsim.format"), "1");
  EXPECT_EQ(st.metadata.at("bits"), std::to_string(bits));
  EXPECT_EQ(st.metadata.at("network"), name);
  EXPECT_EQ(st.at("conv1.weight_q", path).dtype, bits == 8 ? DType::I8 : DType::I16);
  EXPECT_EQ(st.at("conv1.bias_q", path).dtype, DType::I32);
  EXPECT_EQ(st.find("conv1.weight") != nullptr, floats);
  EXPECT_EQ(st.find("pool1.weight_q"), nullptr);
  std::filesystem::remove(path);
}

INSTANTIATE_TEST_SUITE_P(Networks, WeightsRoundTrip,
                         ::testing::Combine(::testing::Values("mnist_lenet", "cifar10_quick", "svhn"), ::testing::Values(8, 16),
                                            ::testing::Bool()),
                         [](const auto& info) {
                           return std::get<0>(info.param) + "_" + std::to_string(std::get<1>(info.param)) +
                                  (std::get<2>(info.param) ? "_float" : "");
                         });

TEST(WeightsFile, GroupBoundariesAndShiftsInMetadata) {
  const QuantizedNetwork qn = random_quantized_network(load_network("mnist_lenet"), 8, 1);
  const std::string path = tmp_path("meta");
  save_weights(qn, path);
  const SafeTensors st = read_safetensors(path);
  // conv2 has 50 channels in 4 groups: ceil(k·50/4) = 0, 13, 25, 38, 50; the classifier is not split.
  const std::string g = st.metadata.at("group_boundaries");
  EXPECT_NE(g.find("\"conv2\":[0,13,25,38,50]"), std::string::npos) << g;
  EXPECT_NE(g.find("\"fc1\":[0,125,250,375,500]"), std::string::npos) << g;
  EXPECT_EQ(g.find("fc2"), std::string::npos) << g;
  EXPECT_NE(st.metadata.at("shifts").find("\"conv1\":{\"in_shift\":7"), std::string::npos);
  std::filesystem::remove(path);
}

TEST(WeightsFile, WrongNetworkIsAOneLineError) {
  const std::string path = tmp_path("wrongnet");
  save_weights(random_quantized_network(load_network("mnist_lenet"), 8, 1), path);
  const Network svhn = load_network("svhn");
  EXPECT_EQ(error_of([&] { load_weights(path, &svhn); }),
            path + ": weights are for network 'mnist_lenet', not 'svhn'");
  // Same name, one layer narrower.
  Network other = load_network("mnist_lenet");
  other.layers[4].out_channels = 400;
  other.finalize("test");
  EXPECT_EQ(error_of([&] { load_weights(path, &other); }),
            path + ": weights do not match network 'mnist_lenet': layer 4 ('fc1') out_channels is 500 in the weights, 400 in the network");
  std::filesystem::remove(path);
}

TEST(WeightsFile, DamagedFilesAreInputErrorsNamingTheFile) {
  const std::string good = tmp_path("good"), bad = tmp_path("bad");
  save_weights(with_floats(random_quantized_network(load_network("mnist_lenet"), 8, 3)), good);
  const SafeTensors st = read_safetensors(good);
  auto check = [&](const std::function<void(SafeTensors&)>& damage, const std::string& expect) {
    SafeTensors d = st;
    damage(d);
    write_safetensors(d, bad);
    const std::string msg = error_of([&] { load_weights(bad); });
    EXPECT_EQ(msg.rfind(bad + ": ", 0), 0u) << msg;
    EXPECT_NE(msg.find(expect), std::string::npos) << msg << "\n  expected: " << expect;
  };
  auto drop = [](const std::string& name) {
    return [name](SafeTensors& d) {
      d.tensors.erase(std::find_if(d.tensors.begin(), d.tensors.end(), [&](const Tensor& t) { return t.name == name; }));
    };
  };
  auto replace = [](const std::string& name, Tensor t) {
    return [name, t](SafeTensors& d) {
      for (auto& x : d.tensors)
        if (x.name == name) x = t;
    };
  };
  check(drop("conv2.bias_q"), "missing tensor 'conv2.bias_q'");
  check(drop("fc1.bias"), "missing tensor 'fc1.bias'");
  check(replace("fc2.bias_q", Tensor::from<std::int32_t>("fc2.bias_q", {11}, std::vector<int>(11))),
        "tensor 'fc2.bias_q' has shape [11], the network needs [10]");
  check(replace("fc2.bias_q", Tensor::from<std::int16_t>("fc2.bias_q", {10}, std::vector<int>(10))),
        "tensor 'fc2.bias_q' is I16, expected I32");
  check([](SafeTensors& d) { d.add(Tensor::from<float>("extra", {1}, std::vector<float>{1})); }, "unexpected tensor 'extra'");
  check([](SafeTensors& d) { d.metadata.erase("rcsim.format"); }, "not an rcsim weights file");
  check([](SafeTensors& d) { d.metadata["rcsim.format"] = "2"; }, "format version '2'");
  check([](SafeTensors& d) { d.metadata["bits"] = "eight"; }, "metadata 'bits' = 'eight' is not an integer");
  check([](SafeTensors& d) { d.metadata["network_yaml"] = "name: x\nlayers: 3\n"; }, ": network_yaml: ");
  check([](SafeTensors& d) { d.metadata["shifts"] = "{"; }, "not valid JSON");
  check([](SafeTensors& d) { d.metadata["group_boundaries"] = R"({"conv1":[0,5,10,15,20]})"; }, "group_boundaries");
  check([](SafeTensors& d) { d.metadata["shifts"] = R"({"conv1":{"in_shift":7}})"; }, "no integer w_shift for layer 'conv1'");
  check([](SafeTensors& d) { d.metadata["input_shift"] = "3"; }, "differs from the previous layer's out_shift");

  // Not safetensors at all, and every truncation of a real file.
  std::ifstream in(good, std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (std::size_t len = 0; len < bytes.size(); len += 1 + len / 8) {
    std::ofstream(bad, std::ios::binary | std::ios::trunc).write(bytes.data(), std::streamsize(len));
    EXPECT_THROW(load_weights(bad), InputError) << len;
  }
  std::ofstream(bad, std::ios::trunc) << "name: mnist_lenet\n";
  EXPECT_NE(error_of([&] { load_weights(bad); }).find("not a valid safetensors file"), std::string::npos);
  std::filesystem::remove(good);
  std::filesystem::remove(bad);
}

TEST(WeightsFile, SaveRejectsInvalidNetworks) {
  QuantizedNetwork qn = random_quantized_network(load_network("mnist_lenet"), 8, 1);
  qn.quant_params[0].weight.edit()[0] = 300;
  EXPECT_THROW(save_weights(qn, tmp_path("invalid")), InputError);
}

// Hardening (issue 16): a NaN float weight made the float reference silently NaN.
TEST(WeightsFile, NonFiniteFloatWeightsAreRejected) {
  QuantizedNetwork qn = with_floats(random_quantized_network(load_network("mnist_lenet"), 8, 3));
  EXPECT_NO_THROW(qn.validate());
  qn.float_params[0].weight[7] = std::nanf("");
  EXPECT_THROW(qn.validate(), InputError);
  qn.float_params[0].weight[7] = 0;
  qn.float_params.back().bias[0] = INFINITY;
  EXPECT_THROW(qn.validate(), InputError);
}
