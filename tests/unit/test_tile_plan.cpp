// The mapper's tiling through DRAM (mapper/tile_plan.h): tensor residence (image and logits in
// DRAM, spills only when the live tensors do not fit), row tiles with their halos recomputed from
// the window geometry, weight tiles through the SRAM's staging area, the loop order with less
// traffic, width-aware bytes, and the one-line error when nothing can be staged.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/errors.h"
#include "core/network_yaml.h"
#include "support/tiny_chain.h"
#include "mapper/tile_plan.h"

namespace rcsim {
namespace {

const char* const kChain = test::kTinyChain;  // tests/support/tiny_chain.h

struct Planned {
  Network net;
  ArchParams arch;
  std::unique_ptr<WeightLayout> layout;
  std::unique_ptr<ActivationPlan> act;
  std::unique_ptr<TilePlan> plan;
  Planned(const char* yaml, const std::vector<std::string>& sets, int k)
      : net(parse_network(yaml, "t.yaml")), arch(load_arch("default", sets)) {
    layout = std::make_unique<WeightLayout>(net, arch);
    act = std::make_unique<ActivationPlan>(net, arch.precision);
    plan = std::make_unique<TilePlan>(net, arch, *layout, *act, k);
  }
};

TEST(TilePlan, ImageArrivesAndLogitsLeaveThroughDramNothingElseWhenItFits) {
  for (int k = 1; k <= 4; ++k) {
    Planned p(kChain, {}, k);
    EXPECT_TRUE(p.plan->in_dram(kNetworkInput));
    EXPECT_TRUE(p.plan->in_dram(4));  // fc: the logits
    for (int t = 0; t < 4; ++t) EXPECT_FALSE(p.plan->in_dram(t)) << t;
    // conv1 loads the image once (3 x 32 x 32 bytes, every channel: the image is not split), fc
    // stores its int32 logits (k of 4 groups' outputs are active; the classifier keeps all 10).
    const NodeTiling& c1 = p.plan->node(0);
    EXPECT_EQ(c1.tiles.size(), 1u);
    EXPECT_EQ(c1.dram.inputs, 3 * 32 * 32);
    EXPECT_EQ(c1.dram.outputs, 0);
    EXPECT_EQ(p.plan->node(4).dram.outputs, 10 * 4);
    std::int64_t total = 0;
    for (std::size_t i = 0; i < p.net.layers.size(); ++i) total += p.plan->node(i).dram.total();
    EXPECT_EQ(total, 3 * 32 * 32 + 40);
  }
}

TEST(TilePlan, RowTilesLoadTheirHalosAndFitTheBuffer) {
  // 6000 bytes: conv1's output (16 KiB at full width) must go through DRAM.
  Planned p(kChain, {"act_buffer.size_bytes=6000"}, 4);
  EXPECT_TRUE(p.plan->in_dram(0));
  const NodeTiling& c1 = p.plan->node(0);
  ASSERT_GT(c1.row_tiles, 1);
  EXPECT_LE(c1.staging_bytes, 6000);
  // Each tile reads input rows [oy0 - 1, oy1 + 1) clipped to the image (3x3, pad 1, stride 1) and
  // writes its own output rows; the tiles cover the output exactly once.
  std::int64_t rows_out = 0, in_bytes = 0;
  for (const NodeTile& t : c1.tiles) {
    const int r0 = std::max(0, t.oy0 - 1), r1 = std::min(32, t.oy1 + 1);
    EXPECT_EQ(t.bytes.inputs, std::int64_t(3) * 32 * (r1 - r0));
    EXPECT_EQ(t.bytes.outputs, std::int64_t(16) * 32 * (t.oy1 - t.oy0));
    rows_out += t.oy1 - t.oy0;
    in_bytes += t.bytes.inputs;
  }
  EXPECT_EQ(rows_out, 32);
  EXPECT_EQ(c1.dram.inputs, in_bytes);
  EXPECT_GT(in_bytes, 3 * 32 * 32);  // the halos are read twice
  // Fewest tiles: one more row per tile would not fit (double-buffered input + output tile).
  const int rpt = c1.tiles[0].oy1 - c1.tiles[0].oy0;
  if (rpt < 32) {
    const std::int64_t bigger = 2 * (std::int64_t(3) * 32 * std::min(32, rpt + 2) + std::int64_t(16) * 32 * (rpt + 1));
    EXPECT_GT(bigger, 6000 - 0) << "a larger tile would have fit";
  }
  // conv2 reads conv1's output back with stride 2: rows [2·oy0 − 1, 2·(oy1 − 1) + 2).
  const NodeTiling& c2 = p.plan->node(1);
  for (const NodeTile& t : c2.tiles) {
    const int r0 = std::max(0, 2 * t.oy0 - 1), r1 = std::min(32, 2 * (t.oy1 - 1) - 1 + 3);
    EXPECT_EQ(t.bytes.inputs, std::int64_t(16) * 32 * (r1 - r0));
  }
}

TEST(TilePlan, NarrowWidthMovesLessAndKeepsMoreOnChip) {
  std::int64_t last = -1;
  for (int k = 1; k <= 4; ++k) {
    Planned p(kChain, {"act_buffer.size_bytes=6000"}, k);
    std::int64_t total = 0;
    for (std::size_t i = 0; i < p.net.layers.size(); ++i) total += p.plan->node(i).dram.total();
    EXPECT_GT(total, last) << "width " << k;
    last = total;
  }
  // Width 1: conv1's output is 4 x 32 x 32 = 4 KiB: it fits next to the image's row tiles? The
  // image itself is always in DRAM, so only the staging of conv1's input competes.
  Planned narrow(kChain, {"act_buffer.size_bytes=6000"}, 1);
  EXPECT_FALSE(narrow.plan->in_dram(0));
}

TEST(TilePlan, ResidualsAreSpilledWhenTheBufferCannotKeepThem) {
  const char* yaml = R"(
name: res
input: {channels: 8, height: 16, width: 16}
width_groups: 4
layers:
  - {name: stem, type: conv, out_channels: 16, kernel: 3, pad: 1, relu: true}
  - {name: c1, type: conv, out_channels: 16, kernel: 3, pad: 1, relu: true}
  - {name: c2, type: conv, out_channels: 16, kernel: 3, pad: 1}
  - {name: sum, type: add, inputs: [c2, stem], relu: true}
  - {name: gap, type: avgpool, global: true}
  - {name: fl, type: flatten}
  - {name: cls, type: fc, out_features: 10}
)";
  // Each 16x16x16 tensor is 4 KiB: c2 needs c1, c2 and the kept stem (12 KiB).
  Planned roomy(yaml, {"act_buffer.size_bytes=13000"}, 4);
  EXPECT_FALSE(roomy.plan->in_dram(0));
  Planned tight(yaml, {"act_buffer.size_bytes=9000"}, 4);
  EXPECT_TRUE(tight.plan->in_dram(0) || tight.plan->in_dram(1) || tight.plan->in_dram(2));
  // The add reads its second operand (the shortcut) back as a residual when it was spilled.
  const NodeTiling& sum = tight.plan->node(3);
  if (tight.plan->in_dram(0)) EXPECT_EQ(sum.dram.residuals, 4096);
  for (std::size_t i = 0; i < tight.net.layers.size(); ++i) EXPECT_LE(tight.plan->node(i).staging_bytes, 9000);
}

TEST(TilePlan, WeightTilesStreamThroughTheStagingAreaInTheCheaperOrder) {
  // 16 KiB of SRAM over 4 groups: 4 KiB per group, 1 KiB of it staging; conv2's 16x16x3x3 and
  // the fc's weights do not all stay.
  for (const char* buf : {"act_buffer.size_bytes=128KiB", "act_buffer.size_bytes=6000"}) {
    // A 4-column array: 16 output channels are 4 folds of columns a weight tile can split.
    Planned p(kChain, {"weight_sram.size_bytes=4KiB", "array.cols=4", buf}, 4);
    EXPECT_EQ(p.layout->staging_bytes(), 256);
    bool weight_tiled = false;
    for (std::size_t i = 0; i < p.net.layers.size(); ++i) {
      const NodeTiling& n = p.plan->node(i);
      if (!p.net.layers[i].has_weights()) continue;
      const std::int64_t w = p.layout->dram_bytes(i, 4);
      if (w == 0) {
        EXPECT_EQ(n.dram.weights, 0);
        continue;
      }
      weight_tiled |= n.weight_tiles > 1;
      // Weights outer: fetched once, inputs re-read per weight tile; rows outer: the reverse.
      EXPECT_EQ(n.dram.weights, w * n.weight_fetches);
      if (n.weight_tiles > 1 && n.row_tiles > 1) {
        EXPECT_EQ(n.weight_fetches, n.weights_outer ? 1 : n.row_tiles);
        // The order taken is the one with fewer bytes.
        std::int64_t in_once = 0;
        for (const NodeTile& t : n.tiles)
          if (t.weight_tile == 0) in_once += t.bytes.inputs + t.bytes.residuals;
        const std::int64_t weights_outer = w + n.weight_tiles * in_once, rows_outer = n.row_tiles * w + in_once;
        EXPECT_EQ(n.dram.weights + n.dram.inputs + n.dram.residuals, std::min(weights_outer, rows_outer));
      }
    }
    EXPECT_TRUE(weight_tiled) << buf;
  }
}

TEST(TilePlan, ABufferThatCannotStageOneRowIsAOneLineError) {
  // conv1 in one-row tiles: a middle tile reads 3 input rows (3 x 32 x 3 = 288 bytes) and writes
  // one output row (16 x 32 = 512 bytes), double-buffered: 2 x 800.
  try {
    Planned p(kChain, {"act_buffer.size_bytes=400"}, 4);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "arch 'default': act_buffer.size_bytes: 400 bytes cannot stage node 'conv1' of network 'tiny_chain' at "
              "width 4 even in one-row tiles with every tensor in DRAM (needs 1600 bytes)");
  }
}

}  // namespace
}  // namespace rcsim
