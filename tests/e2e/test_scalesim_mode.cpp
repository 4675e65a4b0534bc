// timing: scalesim — every conv/fc layer's simulated cycles equal SCALE-Sim v2's closed form
// (folds·per_fold − 1), written out here from the layer's GEMM view, for the three networks,
// all widths, arrays 8×8, 16×16, 32×32 and 4×16, dataflows ws, os and is (fast mode; fast ==
// per-cycle is test_fast_equivalence), and the outputs equal the integer reference.
#include <gtest/gtest.h>

#include "mapper/gemm_view.h"
#include "support/accel_test_util.h"

namespace rcsim {
namespace {

class ScaleSimMode : public ::testing::TestWithParam<const char*> {};

TEST_P(ScaleSimMode, LayerCyclesEqualClosedForm) {
  auto cdiv = [](std::int64_t a, std::int64_t b) { return (a + b - 1) / b; };
  const QuantizedNetwork qn = random_quantized_network(load_network(GetParam()), 8, 3);
  const auto image = test::random_image(qn, 4);
  for (auto [R, C] : {std::pair{8, 8}, {16, 16}, {32, 32}, {4, 16}})
    for (const char* df : {"ws", "os", "is"}) {
      // A weight SRAM large enough that no layer waits for DRAM (SCALE-Sim assumes none).
      const ArchParams arch = test::arch_with({"array.rows=" + std::to_string(R), "array.cols=" + std::to_string(C),
                                               std::string("array.dataflow=") + df, "timing=scalesim",
                                               "weight_sram.size_bytes=8388608"});
      AccelOptions opts;
      opts.mode = ExecMode::Fast;
      opts.compute_outputs = true;
      AcceleratorSim sim(qn, arch, opts);
      for (int k = 1; k <= qn.net.width_groups; ++k) {
        const InferenceRun run = sim.run({image}, k).at(0);
        const auto ref = int_forward(qn, k, image);
        ASSERT_EQ(run.layers.size(), ref.size());
        for (std::size_t i = 0; i < qn.net.layers.size(); ++i) {
          if (!qn.net.layers[i].has_weights()) continue;
          const GemmView g = gemm_view(qn.net, i, k);
          const std::string d = df;
          const std::int64_t expected = d == "ws"   ? cdiv(g.K, R) * cdiv(g.N, C) * (2 * R + C + g.M - 2) - 1
                                        : d == "is" ? cdiv(g.K, R) * cdiv(g.M, C) * (2 * R + C + g.N - 2) - 1
                                                    : cdiv(g.M, R) * cdiv(g.N, C) * (R + C + g.K - 2) - 1;
          // SCALE-Sim's compute cycles; since DRAM tiling, the image's load before the first layer
          // and the logits' store after the last add stall cycles (nothing else here: every weight
          // and activation fits on chip).
          const LayerCounters& c = run.layers[i].counters;
          EXPECT_EQ(c.compute_cycles, expected) << test::describe(arch) << " " << qn.net.layers[i].name << " k=" << k;
          EXPECT_EQ(c.cycles, c.compute_cycles + c.dram_stall_cycles);
          if (i > 0 && i + 1 < qn.net.layers.size()) EXPECT_EQ(c.dram_stall_cycles, 0) << qn.net.layers[i].name;
          EXPECT_EQ(run.layers[i].output, ref[i]) << test::describe(arch) << " " << qn.net.layers[i].name << " k=" << k;
        }
      }
    }
}

INSTANTIATE_TEST_SUITE_P(Networks, ScaleSimMode, ::testing::Values("mnist_lenet", "cifar10_quick", "svhn"));

}  // namespace
}  // namespace rcsim
