#pragma once
// Graph networks for the accelerator's tests (small enough for per-cycle runs of every width,
// dataflow and precision), and per-channel post-processing scales for them.
#include <random>
#include <string>

#include "core/quantized_network.h"

namespace rcsim::test {

/// Every node kind: dense, depthwise (non-square kernel), pointwise and grouped (asymmetric pads,
/// stride 2) convolutions, a residual add, a concat whose active channels are not a prefix
/// feeding a conv, max/avg (count_include_pad)/global pools, a ReLU6 after a pool, flatten, two fc.
inline const char* kEveryNodeKind = R"(
name: every_kind
input: {channels: 3, height: 9, width: 8}
width_groups: 4
layers:
  - {name: stem, type: conv, out_channels: 8, kernel: 3, pad: 1, relu: true}
  - {name: dw, type: conv, out_channels: 8, groups: 8, kernel: [3, 1], pad: [1, 0], activation: relu6}
  - {name: pw, type: conv, out_channels: 8, kernel: 1, relu: false}
  - {name: res, type: add, inputs: [pw, stem], relu: true}
  - {name: grp, type: conv, inputs: res, out_channels: 12, groups: 2, kernel: 3, stride: 2, pad: [1, 1, 0, 0]}
  - {name: side, type: maxpool, inputs: res, kernel: 2}
  - {name: cat, type: concat, inputs: [grp, side]}
  - {name: mix, type: conv, out_channels: 16, kernel: 3, pad: 1}
  - {name: avg, type: avgpool, kernel: 3, stride: 2, pad: 1, count_include_pad: true}
  - {name: r6, type: relu6}
  - {name: gap, type: avgpool, global: true}
  - {name: fl, type: flatten}
  - {name: fc1, type: fc, out_features: 12, relu: true}
  - {name: cls, type: fc, out_features: 5}
)";

/// A concat read by an fc through a non-square max pool (per-axis strides and pads) and flatten:
/// fc features that are not a prefix.
inline const char* kConcatFc = R"(
name: concat_fc
input: {channels: 2, height: 4, width: 4}
width_groups: 2
layers:
  - {name: a, type: conv, out_channels: 4, kernel: 3, pad: 1}
  - {name: b, type: conv, inputs: input, out_channels: 6, kernel: 1}
  - {name: cat, type: concat, inputs: [a, b]}
  - {name: mp, type: maxpool, kernel: [2, 3], stride: [1, 2], pad: [0, 1]}
  - {name: fl, type: flatten}
  - {name: cls, type: fc, out_features: 3}
)";

/// ResNet basic blocks: projection shortcut (1x1 conv, stride 2), then an identity shortcut;
/// a non-square kernel, a stride per axis.
inline const char* kResNetBlocks = R"(
name: resnet_blocks
input: {channels: 3, height: 10, width: 9}
width_groups: 4
layers:
  - {name: stem, type: conv, out_channels: 8, kernel: [3, 2], pad: [1, 1, 1, 0], relu: true}
  - {name: c1, type: conv, out_channels: 16, kernel: 3, stride: 2, pad: 1, relu: true}
  - {name: c2, type: conv, out_channels: 16, kernel: 3, pad: 1}
  - {name: proj, type: conv, inputs: stem, out_channels: 16, kernel: 1, stride: 2}
  - {name: sum, type: add, inputs: [c2, proj], relu: true}
  - {name: c3, type: conv, out_channels: 16, kernel: 3, pad: 1, relu: true}
  - {name: c4, type: conv, out_channels: 16, kernel: 3, pad: 1}
  - {name: sum2, type: add, inputs: [c4, sum], relu: true}
  - {name: gap, type: avgpool, global: true}
  - {name: fl, type: flatten}
  - {name: cls, type: fc, out_features: 10}
)";

/// MobileNetV2 inverted residuals with expansion: a depthwise multiplier 2, a depthwise block with
/// stride 2 down the rows (1 across) and no shortcut, a stride-1 block with a residual, ReLU6 throughout.
inline const char* kInvertedResiduals = R"(
name: inverted_residuals
input: {channels: 3, height: 12, width: 11}
width_groups: 4
layers:
  - {name: stem, type: conv, out_channels: 8, kernel: 3, pad: 1, activation: relu6}
  - {name: dwm, type: conv, out_channels: 16, groups: 8, kernel: 3, pad: 1, activation: relu6}
  - {name: e1, type: conv, out_channels: 32, kernel: 1, activation: relu6}
  - {name: d1, type: conv, out_channels: 32, groups: 32, kernel: 3, stride: [2, 1], pad: 1, activation: relu6}
  - {name: p1, type: conv, out_channels: 12, kernel: 1}
  - {name: e2, type: conv, out_channels: 48, kernel: 1, activation: relu6}
  - {name: d2, type: conv, out_channels: 48, groups: 48, kernel: 3, pad: 1, activation: relu6}
  - {name: p2, type: conv, out_channels: 12, kernel: 1}
  - {name: r2, type: add, inputs: [p2, p1]}
  - {name: gap, type: avgpool, global: true}
  - {name: fl, type: flatten}
  - {name: cls, type: fc, out_features: 10}
)";

/// Random per-channel post-processing scales of node `name`, one per width (a batch norm per
/// width, as switchable batch norms give).
inline void add_post_scales(QuantizedNetwork& qn, const std::string& name, std::uint64_t seed) {
  const std::size_t i = qn.net.index_of(name);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> mult(-3000, 3000), add(-100000, 100000), shift(8, 20);
  for (int k = 0; k < qn.net.width_groups; ++k) {
    PostScale p;
    for (int c = 0; c < qn.net.layers[i].out.c; ++c) {
      p.mult.push_back(mult(rng));
      p.add.push_back(add(rng));
      p.shift.push_back(shift(rng));
    }
    qn.quant_params[i].post.push_back(p);
  }
}

}  // namespace rcsim::test
