// Quantized weight storage (core/quant_weights.h): int8 values are stored one byte each and read
// back unchanged, anything beyond int8 keeps int16, and editing widens then compacts again.
#include <gtest/gtest.h>

#include <vector>

#include "core/quant_weights.h"

namespace rcsim {
namespace {

TEST(QuantWeights, Int8ValuesRoundTripInOneByteEach) {
  const std::vector<std::int16_t> v{-128, -1, 0, 1, 127, 42};
  const QuantWeights w(v);
  EXPECT_TRUE(w.int8_storage());
  EXPECT_EQ(w.storage_bytes(), v.size());
  EXPECT_EQ(w.values(), v);
  for (std::size_t i = 0; i < v.size(); ++i) EXPECT_EQ(w[i], v[i]) << i;
  EXPECT_EQ(w.data8()[0], -128);
  EXPECT_EQ(w.data16(), nullptr);
}

TEST(QuantWeights, ValuesBeyondInt8KeepInt16) {
  for (std::int16_t outside : {std::int16_t(-129), std::int16_t(128), std::int16_t(-32768), std::int16_t(32767)}) {
    const std::vector<std::int16_t> v{0, outside, 5};
    const QuantWeights w(v);
    EXPECT_FALSE(w.int8_storage()) << outside;
    EXPECT_EQ(w.storage_bytes(), 2 * v.size());
    EXPECT_EQ(w.values(), v);
    EXPECT_EQ(w[1], outside);
  }
}

TEST(QuantWeights, EditWidensAndCompactNarrowsAgain) {
  QuantWeights w{1, 2, 3};
  ASSERT_TRUE(w.int8_storage());
  w.edit()[1] = 300;
  EXPECT_FALSE(w.int8_storage());
  w.compact();  // 300 does not fit: stays int16
  EXPECT_FALSE(w.int8_storage());
  EXPECT_EQ(w, (std::vector<std::int16_t>{1, 300, 3}));
  w.edit()[1] = -7;
  w.compact();
  EXPECT_TRUE(w.int8_storage());
  EXPECT_EQ(w.storage_bytes(), 3u);
  EXPECT_EQ(w, (std::vector<std::int16_t>{1, -7, 3}));
}

}  // namespace
}  // namespace rcsim
