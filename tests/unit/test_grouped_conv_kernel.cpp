// Fast mode's node kernel for grouped and depthwise convs (accel/grouped_conv_kernel.h) against
// the GEMM definition of the node's own jobs (bias + Σ_k W[k][n]·X[m][k], int32 wrap-around),
// channel-major: depthwise with square, non-square and 5×5 windows, strides 1–3, asymmetric and
// padding up to kernel − 1, no padding, a channel multiplier, grouped convs with several inputs per group, int8
// and int16, every width (narrow widths leave whole groups bias-only), and inputs at the int32
// extremes (the wrap-around must match, not saturate).
#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <string>
#include <vector>

#include "accel/grouped_conv_kernel.h"
#include "accel/layer_operands.h"
#include "core/network_yaml.h"
#include "core/quantized_network.h"

namespace rcsim {
namespace {

/// acc[out_pos[n]·M + m] from the node's jobs, one product at a time.
std::vector<std::int32_t> by_definition(const LayerOperands& op, const std::vector<std::int32_t>& in) {
  std::vector<std::int32_t> acc(std::size_t(op.M * op.N), 0);
  for (const GemmJob& job : op.jobs)
    for (std::int64_t n = 0; n < job.g.N; ++n)
      for (std::int64_t m = 0; m < op.M; ++m) {
        std::uint32_t s = std::uint32_t(job.bias[std::size_t(n)]);
        for (std::int64_t k = 0; k < job.g.K; ++k) s += std::uint32_t(job.W(k, n)) * std::uint32_t(job.X(in, m, k));
        acc[std::size_t(job.out_pos[std::size_t(n)] * op.M + m)] = std::int32_t(s);
      }
  return acc;
}

struct Case {
  const char* name;
  const char* layer;  // the grouped conv, after a dense stem of 8 channels
  int bits;
  int in_h = 11, in_w = 9;  // the network's input (and the stem's output)
};

class GroupedConvKernelTest : public ::testing::TestWithParam<Case> {};

TEST_P(GroupedConvKernelTest, EqualsTheJobsGemmAtEveryWidth) {
  const Case& c = GetParam();
  const std::string yaml = std::string(R"(
name: grouped
input: {channels: 3, height: )") + std::to_string(c.in_h) + ", width: " + std::to_string(c.in_w) + R"(}
width_groups: 4
layers:
  - {name: stem, type: conv, out_channels: 8, kernel: 3, pad: 1}
  - )" + c.layer + R"(
  - {name: fl, type: flatten}
  - {name: cls, type: fc, out_features: 4}
)";
  const QuantizedNetwork qn = random_quantized_network(parse_network(yaml, "grouped.yaml"), c.bits, 5);
  const std::size_t node = 1;
  const Layer& l = qn.net.layers[node];
  std::mt19937 rng(11);
  // Every build of the kernel this CPU can run (accel/grouped_conv_kernel.h), then the default.
  for (const char* build : {"avx512", "avx2", "baseline", ""}) {
  if (!GroupedConvKernel::use_build_for_tests(build)) continue;
  for (int k = 1; k <= qn.net.width_groups; ++k) {
    SCOPED_TRACE(std::string(c.name) + " width " + std::to_string(k) + " build '" + build + "'");
    const LayerOperands op = prepare_layer(qn, node, k);
    const GroupedConvKernel kernel(l, op);
    const std::int64_t in_size = qn.net.in_shape(node, k).size();
    // Activations of the precision, then the int32 extremes (products and sums wrap).
    for (const bool extremes : {false, true}) {
      std::vector<std::int32_t> in(static_cast<std::size_t>(in_size));
      const std::int32_t hi = c.bits == 8 ? 127 : 32767;
      std::uniform_int_distribution<std::int32_t> any(-hi - 1, hi);
      for (auto& v : in)
        v = extremes ? (rng() % 2 ? std::numeric_limits<std::int32_t>::max() : std::numeric_limits<std::int32_t>::min())
                     : any(rng);
      std::vector<std::int32_t> acc{1, 2, 3};  // stale contents and the wrong size: resized, overwritten
      kernel.outputs(in, acc);
      EXPECT_EQ(acc, by_definition(op, in)) << (extremes ? "int32 extremes" : "activations");
    }
    EXPECT_GT(kernel.bytes(), 0u);
  }
  }
  GroupedConvKernel::use_build_for_tests("");
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, GroupedConvKernelTest,
    ::testing::Values(
        Case{"dw3x3", "{name: g, type: conv, out_channels: 8, groups: 8, kernel: 3, pad: 1}", 8},
        // 3×3 (the specialised window) on larger planes: runs of many blocks, the columns' masks
        // repeating every 3 blocks (24 = 3·8 wide), 7×7 planes; stride 2 on lines of fewer and
        // more than 32 values, even and odd.
        Case{"dw3x3_pad2", "{name: g, type: conv, out_channels: 8, groups: 8, kernel: 3, pad: 2}", 8, 10, 17},
        Case{"dw3x3_24wide", "{name: g, type: conv, out_channels: 8, groups: 8, kernel: 3, pad: 1}", 8, 13, 24},
        Case{"dw3x3_7x7", "{name: g, type: conv, out_channels: 8, groups: 8, kernel: 3, pad: 1}", 16, 7, 7},
        Case{"dw3x3_s2_28", "{name: g, type: conv, out_channels: 8, groups: 8, kernel: 3, stride: 2, pad: 1}", 8, 28, 28},
        Case{"dw3x3_s2_43wide", "{name: g, type: conv, out_channels: 8, groups: 8, kernel: 3, stride: 2, pad: 1}", 8, 9, 43},
        Case{"dw3x3_s2_odd", "{name: g, type: conv, out_channels: 8, groups: 8, kernel: 3, stride: 2, pad: 1}", 8, 15, 13},
        // Valid (unpadded) stride 1: the run is wider than the output and copied out.
        Case{"dw3x3_valid", "{name: g, type: conv, out_channels: 8, groups: 8, kernel: 3}", 8, 12, 10},
        Case{"dw3x3_s2_pad0", "{name: g, type: conv, out_channels: 8, groups: 8, kernel: 3, stride: 2}", 16, 12, 17},
        Case{"dw3x1_asym", "{name: g, type: conv, out_channels: 8, groups: 8, kernel: [3, 1], pad: [2, 0, 1, 0]}", 8},
        Case{"dw5x5_s2", "{name: g, type: conv, out_channels: 8, groups: 8, kernel: 5, stride: 2, pad: 2}", 16},
        Case{"dw3x3_s3_pad2", "{name: g, type: conv, out_channels: 8, groups: 8, kernel: 3, stride: 3, pad: 2}", 8},
        Case{"dw_multiplier", "{name: g, type: conv, out_channels: 16, groups: 8, kernel: [1, 3], pad: [0, 1]}", 8},
        Case{"grouped2_3x3", "{name: g, type: conv, out_channels: 6, groups: 2, kernel: 3, pad: 1}", 16, 9, 20},
        Case{"grouped2_s2", "{name: g, type: conv, out_channels: 12, groups: 2, kernel: 3, stride: 2, pad: [1, 1, 0, 0]}", 8},
        Case{"grouped4", "{name: g, type: conv, out_channels: 8, groups: 4, kernel: 2, stride: [1, 2]}", 16}),
    [](const ::testing::TestParamInfo<Case>& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace rcsim
