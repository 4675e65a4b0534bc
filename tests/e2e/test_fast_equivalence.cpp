// Fast (fold-level) mode vs per-cycle mode: identical cycles, outputs and every counter, over
// networks × array shapes (square, non-square, tiny) × dataflows × timing modes × widths
// (IS exists in timing: scalesim only). Per-cycle outputs also equal the integer reference.
#include <gtest/gtest.h>

#include <tuple>

#include "support/accel_test_util.h"

namespace rcsim {
namespace {

struct Case {
  const char* net;
  int rows, cols;
  const char* extra;  // an additional --set (e.g. a small SRAM that forces DRAM refills)
};

class FastVsPerCycle : public ::testing::TestWithParam<Case> {};

TEST_P(FastVsPerCycle, IdenticalCyclesOutputsCounters) {
  const Case& c = GetParam();
  const QuantizedNetwork qn = random_quantized_network(load_network(c.net), 8, 77);
  const auto image = test::random_image(qn, 5);
  for (const char* df : {"ws", "os", "is"})
    for (const char* timing : {"overlapped", "scalesim"}) {
      if (std::string(df) == "is" && std::string(timing) == "overlapped") continue;
      std::vector<std::string> sets{"array.rows=" + std::to_string(c.rows), "array.cols=" + std::to_string(c.cols),
                                    std::string("array.dataflow=") + df, std::string("timing=") + timing};
      if (*c.extra) sets.push_back(c.extra);
      const ArchParams arch = test::arch_with(sets);
      AccelOptions per_cycle, fast;
      per_cycle.mode = ExecMode::PerCycle;
      fast.mode = ExecMode::Fast;
      AcceleratorSim a(qn, arch, per_cycle), b(qn, arch, fast);
      for (int k = 1; k <= qn.net.width_groups; ++k) {
        SCOPED_TRACE(test::describe(arch) + " width " + std::to_string(k));
        const InferenceRun ra = a.run({image}, k).at(0), rb = b.run({image}, k).at(0);
        const auto ref = int_forward(qn, k, image);
        ASSERT_EQ(ra.layers.size(), ref.size());
        for (std::size_t i = 0; i < ref.size(); ++i)
          EXPECT_EQ(ra.layers[i].output, ref[i]) << "layer " << ra.layers[i].counters.layer << " vs int_forward";
        EXPECT_EQ(ra.cycles, rb.cycles);
        EXPECT_EQ(ra.macs, rb.macs);
        ASSERT_EQ(ra.layers.size(), rb.layers.size());
        for (std::size_t i = 0; i < ra.layers.size(); ++i) {
          EXPECT_EQ(ra.layers[i].output, rb.layers[i].output) << "layer " << ra.layers[i].counters.layer;
          EXPECT_TRUE(ra.layers[i].counters == rb.layers[i].counters) << "layer " << ra.layers[i].counters.layer;
        }
      }
    }
}

INSTANTIATE_TEST_SUITE_P(
    Sweep, FastVsPerCycle,
    ::testing::Values(Case{"mnist_lenet", 16, 16, ""}, Case{"mnist_lenet", 8, 8, ""}, Case{"mnist_lenet", 4, 16, ""},
                      Case{"mnist_lenet", 5, 7, ""}, Case{"mnist_lenet", 16, 4, ""}, Case{"mnist_lenet", 32, 32, ""},
                      Case{"mnist_lenet", 16, 16, "weight_sram.size_bytes=131072"},
                      Case{"cifar10_quick", 16, 16, ""}, Case{"cifar10_quick", 8, 8, ""},
                      Case{"svhn", 4, 16, ""}, Case{"svhn", 12, 20, ""}),
    [](const ::testing::TestParamInfo<Case>& p) {
      return std::string(p.param.net) + "_" + std::to_string(p.param.rows) + "x" + std::to_string(p.param.cols) +
             (*p.param.extra ? "_small_sram" : "");
    });

}  // namespace
}  // namespace rcsim
