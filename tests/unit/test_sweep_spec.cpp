// Sweep specs: enumeration, normalization, stable ids, strict errors; sharding partitions.
#include <gtest/gtest.h>

#include <set>

#include "core/arch_fields.h"
#include "core/errors.h"
#include "sweep/shard.h"
#include "sweep/sweep_spec.h"

using namespace rcsim;
using namespace rcsim::sweep;

namespace {

std::string error_of(const std::string& yaml) {
  try {
    parse_sweep_spec(yaml, "t.yaml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(SweepSpec, GridIsCartesianProductPlusExplicitPoints) {
  const SweepSpec s = parse_sweep_spec(R"(
name: t
base: {network: mnist_lenet, arch: default}
grid:
  width: [1, 2, 3]
  array: [8x8, 16x32]
  dataflow: [ws, os]
points:
  - {width: 4, rows: 4, cols: 4}
)", "t.yaml");
  ASSERT_EQ(s.points.size(), 3u * 2 * 2 + 1);
  // Last axis fastest; "array" expands to rows and cols; canonical column order.
  EXPECT_EQ(s.points[0].params, (Params{{"network", "mnist_lenet"}, {"width", "1"}, {"rows", "8"},
                                        {"cols", "8"}, {"dataflow", "ws"}, {"arch", "default"}}));
  EXPECT_EQ(s.points[1].get("dataflow"), "os");
  EXPECT_EQ(s.points[2].get("cols"), "32");
  EXPECT_EQ(s.points.back().get("width"), "4");
  EXPECT_EQ(s.points.back().get("rows"), "4");
  std::set<std::string> ids;
  for (const auto& p : s.points) ids.insert(p.id);
  EXPECT_EQ(ids.size(), s.points.size());
  // Default objectives.
  ASSERT_EQ(s.objectives.size(), 2u);
  EXPECT_EQ(s.objectives[1].column, "accuracy");
  EXPECT_TRUE(s.objectives[1].maximize);
}

TEST(SweepSpec, IdsDependOnValuesNotOnSpellingOrOrder) {
  const SweepSpec a = parse_sweep_spec(
      "name: a\ngrid: {network: mnist_lenet, width: [2], rows: [016], cols: [8], clock_hz: [2e8]}\n", "a");
  const SweepSpec b = parse_sweep_spec(
      "name: b\nbase: {clock_hz: 200000000, cols: 8}\npoints: [{rows: 16, width: 2, network: mnist_lenet}]\n", "b");
  ASSERT_EQ(a.points.size(), 1u);
  ASSERT_EQ(b.points.size(), 1u);
  EXPECT_EQ(a.points[0].get("rows"), "16");
  EXPECT_EQ(a.points[0].get("clock_hz"), "200000000");
  EXPECT_EQ(a.points[0].id, b.points[0].id);
  EXPECT_EQ(a.points[0].id, point_id(a.points[0].params));
  EXPECT_EQ(a.points[0].id.size(), 16u);
}

TEST(SweepSpec, DuplicatePointsAreEnumeratedOnce) {
  const SweepSpec s = parse_sweep_spec(R"(
name: d
base: {network: mnist_lenet}
grid: [{width: [1, 2]}, {width: [2, 3]}]
points: [{width: 1}]
)", "d");
  ASSERT_EQ(s.points.size(), 3u);
  EXPECT_EQ(s.points[2].get("width"), "3");
}

TEST(SweepSpec, SetAxesPassThroughInNameOrder) {
  const SweepSpec s = parse_sweep_spec(
      "name: s\nbase: {network: mnist_lenet, width: 1}\ngrid: {set.dram.latency_cycles: [50, 100], "
      "set.act_buffer.word_bits: 16}\n", "s");
  ASSERT_EQ(s.points.size(), 2u);
  EXPECT_EQ(s.points[1].params.back(), (std::pair<std::string, std::string>{"set.dram.latency_cycles", "100"}));
  EXPECT_EQ(s.points[1].params[2].first, "set.act_buffer.word_bits");
}

TEST(SweepSpec, ErrorsAreOneLineAndNameTheField) {
  const std::string base = "name: e\nbase: {network: mnist_lenet}\n";
  EXPECT_NE(error_of(base + "grid: {widht: [1]}\n").find("t.yaml: grid.widht: unknown axis 'widht' (did you mean 'width'?)"),
            std::string::npos);
  EXPECT_NE(error_of(base + "grid: {width: [1, x]}\n").find("grid.width[1]: expected an integer"), std::string::npos);
  EXPECT_NE(error_of(base + "grid: {width: [0]}\n").find("must be ≥ 1"), std::string::npos);
  EXPECT_NE(error_of(base + "grid: {width: [5]}\n").find("width 5 exceeds network mnist_lenet's 4 width groups"),
            std::string::npos);
  EXPECT_NE(error_of(base + "grid: {width: 1, dataflow: [ws, xs]}\n").find("'xs' is not one of ws | os | is"),
            std::string::npos);
  EXPECT_NE(error_of(base + "grid: {width: 1, array: [16]}\n").find("expected ROWSxCOLS"), std::string::npos);
  EXPECT_NE(error_of(base + "grid: {width: []}\n").find("grid.width: empty list"), std::string::npos);
  EXPECT_NE(error_of(base + "grid: {width: [[1]]}\n").find("expected a scalar"), std::string::npos);
  EXPECT_NE(error_of(base + "grdi: {width: 1}\n").find("unknown key (did you mean 'grid'?)"), std::string::npos);
  EXPECT_NE(error_of(base).find("no design points"), std::string::npos);
  EXPECT_NE(error_of("name: e\ngrid: {width: [1]}\n").find("no network"), std::string::npos);
  EXPECT_NE(error_of("name: e\ngrid: {network: nosuchnet, width: 1}\n").find("network 'nosuchnet'"), std::string::npos);
  EXPECT_NE(error_of(base + "grid: {width: 1}\npareto: [energy_j:up]\n").find("pareto[0]"), std::string::npos);
  EXPECT_NE(error_of("name: [e\n").find("malformed YAML"), std::string::npos);
  for (const char* bad : {"grid: {widht: [1]}\n", "grid: {width: [5]}\n"})
    EXPECT_EQ(error_of(base + bad).find('\n'), std::string::npos);
}

// Architecture axes (named ones and set.<path>) are read and normalized by the same architecture
// field as `rcsim run --set`: a malformed value is a spec error when the spec loads; a value the
// architecture's rules reject is left to the point (an error row, docs/sweeps.md).
TEST(SweepSpec, ArchAxesAreReadByTheirArchField) {
  for (const auto& ax : known_axes())
    if (*ax.set_path) EXPECT_NE(find_arch_field(ax.set_path), nullptr) << ax.name << " -> " << ax.set_path;
  const std::string base = "name: a\nbase: {network: mnist_lenet, width: 1}\n";
  const SweepSpec s = parse_sweep_spec(
      base + "grid: {wsram_bytes: [1MiB, 64K], set.act_buffer.size_bytes: 256KiB, set.dram.latency_cycles: 050}\n", "t.yaml");
  ASSERT_EQ(s.points.size(), 2u);
  EXPECT_EQ(s.points[0].get("wsram_bytes"), "1048576");
  EXPECT_EQ(s.points[1].get("wsram_bytes"), "65536");
  EXPECT_EQ(s.points[0].get("set.act_buffer.size_bytes"), "262144");
  EXPECT_EQ(s.points[0].get("set.dram.latency_cycles"), "50");
  const SweepSpec plain = parse_sweep_spec(
      base + "grid: {wsram_bytes: 1048576, set.act_buffer.size_bytes: 262144, set.dram.latency_cycles: 50}\n", "t.yaml");
  EXPECT_EQ(plain.points[0].id, s.points[0].id);  // same parameters, same id, whatever the spelling
  EXPECT_NE(error_of(base + "grid: {set.array.rowz: [3]}\n")
                .find("grid.set.array.rowz: unknown architecture field 'array.rowz' (did you mean 'set.array.rows'?)"),
            std::string::npos);
  EXPECT_NE(error_of(base + "grid: {rows: [8, many]}\n").find("grid.rows[1]: expected an integer (got 'many')"),
            std::string::npos);
  EXPECT_NE(error_of(base + "grid: {set.weight_sram.gating: [on]}\n").find("'on' is not one of retention | off"),
            std::string::npos);
  EXPECT_EQ(parse_sweep_spec(base + "grid: {set.array.rows: [8, 2000]}\n", "t.yaml").points.size(), 2u);
  EXPECT_NE(error_of(base + "grid: {wsram_bytes: [1MB]}\n").find("ambiguous unit"), std::string::npos);
  EXPECT_NE(error_of(base + "grid: {set.: [1]}\n").find("'set.' needs an architecture field path"), std::string::npos);
  EXPECT_NE(error_of(base + "grid: {width: [1, 99999999999]}\n").find("grid.width[1]: integer out of range"),
            std::string::npos);
}

TEST(SweepSpec, ShippedSpecsParse) {
  const SweepSpec s = load_sweep_spec("lenet_design_space");
  EXPECT_EQ(s.points.size(), 256u);
  EXPECT_THROW(load_sweep_spec("no_such_spec"), ConfigError);
}

TEST(Shard, ShardsPartitionThePoints) {
  for (std::size_t n : {0u, 1u, 7u, 256u}) {
    for (int count : {1, 3, 8, 300}) {
      std::vector<int> seen(n, 0);
      for (int i = 0; i < count; ++i) {
        std::size_t last = 0;
        bool first = true;
        for (std::size_t idx : shard_indices(n, {i, count})) {
          ASSERT_LT(idx, n);
          if (!first) EXPECT_GT(idx, last);  // enumeration order within a shard
          first = false, last = idx;
          ++seen[idx];
        }
      }
      for (std::size_t k = 0; k < n; ++k) EXPECT_EQ(seen[k], 1) << "n=" << n << " count=" << count << " k=" << k;
    }
  }
}

TEST(Shard, ParseRejectsNonsense) {
  EXPECT_EQ(parse_shard("2/8").index, 2);
  EXPECT_EQ(parse_shard("2/8").count, 8);
  for (const char* bad : {"8/8", "-1/4", "1", "1/0", "a/b", "1/", "/2", "1/2x"})
    EXPECT_THROW(parse_shard(bad), InputError) << bad;
}

// Hardening (issue 16): a grid of 10^9 points is refused before it is enumerated; duplicate keys
// are errors (last-wins before).
TEST(SweepSpecHardening, HugeGridsNeedMaxPoints) {
  std::string spec = "name: g\nbase: {network: mnist_lenet, width: 1}\ngrid:\n";
  for (const char* axis : {"set.array.rows", "set.array.cols", "set.dram.latency_cycles", "set.weight_sram.banks",
                           "set.clock_hz", "set.dram.bandwidth_bytes_per_cycle", "set.act_buffer.word_bits"}) {
    spec += std::string("  ") + axis + ": [";
    for (int i = 1; i <= 20; ++i) spec += (i > 1 ? ", " : "") + std::to_string(i * 8);
    spec += "]\n";
  }
  EXPECT_NE(error_of(spec).find("--max-points"), std::string::npos);
  const std::string small = "name: g\nbase: {network: mnist_lenet}\ngrid: {width: [1, 2, 3, 4]}\n";
  EXPECT_EQ(parse_sweep_spec(small, "t.yaml").points.size(), 4u);
  EXPECT_THROW(parse_sweep_spec(small, "t.yaml", 3), ConfigError);
  EXPECT_EQ(parse_sweep_spec(small, "t.yaml", 4).points.size(), 4u);
}

TEST(SweepSpecHardening, DuplicateKeysAreErrors) {
  EXPECT_NE(error_of("name: a\nname: b\npoints:\n  - {network: mnist_lenet, width: 1}\n").find("duplicate key"),
            std::string::npos);
  EXPECT_NE(error_of("name: a\npoints:\n  - {network: mnist_lenet, width: 1, width: 2}\n").find("duplicate key"),
            std::string::npos);
}
