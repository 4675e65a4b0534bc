// Constraints (--where), rankings (--best), labels of what distinguishes points, and the spec's
// `where:`/`objectives:` keys and filled-in axes.
#include <gtest/gtest.h>

#include "core/errors.h"
#include "sweep/best.h"
#include "sweep/point_label.h"
#include "sweep/result_columns.h"
#include "sweep/row_filter.h"
#include "sweep/sweep_spec.h"

using namespace rcsim;
using namespace rcsim::sweep;

namespace {

// Four ok points of one network and an error row; the cheapest (a) is too slow for 30 µs.
CsvTable table() {
  CsvTable t;
  t.columns = {"point_id", "point_index", "status",      "network",   "width",    "rows",
               "cols",     "dataflow",    "wsram_bytes", "latency_s", "energy_j", "accuracy"};
  t.rows = {{"a", "0", "ok", "n", "2", "8", "8", "ws", "65536", "4e-5", "1e-6", "0.9"},
            {"b", "1", "ok", "n", "2", "16", "16", "os", "131072", "2.5e-5", "2e-6", "0.9"},
            {"c", "2", "ok", "n", "2", "32", "32", "os", "131072", "1e-5", "3e-6", ""},
            {"d", "3", "ok", "n", "2", "16", "16", "ws", "1048576", "2.9e-5", "2e-6", "0.9"},
            {"e", "4", "error", "n", "2", "64", "64", "os", "131072", "", "", ""}};
  return t;
}

std::vector<std::size_t> rows_where(const std::vector<std::string>& w) { return filter_rows(table(), w); }

}  // namespace

