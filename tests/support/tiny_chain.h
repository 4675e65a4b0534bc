#pragma once
// A small chain network whose activations outgrow a few-KB activation buffer, for the tiling
// tests: conv1's output is 16×32×32 (16 KiB), so a 6000-byte buffer splits it into row tiles.

namespace rcsim::test {

inline const char* kTinyChain = R"(
name: tiny_chain
input: {channels: 3, height: 32, width: 32}
width_groups: 4
layers:
  - {name: conv1, type: conv, out_channels: 16, kernel: 3, pad: 1, relu: true}
  - {name: conv2, type: conv, out_channels: 16, kernel: 3, stride: 2, pad: 1, relu: true}
  - {name: pool, type: maxpool, kernel: 2, stride: 2}
  - {name: fl, type: flatten}
  - {name: fc, type: fc, out_features: 10}
)";

}  // namespace rcsim::test
