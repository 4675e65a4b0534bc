#include <gtest/gtest.h>

#include "core/errors.h"
#include "core/network_yaml.h"
#include "core/width.h"

using namespace rcsim;

TEST(Width, GroupBoundariesFollowCeilRule) {
  // 20 channels in 4 groups: 5 each; 50 in 4: ceil(12.5)=13, 25, ceil(37.5)=38, 50.
  EXPECT_EQ(group_end(20, 4, 1), 5);
  EXPECT_EQ(group_end(50, 4, 1), 13);
  EXPECT_EQ(group_end(50, 4, 2), 25);
  EXPECT_EQ(group_end(50, 4, 3), 38);
  EXPECT_EQ(group_end(50, 4, 4), 50);
  EXPECT_EQ(group_size(50, 4, 1) + group_size(50, 4, 2) + group_size(50, 4, 3) + group_size(50, 4, 4), 50);
}

TEST(Network, LenetShapesAndWidths) {
  const Network n = load_network("mnist_lenet");
  ASSERT_EQ(n.layers.size(), 6u);
  EXPECT_EQ(n.layers[0].out, (Shape3{20, 24, 24}));
  EXPECT_EQ(n.layers[1].out, (Shape3{20, 12, 12}));
  EXPECT_EQ(n.layers[2].out, (Shape3{50, 8, 8}));
  EXPECT_EQ(n.layers[3].out, (Shape3{50, 4, 4}));
  EXPECT_EQ(n.layers[4].in, (Shape3{800, 1, 1}));
  EXPECT_TRUE(n.layers[5].is_classifier);
  EXPECT_FALSE(n.layers[5].split);
  // Width 1: conv1 5 ch, conv2 13 ch, fc1 125, classifier 10.
  EXPECT_EQ(n.active_out(0, 1), 5);
  EXPECT_EQ(n.active_in(2, 1), 5);
  EXPECT_EQ(n.active_out(2, 1), 13);
  EXPECT_EQ(n.active_in(4, 1), 13 * 16);
  EXPECT_EQ(n.active_out(4, 1), 125);
  EXPECT_EQ(n.active_in(5, 1), 125);
  EXPECT_EQ(n.active_out(5, 1), 10);
  // Full-width MACs of Caffe LeNet: 288000 + 1600000 + 400000 + 5000.
  EXPECT_EQ(n.total_macs(4), 288000 + 1600000 + 400000 + 5000);
  EXPECT_LT(n.total_macs(1), n.total_macs(2));
  EXPECT_THROW(n.check_width(0), InputError);
  EXPECT_THROW(n.check_width(5), InputError);
}

TEST(Network, CifarQuickSpatialSizes) {
  const Network n = load_network("cifar10_quick");
  EXPECT_EQ(n.layers[1].out.h, 16);
  EXPECT_EQ(n.layers[3].out.h, 8);
  EXPECT_EQ(n.layers[5].out.h, 4);
  EXPECT_EQ(n.layers[6].in.c, 64 * 16);
  const Network s = load_network("svhn");
  EXPECT_EQ(s.input, (Shape3{3, 32, 32}));
}

