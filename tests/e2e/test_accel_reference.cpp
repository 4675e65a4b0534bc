// SystemC accelerator vs the integer reference (sim/host/int_reference.h): every layer's output
// and the logits bit-identical, for the three shipped networks, every width, both dataflows,
// both timing modes and both execution modes. Seeded random weights (bits 8); one image each.
#include <gtest/gtest.h>

#include <filesystem>
#include <tuple>

#include "core/errors.h"
#include "host/dataset.h"
#include "host/weights_file.h"
#include "support/accel_test_util.h"

namespace rcsim {
namespace {

using Param = std::tuple<std::string, std::string, std::string, std::string>;  // net, df, timing, mode

class AccelVsReference : public ::testing::TestWithParam<Param> {};

TEST_P(AccelVsReference, EveryLayerEveryWidthBitExact) {
  const auto& [net_name, df, timing, mode] = GetParam();
  const QuantizedNetwork qn = random_quantized_network(load_network(net_name), 8, 1234);
  const ArchParams arch = test::arch_with({"array.dataflow=" + df, "timing=" + timing});
  AccelOptions opts;
  opts.mode = parse_exec_mode(mode);
  AcceleratorSim sim(qn, arch, opts);
  const auto image = test::random_image(qn, 99);
  std::int64_t prev_cycles = 0;
  for (int k = 1; k <= qn.net.width_groups; ++k) {
    const auto ref = int_forward(qn, k, image);
    const auto runs = sim.run({image}, k);
    ASSERT_EQ(runs.size(), 1u);
    const InferenceRun& run = runs[0];
    ASSERT_EQ(run.layers.size(), ref.size());
    for (std::size_t i = 0; i < ref.size(); ++i)
      ASSERT_EQ(run.layers[i].output, ref[i]) << "layer " << qn.net.layers[i].name << " width " << k;
    // Width truncation is real hardware work: more channels, more cycles.
    EXPECT_GT(run.cycles, prev_cycles) << "width " << k;
    prev_cycles = run.cycles;
  }
}

std::string name(const ::testing::TestParamInfo<Param>& p) {
  std::string s = std::get<0>(p.param) + "_" + std::get<1>(p.param) + "_" + std::get<2>(p.param) + "_" +
                  std::get<3>(p.param);
  for (auto& ch : s)
    if (ch == '-') ch = '_';
  return s;
}

INSTANTIATE_TEST_SUITE_P(All, AccelVsReference,
                         ::testing::Combine(::testing::Values("mnist_lenet", "cifar10_quick", "svhn"),
                                            ::testing::Values("ws", "os"),
                                            ::testing::Values("overlapped", "scalesim"),
                                            ::testing::Values("per-cycle", "fast")),
                         name);

}  // namespace
}  // namespace rcsim

namespace rcsim {
namespace {

// The trained mnist_lenet (workloads/weights, produced by `rcsim train`) on real MNIST digits when
// both are present: every layer bit-exact at every width, both dataflows, both timing modes, both
// execution modes. Skipped (not passed) while the weights file has not been trained yet.
TEST(AccelVsReferenceTrained, MnistLenetEveryModeEveryWidth) {
  const std::string path = std::string(RCSIM_SOURCE_DIR) + "/workloads/weights/mnist_lenet-mnist-incremental.safetensors";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no trained weights at " << path;
  const Network net = load_network("mnist_lenet");
  const QuantizedNetwork qn = load_weights(path, &net);
  std::vector<std::vector<std::int32_t>> images;
  try {
    const Dataset ds = load_dataset("mnist", "", Split::Test).head(3);
    for (std::size_t i = 0; i < ds.size(); ++i) images.push_back(quantize_image(qn, ds.image(i)));
  } catch (const InputError&) {
    images.push_back(test::random_image(qn, 8));  // dataset not fetched: a random image
  }
  for (const char* df : {"ws", "os"})
    for (const char* timing : {"overlapped", "scalesim"})
      for (ExecMode mode : {ExecMode::PerCycle, ExecMode::Fast}) {
        AccelOptions opts;
        opts.mode = mode;
        AcceleratorSim sim(qn, test::arch_with({std::string("array.dataflow=") + df, std::string("timing=") + timing}), opts);
        for (int k = 1; k <= net.width_groups; ++k) {
          const auto runs = sim.run(images, k);
          for (std::size_t n = 0; n < images.size(); ++n) {
            const auto ref = int_forward(qn, k, images[n]);
            for (std::size_t i = 0; i < ref.size(); ++i)
              ASSERT_EQ(runs[n].layers[i].output, ref[i])
                  << df << " " << timing << " " << to_string(mode) << " k=" << k << " layer " << net.layers[i].name;
          }
        }
      }
}

}  // namespace
}  // namespace rcsim