TEST(RowFilter, EveryOperatorNumericAndText) {
  EXPECT_EQ(rows_where({"latency_s<30e-6"}), (std::vector<std::size_t>{1, 2, 3}));
  EXPECT_EQ(rows_where({"latency_s<=2.5e-5"}), (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(rows_where({"latency_s>2.5e-5"}), (std::vector<std::size_t>{0, 3}));
  EXPECT_EQ(rows_where({"latency_s>=2.5e-5"}), (std::vector<std::size_t>{0, 1, 3}));
  EXPECT_EQ(rows_where({"latency_s==25e-6"}), (std::vector<std::size_t>{1}));  // numerically equal
  EXPECT_EQ(rows_where({"dataflow!=ws"}), (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(rows_where({"dataflow=os"}), (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(rows_where({"wsram_bytes<=128KiB"}), (std::vector<std::size_t>{0, 1, 2}));  // byte units
  // Combined: repeated and comma-separated mean the same (all must hold).
  EXPECT_EQ(rows_where({"latency_s<30e-6", "dataflow=os"}), (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(rows_where({"latency_s<30e-6,dataflow=os"}), (std::vector<std::size_t>{1, 2}));
  // An empty cell fails an ordering test.
  EXPECT_EQ(rows_where({"accuracy>=0.5"}), (std::vector<std::size_t>{0, 1, 3}));
}

TEST(RowFilter, BadConstraintsAreOneLineErrors) {
  auto error_of = [](const std::string& w) {
    try {
      rows_where({w});
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error_of("latncy_s<1").find("no column 'latncy_s' (did you mean 'latency_s'?)"), std::string::npos);
  EXPECT_NE(error_of("latency_s<fast").find("'fast' is not a number"), std::string::npos);
  EXPECT_NE(error_of("latency_s").find("expected COLUMN OP VALUE"), std::string::npos);
  EXPECT_NE(error_of("<3").find("expected COLUMN OP VALUE"), std::string::npos);
  EXPECT_NE(error_of("width!2").find("'!' must be followed by '='"), std::string::npos);
  EXPECT_NE(error_of("width<<2").find("expected COLUMN OP VALUE"), std::string::npos);
  EXPECT_NE(error_of("width=2,").find("empty constraint"), std::string::npos);
}

TEST(Best, WinnerMeetsTheConstraintsAndRunnerUpIsNext) {
  BestQuery q;
  q.where = parse_conditions("latency_s<30e-6");
  const auto ranked = rank_rows(table(), q);
  ASSERT_EQ(ranked.size(), 1u);
  // b and d tie on energy (2 µJ): row order breaks the tie; c (3 µJ) is last; a is too slow.
  std::vector<std::size_t> order;
  for (const auto& r : ranked[0].second) order.push_back(r.row);
  EXPECT_EQ(order, (std::vector<std::size_t>{1, 3, 2}));
  // A second objective breaks the tie: d is slower than b, so latency_s:max puts d first.
  q.objectives = {{"energy_j", false}, {"latency_s", true}};
  EXPECT_EQ(rank_rows(table(), q)[0].second.front().row, 3u);

  q.objectives = {};
  const std::string report = best_report(table(), q);
  EXPECT_NE(report.find("network n: 4 points, 3 meet latency_s<30e-6; best by energy_j (min)"), std::string::npos)
      << report;
  // Labelled by what varies (array, dataflow, SRAM size; width is the same everywhere).
  EXPECT_NE(report.find("best: 16x16 os 128KiB  [point_index 1]  energy_j=2e-06  latency_s=2.5e-05"), std::string::npos)
      << report;
  EXPECT_NE(report.find("constraints met:  latency_s=2.5e-05 < 30e-6"), std::string::npos) << report;
  EXPECT_NE(report.find("runner-up: 16x16 ws 1MiB"), std::string::npos) << report;
  EXPECT_NE(report.find("latency_s<30e-6 rejects 1 of 4 points"), std::string::npos) << report;
  EXPECT_NE(report.find("without the constraints the best would be: 8x8 ws 64KiB"), std::string::npos) << report;

  q.where = parse_conditions("latency_s<1e-6");
  EXPECT_NE(best_report(table(), q).find("no point meets every constraint"), std::string::npos);
  q.objectives = {{"enrgy_j", false}};
  EXPECT_THROW(best_report(table(), q), InputError);
}

TEST(PointLabel, OnlyTheAxesThatVary) {
  const CsvTable t = table();
  const std::vector<std::string> axes = varying_axes(t, {0, 1, 2, 3});
  EXPECT_EQ(axes, (std::vector<std::string>{"array", "dataflow", "wsram_bytes"}));
  EXPECT_EQ(point_label(t, 2, axes), "32x32 os 128KiB");
  EXPECT_EQ(varying_axes(t, {1, 2}), (std::vector<std::string>{"array"}));
  EXPECT_EQ(point_label(t, 1, {"width"}), "k=2");
}

TEST(SweepSpec, WhereAndObjectivesKeys) {
  const SweepSpec s = parse_sweep_spec(R"(
name: q
base: {network: mnist_lenet, width: 2}
grid: {array: [8x8, 16x16]}
where: ['latency_s<30e-6', 'dataflow=os,wsram_bytes<=128KiB']
objectives: [energy_j:min, latency_s:min]
)",
                                       "q.yaml");
  ASSERT_EQ(s.where.size(), 3u);
  EXPECT_EQ(s.where[2].column, "wsram_bytes");
  EXPECT_EQ(s.where[2].op, CompareOp::LessEqual);
  ASSERT_EQ(s.best_objectives.size(), 2u);
  EXPECT_EQ(s.best_objectives[1].column, "latency_s");
  try {
    parse_sweep_spec("name: q\ngrid: {network: mnist_lenet, width: 2}\nwhere: ['latency_s<<3']\n", "q.yaml");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("q.yaml: where[0]:"), std::string::npos) << e.what();
  }
}

// An explicit point leaves axes unset that other points set: those cells get the base
// architecture's value, so the CSV has no empty axis cell, and equal parameters share one id.
TEST(SweepSpec, ExplicitPointsFillUnsetAxesWithTheBaseValue) {
  const SweepSpec s = parse_sweep_spec(R"(
name: f
base: {network: mnist_lenet, width: 1}
grid: {array: [8x8], wsram_bytes: [64KiB]}
points:
  - {width: 2}
  - {width: 2, array: 16x16, wsram_bytes: 1MiB, dataflow: ws}
)",
                                       "f.yaml");
  // The default arch is 16x16 with 1 MiB of weight SRAM and ws: the two explicit points are one.
  ASSERT_EQ(s.points.size(), 2u);
  EXPECT_EQ(s.points[1].get("rows"), "16");
  EXPECT_EQ(s.points[1].get("cols"), "16");
  EXPECT_EQ(s.points[1].get("wsram_bytes"), "1048576");
  EXPECT_EQ(s.points[0].get("dataflow"), "ws");  // set by a later point only, filled here too
}

TEST(ResultColumns, PatternsAndNamesAreDeclared) {
  for (const char* c : {"latency_s", "energy_j", "count.macs", "energy_by_component_j.pe_array", "rows",
                        "set.dram.latency_cycles", "wsram_holds_full_width", "pareto"})
    EXPECT_TRUE(is_declared_column(c)) << c;
  for (const char* c : {"latency", "energy_uj", "rowz"}) EXPECT_FALSE(is_declared_column(c)) << c;
}
