// Tiling through DRAM on the SystemC accelerator (mapper/tile_plan.h, the controller's
// double-buffered DMA, sim/dram): networks whose tensors and weights do not fit their buffers run
// in row and weight tiles with identical cycles, outputs and every counter in per-cycle and fast
// mode, every node equal to the integer reference; the DMA overlaps a tile's transfers with its
// neighbours' compute; the AlexNet-sized network (largest activation 580 800 bytes) runs on the
// default arch.
#include <gtest/gtest.h>

#include "core/errors.h"
#include "mapper/tile_plan.h"
#include "support/accel_test_util.h"
#include "support/graph_networks.h"

namespace rcsim {
namespace {

struct Case {
  const char* net;  // shipped name or YAML text
  std::vector<std::string> sets;
};

void expect_tiled_runs_agree(const QuantizedNetwork& qn, const ArchParams& arch, int min_k = 1) {
  AccelOptions per_cycle, fast, timing_only;
  per_cycle.mode = ExecMode::PerCycle;
  fast.mode = timing_only.mode = ExecMode::Fast;
  timing_only.compute_outputs = false;
  AcceleratorSim a(qn, arch, per_cycle), b(qn, arch, fast), t(qn, arch, timing_only);
  const auto image = test::random_image(qn, 5);
  bool row_tiled = false, weight_tiled = false, stalled = false, overlapped = false;
  for (int k = min_k; k <= qn.net.width_groups; ++k) {
    SCOPED_TRACE(qn.net.name + " " + test::describe(arch) + " width " + std::to_string(k));
    const InferenceRun ra = a.run({image}, k).at(0), rb = b.run({image}, k).at(0), rt = t.run({image}, k).at(0);
    const auto ref = int_forward(qn, k, image);
    ASSERT_EQ(ra.layers.size(), ref.size());
    for (std::size_t i = 0; i < ref.size(); ++i) {
      const std::string& node = qn.net.layers[i].name;
      EXPECT_EQ(ra.layers[i].output, ref[i]) << "per-cycle " << node;
      EXPECT_EQ(rb.layers[i].output, ref[i]) << "fast " << node;
      EXPECT_TRUE(ra.layers[i].counters == rb.layers[i].counters) << node;
      EXPECT_TRUE(ra.layers[i].counters == rt.layers[i].counters) << "timing-only " << node;
      const LayerCounters& c = ra.layers[i].counters;
      row_tiled |= c.row_tiles > 1;
      weight_tiled |= c.weight_tiles > 1;
      EXPECT_EQ(c.cycles, c.compute_cycles + c.dram_stall_cycles) << node;
      EXPECT_EQ(c.dram_read_bytes, ra.layers[i].dram.reads()) << node;
      EXPECT_EQ(c.dram_write_bytes, ra.layers[i].dram.outputs) << node;
      // Every byte moves in bursts: at least bytes / burst of them were issued during the node
      // (requests of a node complete before it ends).
      if (c.dram_read_bytes > 0) EXPECT_GT(c.dram_read_bursts, 0) << node;
      if (c.dram_write_bytes > 0) EXPECT_GT(c.dram_write_bursts, 0) << node;
      stalled |= c.dram_stall_cycles > 0;
      // Overlap: a tiled node with DRAM traffic that waited less than its transfers take alone.
      if (c.row_tiles * c.weight_tiles > 1 && c.dram_read_bytes > 0 &&
          c.dram_stall_cycles < ra.layers[i].dram_peak_cycles)
        overlapped = true;
    }
    EXPECT_EQ(ra.cycles, rb.cycles);
  }
  EXPECT_TRUE(row_tiled) << "no node was split into row tiles: the case tests nothing";
  EXPECT_TRUE(weight_tiled) << "no node was split into weight tiles";
  EXPECT_TRUE(stalled);
  EXPECT_TRUE(overlapped) << "no tiled node hid part of its transfers behind compute";
}

TEST(Tiling, GraphBlocksInTilesFastEqualsPerCycleEqualsReference) {
  const QuantizedNetwork qn = random_quantized_network(load_network("graph_blocks"), 8, 11);
  for (const char* df : {"ws", "os"})
    expect_tiled_runs_agree(qn, test::arch_with({"act_buffer.size_bytes=16000", "weight_sram.size_bytes=16KiB",
                                                 std::string("array.dataflow=") + df}));
}

TEST(Tiling, ChainInTilesFastEqualsPerCycleEqualsReference) {
  const QuantizedNetwork qn = random_quantized_network(load_network("cifar10_quick"), 8, 12);
  expect_tiled_runs_agree(qn, test::arch_with({"act_buffer.size_bytes=24000", "weight_sram.size_bytes=32KiB",
                                               "dram.type=ddr4-3200"}));
}

TEST(Tiling, ResidualNetworkInTilesWithInt16AndScaleSimTiming) {
  const QuantizedNetwork qn = random_quantized_network(parse_network(test::kResNetBlocks, "t.yaml"), 16, 13);
  expect_tiled_runs_agree(qn, test::arch_with({"act_buffer.size_bytes=1500", "weight_sram.size_bytes=2KiB",
                                               "precision=16", "timing=scalesim", "array.rows=8", "array.cols=4"}));
}

// The whole image and logits go through DRAM even when everything fits: the first node waits for
// the image, the classifier's logits are written back.
TEST(Tiling, ImageComesFromDramAndLogitsGoBack) {
  const QuantizedNetwork qn = random_quantized_network(load_network("mnist_lenet"), 8, 2);
  AccelOptions fast;
  fast.mode = ExecMode::Fast;
  AcceleratorSim sim(qn, test::arch_with({}), fast);
  const InferenceRun r = sim.run({test::random_image(qn, 1)}, 4).at(0);
  EXPECT_EQ(r.layers.front().dram.inputs, 28 * 28);
  EXPECT_GT(r.layers.front().counters.dram_stall_cycles, 0);
  EXPECT_EQ(r.layers.back().dram.outputs, 10 * 4);
  std::int64_t bytes = 0;
  for (const LayerRun& l : r.layers) bytes += l.counters.dram_read_bytes + l.counters.dram_write_bytes;
  EXPECT_EQ(bytes, 28 * 28 + 40);
}

// The activation buffer can no longer be too small for live tensors, only for one row's staging.
TEST(Tiling, TooSmallBufferNamesTheNodeItCannotStage) {
  const QuantizedNetwork qn = random_quantized_network(parse_network(test::kResNetBlocks, "t.yaml"), 8, 4);
  AccelOptions fast;
  fast.mode = ExecMode::Fast;
  try {
    AcceleratorSim sim(qn, test::arch_with({"act_buffer.size_bytes=100"}), fast);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("act_buffer.size_bytes: 100 bytes cannot stage node 'stem' of network "
                                         "'resnet_blocks' at width 1 even in one-row tiles"),
              std::string::npos)
        << e.what();
  }
}

TEST(Tiling, AlexNetSizedRunsOnTheDefaultArch) {
  const QuantizedNetwork qn = random_quantized_network(load_network("alexnet_sized"), 8, 3);
  const ArchParams arch = load_arch("default");
  ASSERT_EQ(qn.net.layers[0].out.size(), 580800);
  ASSERT_GT(qn.net.layers[0].out.size(), arch.act_bytes);
  AccelOptions fast;
  fast.mode = ExecMode::Fast;
  AcceleratorSim sim(qn, arch, fast);
  const auto image = test::random_image(qn, 9);
  for (int k : {1, 4}) {
    const InferenceRun r = sim.run({image}, k).at(0);
    const auto ref = int_forward(qn, k, image);
    for (std::size_t i = 0; i < ref.size(); ++i) EXPECT_EQ(r.layers[i].output, ref[i]) << qn.net.layers[i].name << " k" << k;
    EXPECT_GT(r.layers[0].counters.row_tiles, 1);
    EXPECT_GT(r.layers[0].dram.outputs, 0);  // conv1's output is spilled
  }
}

}  // namespace
}  // namespace rcsim
