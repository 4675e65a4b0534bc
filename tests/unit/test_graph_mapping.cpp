// The mapper on graph networks: GEMM jobs per node (dense, grouped, depthwise, fc over a
// non-prefix concat), weight groups and bank placement, the activation buffer's live tensors.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/arch_params.h"
#include "core/errors.h"
#include "core/network_yaml.h"
#include "mapper/activation_plan.h"
#include "mapper/node_jobs.h"
#include "mapper/weight_layout.h"
#include "support/graph_networks.h"

namespace rcsim {
namespace {

TEST(NodeJobs, CoverEveryActiveWeightOnceInItsGroup) {
  for (const char* yaml : {test::kEveryNodeKind, test::kConcatFc, test::kResNetBlocks, test::kInvertedResiduals}) {
    const Network net = parse_network(yaml, "t.yaml");
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
      const Layer& l = net.layers[i];
      if (!l.has_weights()) continue;
      for (int k = 1; k <= net.width_groups; ++k) {
        SCOPED_TRACE(net.name + " " + l.name + " width " + std::to_string(k));
        const std::vector<NodeJob> jobs = node_jobs(net, i, k);
        std::int64_t weights = 0, macs = 0;
        std::set<int> outs;
        for (const NodeJob& j : jobs) {
          ASSERT_EQ(j.rows.row_group.size(), std::size_t(j.g.K));
          ASSERT_EQ(j.rows.col_group.size(), std::size_t(j.g.N));
          ASSERT_EQ(j.in_pos.size() * std::size_t(j.kk), std::size_t(j.g.K));
          weights += j.g.K * j.g.N;
          macs += j.g.macs();
          for (std::size_t n = 0; n < j.out_channels.size(); ++n) {
            EXPECT_TRUE(outs.insert(j.out_pos[n]).second) << "output computed twice";
            EXPECT_EQ(net.active_channels(int(i), k)[std::size_t(j.out_pos[n])], j.out_channels[n]);
            // Every weight the job reads belongs to a group ≤ k.
            for (std::int64_t r = 0; r < j.g.K; ++r)
              EXPECT_LE(std::max<int>(j.rows.row_group[std::size_t(r)], j.rows.col_group[n]), k);
          }
        }
        EXPECT_EQ(int(outs.size()), net.active_out(i, k));
        EXPECT_EQ(weights, net.weight_count(i, k));
        EXPECT_EQ(macs, net.macs(i, k));
        if (l.kind == LayerKind::Conv && l.groups > 1) {
          for (const NodeJob& j : jobs) EXPECT_EQ(j.g.N, std::int64_t(std::count_if(j.out_channels.begin(), j.out_channels.end(),
                                                                          [&](int n) { return n / (l.out.c / l.groups) == j.conv_group; })));
        } else {
          ASSERT_EQ(jobs.size(), 1u);
        }
      }
    }
  }
}

TEST(NodeJobs, DepthwiseRunsOneJobPerChannelGroupedOnePerGroup) {
  const Network net = parse_network(test::kEveryNodeKind, "t.yaml");
  const std::size_t dw = net.index_of("dw"), grp = net.index_of("grp"), mix = net.index_of("mix");
  for (int k = 1; k <= 4; ++k) {
    const auto jobs = node_jobs(net, dw, k);
    EXPECT_EQ(int(jobs.size()), net.active_out(dw, k));
    for (const NodeJob& j : jobs) {
      EXPECT_EQ(j.g.K, 3);
      EXPECT_EQ(j.g.N, 1);
      EXPECT_EQ(j.g.M, 9 * 8);
    }
  }
  const auto g4 = node_jobs(net, grp, 4);
  ASSERT_EQ(g4.size(), 2u);
  EXPECT_EQ(g4[1].g.K, 9 * 4);  // 3x3 window x the group's 4 input channels
  EXPECT_EQ(g4[1].g.N, 6);
  EXPECT_EQ(g4[1].rows.row_slot[9], 9);  // rows count from the group's first input channel
  // mix reads the concat: its active input channels are not a prefix, the job reads them compactly.
  const auto m1 = node_jobs(net, mix, 1);
  const auto& act = net.active_channels(net.index_of("cat"), 1);
  ASSERT_EQ(m1[0].in_pos.size(), act.size());
  for (std::size_t p = 0; p < act.size(); ++p) {
    EXPECT_EQ(m1[0].in_pos[p], int(p));
    EXPECT_EQ(m1[0].rows.row_slot[p * 9], act[p] * 9);  // full-width weight row
  }
  EXPECT_FALSE(net.groups_of(net.index_of("cat")).prefix());
}

TEST(WeightLayout, GraphGroupBytesAreTheWeightsFirstUsedAtEachWidth) {
  const Network net = parse_network(test::kEveryNodeKind, "t.yaml");
  ArchParams a;
  const WeightLayout wl(net, a);
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    if (!net.layers[i].has_weights()) continue;
    std::int64_t total = 0;
    for (int g = 1; g <= 4; ++g) {
      // Group g holds exactly the weights whose group (max of output and input group) is g.
      std::int64_t count = 0;
      for (const NodeJob& j : node_jobs(net, i, 4))
        for (std::int64_t r = 0; r < j.g.K; ++r)
          for (std::int64_t n = 0; n < j.g.N; ++n)
            count += std::max<int>(j.rows.row_group[std::size_t(r)], j.rows.col_group[std::size_t(n)]) == g;
      EXPECT_EQ(wl.group_bytes(i, g), count) << net.layers[i].name << " group " << g;
      total += wl.group_bytes(i, g);
    }
    EXPECT_EQ(total, full_weight_count(net.layers[i]));
  }
}

TEST(ActivationPlan, ResidualsKeepTheirShortcutAlive) {
  const Network net = parse_network(test::kResNetBlocks, "t.yaml");
  const ActivationPlan plan(net, 8);
  const auto id = [&](const char* n) { return int(net.index_of(n)); };
  const auto live = [&](const char* n) { return plan.live(std::size_t(id(n))); };
  EXPECT_EQ(live("c1"), (std::vector<int>{id("stem"), id("c1")}));
  EXPECT_EQ(live("c2"), (std::vector<int>{id("stem"), id("c1"), id("c2")}));  // stem waits for proj
  EXPECT_EQ(live("proj"), (std::vector<int>{id("stem"), id("c2"), id("proj")}));
  EXPECT_EQ(live("c4"), (std::vector<int>{id("sum"), id("c3"), id("c4")}));  // sum waits for sum2
  EXPECT_EQ(plan.live_bytes(std::size_t(id("c2"))), 720 + 400 + 400);
  EXPECT_EQ(plan.released_after(std::size_t(id("proj"))), (std::vector<int>{id("stem")}));
  // flatten aliases its input: no bytes of its own, the pool's output lives until the fc read it.
  EXPECT_EQ(plan.tensor(id("fl")).bytes, 0);
  EXPECT_EQ(plan.tensor(id("fl")).storage, id("gap"));
  EXPECT_EQ(plan.tensor(id("gap")).last_use, id("cls"));
  EXPECT_EQ(plan.tensor(id("cls")).bytes, 10 * 4);  // int32 logits
}

TEST(ActivationPlan, ChainsKeepThePingPongRule) {
  const Network net = load_network("mnist_lenet");
  const ActivationPlan plan(net, 8);
  for (std::size_t i = 0; i < net.layers.size(); ++i) EXPECT_EQ(plan.live(i).size(), 2u) << i;
  EXPECT_EQ(plan.live_bytes(0), 28 * 28 + 20 * 24 * 24);  // the image and conv1's output
}

}  // namespace
}  // namespace rcsim
