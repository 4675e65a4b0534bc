// LayerCounters are generated from one declaration (RCSIM_LAYER_COUNTERS): +=, == and the JSON
// object must cover every declared counter — each test sets the counters through the
// declaration's visitor, so a counter missed by any of them fails here.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/layer_counters.h"
#include "core/layer_counters_json.h"

namespace rcsim {
namespace {

// Counter i gets base + i (per-bank counters: `banks` entries base + i, base + i + 1, …).
LayerCounters numbered(std::int64_t base, std::size_t banks = 3) {
  LayerCounters c;
  c.layer = "conv1";
  std::int64_t i = 0;
  auto set = [&](const CounterDescription&, auto& v) {
    using T = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<T, std::int64_t>) {
      v = base + i;
    } else {
      v.clear();
      for (std::size_t b = 0; b < banks; ++b) v.push_back(base + i + std::int64_t(b));
    }
    ++i;
  };
  for_each_counter(c, set);
  return c;
}

TEST(LayerCounters, DescriptionsFollowTheDeclaration) {
  const auto& d = counter_descriptions();
  ASSERT_FALSE(d.empty());
  std::set<std::string> names;
  for (const auto& c : d) {
    EXPECT_TRUE(names.insert(c.name).second) << "declared twice: " << c.name;
    EXPECT_FALSE(std::string(c.unit).empty()) << c.name;
    EXPECT_FALSE(std::string(c.description).empty()) << c.name;
  }
  EXPECT_EQ(std::string(d.front().name), "cycles");
  std::size_t visited = 0;
  const LayerCounters zero;
  for_each_counter(zero, [&](const CounterDescription& desc, const auto& v) {
    using T = std::decay_t<decltype(v)>;
    EXPECT_EQ(desc.kind == CounterKind::PerBank, (std::is_same_v<T, std::vector<std::int64_t>>)) << desc.name;
    ++visited;
  });
  EXPECT_EQ(visited, d.size());
}

TEST(LayerCounters, EqualityComparesEveryCounterAndTheLayer) {
  const LayerCounters a = numbered(10);
  EXPECT_EQ(a, numbered(10));
  LayerCounters renamed = a;
  renamed.layer = "conv2";
  EXPECT_FALSE(renamed == a);
  for (std::size_t k = 0; k < counter_descriptions().size(); ++k) {
    LayerCounters b = a;
    std::size_t i = 0;
    for_each_counter(b, [&](const CounterDescription&, auto& v) {
      using T = std::decay_t<decltype(v)>;
      if (i++ != k) return;
      if constexpr (std::is_same_v<T, std::int64_t>) v += 1;
      else v.back() += 1;
    });
    EXPECT_FALSE(b == a) << "== ignores " << counter_descriptions()[k].name;
  }
}

TEST(LayerCounters, PlusEqualsAddsEveryCounterAndPadsBanks) {
  LayerCounters sum = numbered(100, 2);
  sum += numbered(1000, 3);
  std::int64_t i = 0;
  for_each_counter(sum, [&](const CounterDescription& d, const auto& v) {
    using T = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<T, std::int64_t>) {
      EXPECT_EQ(v, 1100 + 2 * i) << d.name;
    } else {
      ASSERT_EQ(v.size(), 3u) << d.name;
      EXPECT_EQ(v[0], 1100 + 2 * i) << d.name;
      EXPECT_EQ(v[1], 1102 + 2 * i) << d.name;
      EXPECT_EQ(v[2], 1002 + i) << d.name;  // only the longer operand has bank 2
    }
    ++i;
  });
  EXPECT_EQ(sum.layer, "conv1");  // += keeps this layer's name
}

TEST(LayerCounters, JsonHasEveryCounterUnderItsDeclaredName) {
  const LayerCounters c = numbered(7);
  const nlohmann::json j = counters_to_json(c);
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j.size(), counter_descriptions().size());
  std::int64_t i = 0;
  for (const auto& d : counter_descriptions()) {
    ASSERT_TRUE(j.contains(d.name)) << d.name;
    if (d.kind == CounterKind::Scalar) {
      EXPECT_EQ(j[d.name], 7 + i) << d.name;
    } else {
      EXPECT_EQ(j[d.name], nlohmann::json({7 + i, 8 + i, 9 + i})) << d.name;
    }
    ++i;
  }
  EXPECT_FALSE(j.contains("layer"));  // the name is the report's, not a counter
}

}  // namespace
}  // namespace rcsim