namespace {
std::string error_of(const std::string& yaml) {
  try {
    parse_network(yaml, "net.yaml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}
const char* kHead = "name: t\ninput: {channels: 1, height: 8, width: 8}\nwidth_groups: 2\nlayers:\n";
}  // namespace

TEST(NetworkYaml, ErrorsNameFileLayerAndField) {
  EXPECT_EQ(error_of(std::string(kHead) + "  - {name: c, type: conv, out_channels: 4, kernel: 9}\n  - {name: f, type: fc, out_features: 2}\n"),
            "net.yaml: layer 'c': field 'kernel': kernel 9 is larger than its input 8x8 (incl. padding)");
  EXPECT_EQ(error_of(std::string(kHead) + "  - {name: c, type: conv, out_channels: 0, kernel: 3}\n  - {name: f, type: fc, out_features: 2}\n"),
            "net.yaml: layer 'c': field 'out_channels': must be positive (got 0)");
  EXPECT_EQ(error_of(std::string(kHead) + "  - {name: c, type: conv, out_channels: 4, kernel: -3}\n  - {name: f, type: fc, out_features: 2}\n"),
            "net.yaml: layer 'c': field 'kernel': must be positive (got -3)");
  EXPECT_EQ(error_of(std::string(kHead) + "  - {name: c, type: conv, out_channels: 1, kernel: 3}\n  - {name: f, type: fc, out_features: 2}\n"),
            "net.yaml: layer 'c': field 'out_channels': width_groups 2 is larger than the layer's 1 channels");
  EXPECT_EQ(error_of(std::string(kHead) + "  - {name: c, type: conv, out_channels: 4, kernel: 3}\n"),
            "net.yaml: missing classifier: the last layer must be fc (it is 'c')");
  EXPECT_EQ(error_of(std::string(kHead) + "  - {name: c, type: conv, out_chanels: 4, kernel: 3}\n"),
            "net.yaml: layer 'c'.out_chanels: unknown key (did you mean 'out_channels'?)");
  EXPECT_EQ(error_of("name: t\ninput: [1, 2\n"), "net.yaml:3:1: malformed YAML: end of sequence flow not found");
  EXPECT_NE(error_of(std::string(kHead) + "  - {name: c, type: conv, out_channels: x, kernel: 3}\n"), "");
}

// Found by fuzz_network_yaml (tests/fuzz/corpus/network_yaml/crash_conv_without_kernel.yaml): a
// conv without `kernel` threw yaml-cpp's InvalidNode (exit 3) instead of naming the field.
TEST(NetworkYaml, ConvWithoutKernelNamesTheField) {
  EXPECT_EQ(error_of(std::string(kHead) + "  - {name: c, type: conv, out_channels: 4}\n  - {name: f, type: fc, out_features: 2}\n"),
            "net.yaml: layer 'c'.kernel: missing required field");
}

TEST(NetworkYaml, UnknownNetworkIsInputError) {
  EXPECT_THROW(load_network("no_such_net"), InputError);
  EXPECT_THROW(load_network("/nonexistent/x.yaml"), ConfigError);
}

// Hardening (issue 16): duplicate keys, the 10^5-layer duplicate-name check (was O(n²)), and shapes
// whose counts overflow int are ConfigErrors, never wrong numbers.
TEST(NetworkHardening, DuplicateKeysAndHugeShapesAreConfigErrors) {
  const std::string head = "name: n\ninput: {channels: 1, height: 28, width: 28}\nwidth_groups: 1\n";
  EXPECT_THROW(parse_network(head + "width_groups: 2\nlayers:\n  - {name: f, type: fc, out_features: 10}\n", "n.yaml"),
               ConfigError);
  EXPECT_THROW(parse_network(head + "layers:\n  - {name: f, type: fc, out_features: 10, out_features: 5}\n", "n.yaml"),
               ConfigError);
  // 2^30 inputs x 10 outputs: 10^10 weights.
  EXPECT_THROW(parse_network("name: n\ninput: {channels: 1024, height: 1024, width: 1024}\nwidth_groups: 1\n"
                             "layers:\n  - {name: f, type: fc, out_features: 10}\n",
                             "n.yaml"),
               ConfigError);
  // 2^16 x 2^16 1x1 conv: 2^32 weights.
  EXPECT_THROW(parse_network("name: n\ninput: {channels: 65536, height: 1, width: 1}\nwidth_groups: 1\n"
                             "layers:\n  - {name: c, type: conv, out_channels: 65536, kernel: 1}\n"
                             "  - {name: f, type: fc, out_features: 10}\n",
                             "n.yaml"),
               ConfigError);
  std::string many = "name: n\ninput: {channels: 1, height: 4, width: 4}\nwidth_groups: 1\nlayers:\n";
  for (int i = 0; i < 99999; ++i) many += "  - {name: a" + std::to_string(i) + ", type: relu}\n";
  many += "  - {name: a5, type: fc, out_features: 10}\n";
  try {
    parse_network(many, "many.yaml");
    ADD_FAILURE() << "duplicate layer name accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("duplicate layer name"), std::string::npos) << e.what();
  }
}

TEST(NetworkHardening, GroupEndDoesNotOverflow) {
  // k·n > 2^31 for n near 2^31 / 64.
  EXPECT_EQ(group_end(100000000, 64, 64), 100000000);
  EXPECT_EQ(group_end(100000000, 64, 32), 50000000);
}
