// The float reference on hand-computed tiny cases (same layer semantics as the integer one).
#include <gtest/gtest.h>

#include "core/errors.h"
#include "core/network_yaml.h"
#include "host/float_reference.h"
#include "support/blank_networks.h"

using namespace rcsim;

namespace {

const char* kTinyYaml = R"(
name: tiny
input: {channels: 1, height: 3, width: 3}
width_groups: 1
layers:
  - {name: conv, type: conv, out_channels: 1, kernel: 3, stride: 1, pad: 1, relu: false}
  - {name: pool, type: maxpool, kernel: 2, stride: 2}
  - {name: cls, type: fc, out_features: 2}
)";

const float kOneToNine[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};

}  // namespace

TEST(FloatReference, ConvZeroPaddingPoolAndFc) {
  QuantizedNetwork qn = test::blank_float_network(kTinyYaml);
  std::fill(qn.float_params[0].weight.begin(), qn.float_params[0].weight.end(), 0.25f);
  qn.float_params[0].bias = {-0.5f};
  qn.float_params[2].weight = {2.0f, -1.0f};
  qn.float_params[2].bias = {0.5f, 1.0f};
  const auto out = float_forward(qn, 1, kOneToNine);
  ASSERT_EQ(out.size(), 3u);
  // 0.25 · (neighbourhood sums 12 21 16 / 27 45 33 / 24 39 28) − 0.5
  const std::vector<float> conv = {2.5f, 4.75f, 3.5f, 6.25f, 10.75f, 7.75f, 5.5f, 9.25f, 6.5f};
  ASSERT_EQ(out[0].size(), 9u);
  for (int j = 0; j < 9; ++j) EXPECT_FLOAT_EQ(out[0][j], conv[j]) << j;
  ASSERT_EQ(out[1].size(), 1u);
  EXPECT_FLOAT_EQ(out[1][0], 10.75f);  // max(2.5, 4.75, 6.25, 10.75): floor output size 1x1
  ASSERT_EQ(out[2].size(), 2u);
  EXPECT_FLOAT_EQ(out[2][0], 0.5f + 2.0f * 10.75f);
  EXPECT_FLOAT_EQ(out[2][1], 1.0f - 10.75f);  // the classifier has no ReLU
}

TEST(FloatReference, ReluAndStride) {
  QuantizedNetwork qn = test::blank_float_network(R"(
name: strided
input: {channels: 1, height: 4, width: 4}
width_groups: 1
layers:
  - {name: conv, type: conv, out_channels: 2, kernel: 2, stride: 2, pad: 0, relu: true}
  - {name: cls, type: fc, out_features: 1}
)");
  // Channel 0 sums its 2x2 block, channel 1 negates it: ReLU zeroes channel 1.
  qn.float_params[0].weight = {1, 1, 1, 1, -1, -1, -1, -1};
  std::fill(qn.float_params[1].weight.begin(), qn.float_params[1].weight.end(), 1.0f);
  const float img[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  const auto out = float_forward(qn, 1, img);
  // Blocks: {1,2,5,6}=14 {3,4,7,8}=22 {9,10,13,14}=46 {11,12,15,16}=54
  EXPECT_EQ(out[0], (std::vector<float>{14, 22, 46, 54, 0, 0, 0, 0}));
  EXPECT_EQ(out[1], (std::vector<float>{14 + 22 + 46 + 54}));
}

TEST(FloatReference, WidthUsesPrefixOfChannelsAndFeatures) {
  QuantizedNetwork qn = test::blank_float_network(R"(
name: widths
input: {channels: 1, height: 1, width: 2}
width_groups: 2
layers:
  - {name: conv, type: conv, out_channels: 4, kernel: 1, relu: false}
  - {name: cls, type: fc, out_features: 1}
)");
  qn.float_params[0].weight = {1, 2, 3, 4};
  qn.float_params[1].weight = {1, 1, 1, 1, 100, 100, 100, 100};
  const float img[2] = {1.0f, 0.5f};
  const auto w1 = float_forward(qn, 1, img);
  EXPECT_EQ(w1[0], (std::vector<float>{1, 0.5f, 2, 1}));  // channels 0 and 1 of 4
  EXPECT_EQ(w1[1], (std::vector<float>{4.5f}));           // first 4 features
  const auto w2 = float_forward(qn, 2, img);
  EXPECT_EQ(w2[0].size(), 8u);
  EXPECT_EQ(w2[1], (std::vector<float>{4.5f + 100 * (3 + 1.5f + 4 + 2)}));
}

TEST(FloatReference, RejectsMissingFloatsAndBadWidth) {
  QuantizedNetwork qn = test::blank_float_network(kTinyYaml);
  EXPECT_THROW(float_forward(qn, 2, kOneToNine), InputError);
  qn.float_params[0].weight.pop_back();
  EXPECT_THROW(float_forward(qn, 1, kOneToNine), InputError);
  qn.float_params.clear();
  EXPECT_THROW(float_forward(qn, 1, kOneToNine), InputError);
}
