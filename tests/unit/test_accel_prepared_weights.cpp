// What a simulator holds for its weights (accel/job_weights.h, accel/fast_gemm.h): a dense
// node's job at any width whose active channels are a prefix reads the network's own weight
// tensor (no copy), fast mode's GEMMs read it in place too (nothing packed per width or tile),
// and preparing the layers ahead of the first image (AcceleratorSim::prepare) changes no result.
#include <gtest/gtest.h>

#include <random>

#include "accel/accelerator.h"
#include "accel/fast_gemm.h"
#include "accel/layer_operands.h"
#include "core/arch_params.h"
#include "core/network_yaml.h"
#include "support/tiny_chain.h"
#include "core/quantized_network.h"

namespace rcsim {
namespace {

const char* const kChain = test::kTinyChain;  // tests/support/tiny_chain.h

TEST(PreparedWeights, FullWidthJobsReadTheNetworksTensor) {
  const QuantizedNetwork qn = random_quantized_network(parse_network(kChain, "t.yaml"), 8, 3);
  for (std::size_t i : {std::size_t(0), std::size_t(1), std::size_t(4)}) {
    ASSERT_TRUE(qn.quant_params[i].weight.int8_storage()) << i;
    const LayerOperands op = prepare_layer(qn, i, 4);
    ASSERT_EQ(op.jobs.size(), 1u);
    EXPECT_EQ(op.jobs[0].w.storage(), static_cast<const void*>(qn.quant_params[i].weight.data8())) << i;
    EXPECT_EQ(op.jobs[0].w.owned_bytes(), 0u) << i;
  }
}

TEST(PreparedWeights, FastGemmsOfEveryWidthReadTheNetworksTensorInPlace) {
  const QuantizedNetwork qn = random_quantized_network(parse_network(kChain, "t.yaml"), 8, 3);
  for (int k = 1; k <= qn.net.width_groups; ++k)
    for (std::size_t i : {std::size_t(0), std::size_t(1), std::size_t(4)}) {
      const LayerOperands op = prepare_layer(qn, i, k);
      ASSERT_EQ(op.jobs.size(), 1u);
      const GemmJob& job = op.jobs[0];
      EXPECT_EQ(job.w.storage(), static_cast<const void*>(qn.quant_params[i].weight.data8())) << i << " width " << k;
      EXPECT_EQ(job.w.owned_bytes(), 0u) << i << " width " << k;
      if (job.g.M > 1 && job.g.N >= 4 && fast_gemm_uses_onednn())
        EXPECT_EQ(FastGemm(job, job.g.M).onednn_weights(), static_cast<const void*>(qn.quant_params[i].weight.data8()))
            << i << " width " << k;
    }
}

TEST(PreparedWeights, PreparingRowTiledNodesAheadChangesNoResult) {
  const QuantizedNetwork qn = random_quantized_network(parse_network(kChain, "t.yaml"), 8, 3);
  const ArchParams arch = load_arch("default", {"act_buffer.size_bytes=6000"});
  const WeightLayout layout(qn.net, arch);
  const ActivationPlan act(qn.net, arch.precision);
  const TilePlan plan(qn.net, arch, layout, act, 4);
  ASSERT_GT(plan.node(0).row_tiles, 1);
  AccelOptions o;
  o.mode = ExecMode::Fast;
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> d(-128, 127);
  std::vector<std::int32_t> image(std::size_t(qn.net.input.size()));
  for (auto& v : image) v = d(rng);
  AcceleratorSim prepared(qn, arch, o), lazy(qn, arch, o);
  prepared.prepare(4);
  const InferenceRun a = prepared.run({image}, 4).at(0), b = lazy.run({image}, 4).at(0);
  EXPECT_EQ(a.cycles, b.cycles);
  ASSERT_EQ(a.layers.size(), b.layers.size());
  for (std::size_t i = 0; i < a.layers.size(); ++i) {
    EXPECT_EQ(a.layers[i].output, b.layers[i].output) << i;
    EXPECT_TRUE(a.layers[i].counters == b.layers[i].counters) << i;
  }
}

}  // namespace
}  // namespace rcsim
