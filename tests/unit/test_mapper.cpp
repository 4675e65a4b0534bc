// Mapper: GEMM views of truncated layers, fold plans, SCALE-Sim's closed form, weight layout.
#include <gtest/gtest.h>

#include "core/network_yaml.h"
#include "accel/dataflow/dataflow.h"  // plan_folds, scalesim_cycles: the dataflow plug-ins
#include "core/errors.h"
#include "mapper/fold_plan.h"
#include "mapper/gemm_view.h"
#include "mapper/node_jobs.h"
#include "mapper/weight_layout.h"

namespace rcsim {
namespace {

TEST(GemmView, LenetLayersFollowTheActiveChannels) {
  const Network net = load_network("mnist_lenet");
  // conv1 (1→20, 5×5 on 28×28): 24×24 pixels, K = 25, N = ceil(k·20/4).
  EXPECT_EQ(gemm_view(net, 0, 4).M, 576);
  EXPECT_EQ(gemm_view(net, 0, 4).K, 25);
  EXPECT_EQ(gemm_view(net, 0, 1).N, 5);
  // conv2 at k = 2: 10 input channels × 25, 25 outputs; 8×8 pixels.
  const GemmView c2 = gemm_view(net, 2, 2);
  EXPECT_EQ(c2.M, 64);
  EXPECT_EQ(c2.K, 250);
  EXPECT_EQ(c2.N, 25);
  // fc1 at k = 2: 25 channels × 4×4 features in, 250 out; M = 1.
  const GemmView f1 = gemm_view(net, 4, 2);
  EXPECT_EQ(f1.M, 1);
  EXPECT_EQ(f1.K, 400);
  EXPECT_EQ(f1.N, 250);
  // The classifier's outputs are never split.
  EXPECT_EQ(gemm_view(net, 5, 1).N, 10);
  EXPECT_EQ(gemm_view(net, 5, 1).K, 125);
  EXPECT_THROW(gemm_view(net, 1, 1), InternalError);  // a pool has no GEMM
}

TEST(ScaleSimClosedForm, HandDerivedLenetConv1) {
  const Network net = load_network("mnist_lenet");
  const GemmView g = gemm_view(net, 0, 4);  // M = 576, K = 25, N = 20
  // WS: Sr = K = 25, Sc = N = 20, T = M = 576 → ceil(25/16)·ceil(20/16) = 4 folds of
  // 2·16 + 16 + 576 − 2 = 622 cycles; SCALE-Sim reports 4·622 − 1.
  EXPECT_EQ(scalesim_cycles(g, Dataflow::WS, 16, 16), 2487);
  // OS: Sr = M = 576, Sc = N = 20, T = K = 25 → 36·2 folds of 16 + 16 + 25 − 2 = 55.
  EXPECT_EQ(scalesim_cycles(g, Dataflow::OS, 16, 16), 72 * 55 - 1);
  // IS: Sr = K = 25, Sc = M = 576, T = N = 20 → 2·36 folds of 2·16 + 16 + 20 − 2 = 66.
  EXPECT_EQ(scalesim_cycles(g, Dataflow::IS, 16, 16), 72 * 66 - 1);
}

// The closed form written out again from the layer's YAML fields (not via gemm_view), for the
// three networks, every width, the arrays of the issue and all three dataflows.
TEST(ScaleSimClosedForm, AllNetworksWidthsArraysDataflows) {
  auto cdiv = [](std::int64_t a, std::int64_t b) { return (a + b - 1) / b; };
  for (const char* name : {"mnist_lenet", "cifar10_quick", "svhn"}) {
    const Network net = load_network(name);
    for (int k = 1; k <= net.width_groups; ++k)
      for (auto [R, C] : {std::pair{8, 8}, {16, 16}, {32, 32}, {4, 16}})
        for (std::size_t i = 0; i < net.layers.size(); ++i) {
          const Layer& l = net.layers[i];
          if (!l.has_weights()) continue;
          const std::int64_t cin = i == 0 ? l.in.c : net.out_shape(i - 1, k).size() / (l.kind == LayerKind::Fc ? 1 : std::int64_t(l.in.h) * l.in.w);
          const std::int64_t M = l.kind == LayerKind::Fc ? 1 : std::int64_t(l.out.h) * l.out.w;
          const std::int64_t K = (l.kind == LayerKind::Fc ? 1 : std::int64_t(l.kernel_h) * l.kernel_h) * cin;
          const std::int64_t N = l.split ? (k * l.out.c + net.width_groups - 1) / net.width_groups : l.out.c;
          const GemmView g = gemm_view(net, i, k);
          SCOPED_TRACE(std::string(name) + " " + l.name + " k=" + std::to_string(k));
          EXPECT_EQ(scalesim_cycles(g, Dataflow::OS, R, C), cdiv(M, R) * cdiv(N, C) * (R + C + K - 2) - 1);
          EXPECT_EQ(scalesim_cycles(g, Dataflow::WS, R, C), cdiv(K, R) * cdiv(N, C) * (2 * R + C + M - 2) - 1);
          EXPECT_EQ(scalesim_cycles(g, Dataflow::IS, R, C), cdiv(K, R) * cdiv(M, C) * (2 * R + C + N - 2) - 1);
        }
  }
}

TEST(FoldPlan, WsTilesCoverTheGemmColumnRangesOuter) {
  const GemmView g{10, 40, 20};
  const FoldPlan p = plan_folds(g, Dataflow::WS, 16, 16);
  ASSERT_EQ(p.folds.size(), 6u);  // 3 row folds (16, 16, 8) × 2 column folds (16, 4)
  EXPECT_EQ(p.folds[0].r0, 0);
  EXPECT_EQ(p.folds[2].sr, 8);
  EXPECT_TRUE(p.folds[0].first_of_column_range);
  EXPECT_TRUE(p.folds[2].last_of_column_range);
  EXPECT_EQ(p.folds[3].c0, 16);
  EXPECT_EQ(p.folds[3].sc, 4);
  EXPECT_EQ(p.T, 10);
  std::int64_t covered = 0;
  for (const Fold& f : p.folds) covered += std::int64_t(f.sr) * f.sc;
  EXPECT_EQ(covered, g.K * g.N);
}

TEST(WeightLayout, WidthKReadsOnlyGroupsUpToK) {
  const Network net = load_network("mnist_lenet");
  ArchParams a;  // 8 banks → 2 per group
  const WeightLayout wl(net, a);
  EXPECT_EQ(wl.banks_per_group(), 2);
  EXPECT_EQ(wl.bank_group(0), 1);
  EXPECT_EQ(wl.bank_group(7), 4);
  // conv2 weight (n = 30, ci = 3) is first used at width 3 (n in group 3).
  const std::vector<NodeJob> full = node_jobs(net, 2, 4);
  ASSERT_EQ(full.size(), 1u);
  EXPECT_EQ(std::max<int>(full[0].rows.col_group[30], full[0].rows.row_group[3 * 25]), 3);
  // A row of width-1 weights touches only group 1's banks.
  const std::vector<NodeJob> narrow = node_jobs(net, 2, 1);
  ASSERT_EQ(narrow.size(), 1u);
  std::vector<std::int64_t> reads(8, 0);
  for (std::int64_t kidx = 0; kidx < narrow[0].g.K; ++kidx) wl.add_row_reads(narrow[0].rows, kidx, 0, 13, reads);
  EXPECT_GT(reads[0] + reads[1], 0);
  for (int b = 2; b < 8; ++b) EXPECT_EQ(reads[b], 0) << "bank " << b;
  // Chain networks: the job's reduction row is the weight row (bank = kidx mod banks per group).
  for (std::int64_t kidx = 0; kidx < full[0].g.K; ++kidx) EXPECT_EQ(full[0].rows.row_slot[std::size_t(kidx)], kidx);
  // Group bytes add up to the layer's full-width weights.
  std::int64_t total = 0;
  for (int g = 1; g <= 4; ++g) total += wl.group_bytes(4, g);
  EXPECT_EQ(total, net.weight_count(4, 4));
}

TEST(WeightLayout, BanksMustSplitEvenlyAmongGroups) {
  const Network net = load_network("mnist_lenet");
  ArchParams a;
  a.wsram_banks = 6;
  try {
    WeightLayout wl(net, a);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("weight_sram.banks"), std::string::npos) << e.what();
  }
}

TEST(WeightLayout, OverflowingGroupsAreFetchedFromDram) {
  const Network net = load_network("mnist_lenet");
  ArchParams a;
  a.wsram_bytes = 64 * 1024;  // 16 KiB per group: fc1's chunks do not fit
  const WeightLayout wl(net, a);
  EXPECT_TRUE(wl.resident(0, 1));
  EXPECT_FALSE(wl.resident(4, 4));
  EXPECT_GT(wl.dram_bytes(4, 4), wl.dram_bytes(4, 1));
  EXPECT_EQ(wl.dram_bytes(0, 4), 0);
}

}  // namespace
}  // namespace rcsim
