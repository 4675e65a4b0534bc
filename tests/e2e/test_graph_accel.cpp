// Graph networks on the SystemC accelerator: every node kind, in per-cycle and fast mode, every
// dataflow and timing, int8 and int16, every width — identical cycles, outputs and counters in
// both modes, and every node's output equal to the integer reference (int_forward).
#include <gtest/gtest.h>

#include <ostream>
#include <set>

#include "core/errors.h"
#include "mapper/weight_layout.h"
#include "support/accel_test_util.h"
#include "support/graph_networks.h"

namespace rcsim {
namespace {

struct GraphCase {
  const char* yaml;
  int bits;
  const char* post_node;  // a node given random per-channel scales per width ("" = none)
  int rows, cols;
};

void PrintTo(const GraphCase& c, std::ostream* os) {
  *os << parse_network(c.yaml, "t.yaml").name << " int" << c.bits << " " << c.rows << "x" << c.cols
      << (*c.post_node ? std::string(" scales on ") + c.post_node : std::string());
}

class GraphOnAccel : public ::testing::TestWithParam<GraphCase> {};

TEST_P(GraphOnAccel, FastEqualsPerCycleEqualsReference) {
  const GraphCase& gc = GetParam();
  QuantizedNetwork qn = random_quantized_network(parse_network(gc.yaml, "test.yaml"), gc.bits, 21);
  if (*gc.post_node) test::add_post_scales(qn, gc.post_node, 5);
  qn.validate();
  const auto image = test::random_image(qn, 3);
  const std::pair<const char*, const char*> configs[] = {
      {"ws", "overlapped"}, {"ws", "scalesim"}, {"os", "overlapped"}, {"os", "scalesim"}, {"is", "scalesim"}};
  for (const auto& [df, timing] : configs) {
    const ArchParams arch = test::arch_with({"array.rows=" + std::to_string(gc.rows), "array.cols=" + std::to_string(gc.cols),
                                             std::string("array.dataflow=") + df, std::string("timing=") + timing,
                                             "precision=" + std::to_string(gc.bits)});
    AccelOptions per_cycle, fast, timing_only;
    per_cycle.mode = ExecMode::PerCycle;
    fast.mode = timing_only.mode = ExecMode::Fast;
    timing_only.compute_outputs = false;
    AcceleratorSim a(qn, arch, per_cycle), b(qn, arch, fast), t(qn, arch, timing_only);
    const WeightLayout layout(qn.net, arch);
    for (int k = 1; k <= qn.net.width_groups; ++k) {
      SCOPED_TRACE(qn.net.name + " int" + std::to_string(gc.bits) + " " + test::describe(arch) + " width " +
                   std::to_string(k));
      const InferenceRun ra = a.run({image}, k).at(0), rb = b.run({image}, k).at(0), rt = t.run({image}, k).at(0);
      const auto ref = int_forward(qn, k, image);
      ASSERT_EQ(ra.layers.size(), ref.size());
      ASSERT_EQ(rb.layers.size(), ref.size());
      std::set<std::int32_t> distinct;
      for (std::size_t i = 0; i < ref.size(); ++i) {
        const std::string& node = qn.net.layers[i].name;
        EXPECT_EQ(ra.layers[i].output, ref[i]) << "per-cycle node " << node << " vs int_forward";
        EXPECT_EQ(rb.layers[i].output, ref[i]) << "fast node " << node << " vs int_forward";
        EXPECT_TRUE(ra.layers[i].counters == rb.layers[i].counters) << "node " << node;
        EXPECT_TRUE(ra.layers[i].counters == rt.layers[i].counters) << "timing-only node " << node;
        EXPECT_EQ(ra.layers[i].jobs, rb.layers[i].jobs) << node;
        distinct.insert(ref[i].begin(), ref[i].end());
        const LayerCounters& c = ra.layers[i].counters;
        // Width k reads only the banks of groups 1..k; every PE-cycle is active, idle or gated.
        for (int bank = 0; bank < layout.banks(); ++bank)
          if (layout.bank_group(bank) > k) EXPECT_EQ(c.wsram_reads[std::size_t(bank)], 0) << node << " bank " << bank;
        EXPECT_EQ(c.pe_active_cycles + c.pe_idle_cycles + c.pe_gated_cycles, std::int64_t(arch.rows) * arch.cols * c.cycles)
            << node;
        EXPECT_EQ(c.macs, qn.net.macs(i, k)) << node;
      }
      EXPECT_GT(distinct.size(), 20u) << "random network saturated into constants: the test would be vacuous";
      EXPECT_EQ(ra.cycles, rb.cycles);
      EXPECT_EQ(ra.macs, rb.macs);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Nets, GraphOnAccel,
    ::testing::Values(GraphCase{test::kEveryNodeKind, 8, "mix", 8, 8}, GraphCase{test::kEveryNodeKind, 16, "dw", 5, 7},
                      GraphCase{test::kConcatFc, 8, "a", 4, 4}, GraphCase{test::kResNetBlocks, 8, "c2", 8, 8},
                      GraphCase{test::kResNetBlocks, 16, "", 16, 16}, GraphCase{test::kInvertedResiduals, 8, "p1", 8, 8},
                      GraphCase{test::kInvertedResiduals, 16, "d1", 4, 16}),
    [](const ::testing::TestParamInfo<GraphCase>& p) {
      return std::string(parse_network(p.param.yaml, "t.yaml").name) + "_int" + std::to_string(p.param.bits) + "_" +
             std::to_string(p.param.rows) + "x" + std::to_string(p.param.cols);
    });

// Pools whose windows cross the padding in every way (max with padding, averages with and without
// counting the padding, windows wider than the plane, stride above the kernel), and a run that
// keeps only its logits (AccelOptions::keep_layer_outputs = false): the same cycles, counters and
// logits as one keeping every layer's output, image after image (the activation buffer's storage
// is reused across images and widths), every kept output equal to the integer reference.
TEST(GraphOnAccel, PoolsAndRunsKeepingOnlyTheLogitsMatchTheReference) {
  const char* yaml = R"(
name: pools
input: {channels: 3, height: 7, width: 6}
width_groups: 2
layers:
  - {name: c1, type: conv, out_channels: 6, kernel: 3, pad: 1, relu: true}
  - {name: mp, type: maxpool, kernel: 3, stride: 2, pad: 1}
  - {name: c2, type: conv, out_channels: 8, kernel: 3, pad: 1}
  - {name: ap, type: avgpool, kernel: [3, 2], stride: [1, 2], pad: [1, 1], count_include_pad: false}
  - {name: ai, type: avgpool, kernel: 3, stride: 1, pad: 1, count_include_pad: true}
  - {name: wide, type: maxpool, kernel: [2, 5], stride: [3, 1], pad: [0, 2]}
  - {name: fl, type: flatten}
  - {name: cls, type: fc, out_features: 4}
)";
  const QuantizedNetwork qn = random_quantized_network(parse_network(yaml, "pools.yaml"), 8, 13);
  for (const char* df : {"ws", "os"}) {
    const ArchParams arch = test::arch_with({"array.rows=8", "array.cols=8", std::string("array.dataflow=") + df});
    AccelOptions keep, logits_only;
    keep.mode = logits_only.mode = ExecMode::Fast;
    logits_only.keep_layer_outputs = false;
    AcceleratorSim a(qn, arch, keep), b(qn, arch, logits_only);
    for (int k : {2, 1, 2})
      for (std::uint64_t seed : {1, 2}) {
        SCOPED_TRACE(std::string(df) + " width " + std::to_string(k) + " image " + std::to_string(seed));
        const auto image = test::random_image(qn, seed);
        const auto ref = int_forward(qn, k, image);
        const InferenceRun ra = a.run({image}, k).at(0), rb = b.run({image}, k).at(0);
        ASSERT_EQ(ra.layers.size(), ref.size());
        ASSERT_EQ(rb.layers.size(), ref.size());
        EXPECT_EQ(ra.cycles, rb.cycles);
        for (std::size_t i = 0; i < ref.size(); ++i) {
          const std::string& node = qn.net.layers[i].name;
          EXPECT_EQ(ra.layers[i].output, ref[i]) << "node " << node << " vs int_forward";
          EXPECT_TRUE(ra.layers[i].counters == rb.layers[i].counters) << "node " << node;
          if (i + 1 < ref.size()) EXPECT_TRUE(rb.layers[i].output.empty()) << "node " << node;
        }
        EXPECT_EQ(rb.logits(), ref.back());
      }
  }
}

// A grouped conv runs one job per channel group, a depthwise conv one per channel: their
// utilization is what the array really achieves, reported per node with the number of jobs.
TEST(GraphOnAccel, GroupedAndDepthwiseConvsRunOneJobPerGroup) {
  const QuantizedNetwork qn = random_quantized_network(parse_network(test::kInvertedResiduals, "t.yaml"), 8, 4);
  const ArchParams arch = test::arch_with({});
  AccelOptions fast;
  fast.mode = ExecMode::Fast;
  AcceleratorSim sim(qn, arch, fast);
  const auto image = test::random_image(qn, 1);
  for (int k = 1; k <= qn.net.width_groups; ++k) {
    const InferenceRun r = sim.run({image}, k).at(0);
    const auto at = [&](const char* name) -> const LayerRun& { return r.layers[qn.net.index_of(name)]; };
    EXPECT_EQ(at("d1").jobs, qn.net.active_out(qn.net.index_of("d1"), k));
    EXPECT_EQ(at("d2").jobs, qn.net.active_out(qn.net.index_of("d2"), k));
    EXPECT_EQ(at("dwm").jobs, qn.net.active_out(qn.net.index_of("stem"), k));  // one job per input channel, 2 outputs each
    EXPECT_EQ(at("e2").jobs, 1);
    EXPECT_EQ(at("r2").jobs, 0);
    if (k == qn.net.width_groups) EXPECT_LT(at("d2").utilization, at("e2").utilization / 4);
    EXPECT_GT(at("r2").counters.eltwise_adds, 0);
    EXPECT_GT(at("gap").counters.pool_divides, 0);
  }
}

// The activation-path nodes' counters and cycles, recomputed here from the window geometry and
// the formulas of docs/accelerator.md (C = 16 post-processing lanes on the 16x16 array).
TEST(GraphOnAccel, ActivationPathCountersFollowTheDocumentedFormulas) {
  for (const char* yaml : {test::kEveryNodeKind, test::kConcatFc}) {
    QuantizedNetwork qn = random_quantized_network(parse_network(yaml, "t.yaml"), 8, 9);
    const std::string scaled = qn.net.layers[0].name;
    test::add_post_scales(qn, scaled, 2);
    const ArchParams arch = test::arch_with({});
    AccelOptions fast;
    fast.mode = ExecMode::Fast;
    AcceleratorSim sim(qn, arch, fast);
    const auto image = test::random_image(qn, 4);
    const Network& net = qn.net;
    auto lanes = [](std::int64_t n) { return (n + 15) / 16; };
    for (int k = 1; k <= net.width_groups; ++k) {
      const InferenceRun r = sim.run({image}, k).at(0);
      for (std::size_t i = 0; i < net.layers.size(); ++i) {
        const Layer& l = net.layers[i];
        const LayerCounters& c = r.layers[i].counters;
        SCOPED_TRACE(net.name + " " + l.name + " width " + std::to_string(k));
        const Shape3 in = net.in_shape(i, k), out = net.out_shape(i, k);
        const std::int64_t n = out.size();
        LayerCounters e;  // expected
        std::int64_t cycles = 0;
        switch (l.kind) {
          case LayerKind::MaxPool:
          case LayerKind::AvgPool: {
            const bool avg = l.kind == LayerKind::AvgPool;
            std::int64_t inside = 0;
            for (int oy = 0; oy < out.h; ++oy)
              for (int ox = 0; ox < out.w; ++ox) {
                int rows = 0, cols = 0;
                for (int ky = 0; ky < l.kernel_h; ++ky) rows += oy * l.stride_h + ky - l.pad_top >= 0 && oy * l.stride_h + ky - l.pad_top < in.h;
                for (int kx = 0; kx < l.kernel_w; ++kx) cols += ox * l.stride_w + kx - l.pad_left >= 0 && ox * l.stride_w + kx - l.pad_left < in.w;
                inside += std::int64_t(rows) * cols;
              }
            e.act_reads = out.c * inside;
            (avg ? e.pool_adds : e.pool_compares) = out.c * inside - n;
            if (avg) e.pool_divides = n;
            e.act_writes = n;
            cycles = lanes(n) * (l.kernel_h * l.kernel_w + (avg ? 1 : 0));
            break;
          }
          case LayerKind::Add:
            e.act_reads = 2 * n, e.eltwise_adds = n, e.act_writes = n, cycles = lanes(n);
            break;
          case LayerKind::Concat:
          case LayerKind::Act:
            e.act_reads = n, e.postproc_ops = n, e.act_writes = n, cycles = lanes(n);
            break;
          case LayerKind::Flatten: break;
          default:
            // Weighted nodes: one requantization per output, a multiply only with per-channel scales.
            EXPECT_EQ(c.postproc_ops, n);
            EXPECT_EQ(c.postproc_mults, l.name == scaled ? n : 0);
            continue;
        }
        EXPECT_EQ(c.act_reads, e.act_reads);
        EXPECT_EQ(c.act_writes, e.act_writes);
        EXPECT_EQ(c.pool_compares, e.pool_compares);
        EXPECT_EQ(c.pool_adds, e.pool_adds);
        EXPECT_EQ(c.pool_divides, e.pool_divides);
        EXPECT_EQ(c.eltwise_adds, e.eltwise_adds);
        EXPECT_EQ(c.postproc_ops, e.postproc_ops);
        EXPECT_EQ(c.postproc_mults, 0);
        EXPECT_EQ(c.cycles, cycles);
        EXPECT_EQ(c.pe_gated_cycles, 256 * cycles);
        EXPECT_EQ(c.macs + c.pe_active_cycles + c.wsram_reads[0] + c.accum_writes, 0);
      }
    }
  }
}

// Tensors a residual keeps alive occupy the buffer until their last reader; a buffer that holds
// every node's own input and output but not the kept shortcut spills it to DRAM (tests/e2e/
// test_tiling.cpp: the outputs stay exact) and reads it back as a residual.
TEST(GraphOnAccel, ShortcutThatDoesNotFitIsSpilledToDram) {
  const QuantizedNetwork qn = random_quantized_network(parse_network(test::kResNetBlocks, "t.yaml"), 8, 4);
  AccelOptions fast;
  fast.mode = ExecMode::Fast;
  // Live at c2: stem (kept for proj) 8x10x9 + c1 16x5x5 + c2 16x5x5 = 720 + 400 + 400 bytes.
  const auto image = test::random_image(qn, 1);
  AcceleratorSim roomy(qn, test::arch_with({"act_buffer.size_bytes=1520"}), fast);
  AcceleratorSim tight(qn, test::arch_with({"act_buffer.size_bytes=1500"}), fast);
  const InferenceRun a = roomy.run({image}, 4).at(0), b = tight.run({image}, 4).at(0);
  std::int64_t spilled_a = 0, spilled_b = 0;
  for (std::size_t i = 0; i + 1 < a.layers.size(); ++i) {  // all but the logits' store
    spilled_a += a.layers[i].counters.dram_write_bytes;
    spilled_b += b.layers[i].counters.dram_write_bytes;
    EXPECT_EQ(a.layers[i].output, b.layers[i].output) << qn.net.layers[i].name;
  }
  EXPECT_EQ(spilled_a, 0);
  EXPECT_GT(spilled_b, 0);
}

}  // namespace
}  // namespace rcsim
