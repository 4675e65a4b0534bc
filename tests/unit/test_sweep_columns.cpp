// The sweep CSV's and the run report's fields are the declared ones. The sweep CSV's count.* columns are the scalar
// counters of RCSIM_LAYER_COUNTERS, under their declared names (they come from the run report's totals; per-bank
// counters are not columns).
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "core/layer_counters.h"
#include "eval/eval_json.h"
#include "eval/evaluator.h"
#include "eval/run_json_fields.h"
#include "sweep/point_evaluator.h"
#include "sweep/result_columns.h"

using namespace rcsim;
using namespace rcsim::sweep;

TEST(SweepColumns, CountColumnsAreTheScalarCounters) {
  DesignPoint p;
  p.params = {{"network", "mnist_lenet"}, {"width", "1"}};
  eval::Evaluator evaluator;
  const Params out = evaluate_point(evaluator, p, PointEvalOptions{});
  std::set<std::string> columns, scalar_counters;
  for (const auto& [name, value] : out)
    if (name.rfind("count.", 0) == 0) columns.insert(name.substr(6));
  for (const auto& d : counter_descriptions())
    if (d.kind == CounterKind::Scalar) scalar_counters.insert(d.name);
  EXPECT_EQ(columns, scalar_counters);
}

// Every column the evaluator writes is declared (sweep/result_columns.h, docs/outputs.md), and
// every declared metric without a placeholder is written (area ones when the node has a table).
TEST(SweepColumns, EvaluatorWritesExactlyTheDeclaredColumns) {
  DesignPoint p;
  p.params = {{"network", "mnist_lenet"}, {"width", "2"}, {"wsram_bytes", "4096"}};
  eval::Evaluator evaluator;
  const Params out = evaluate_point(evaluator, p, PointEvalOptions{});
  std::set<std::string> written;
  for (const auto& [name, value] : out) {
    EXPECT_TRUE(is_declared_column(name)) << name << " is written but not declared";
    written.insert(name);
  }
  for (const auto& c : result_columns()) {
    const std::string n = c.name;
    if (c.group != ColumnGroup::Metric || n.find('<') != std::string::npos) continue;
    if (n == "accuracy") continue;  // added by the sweep command from the weights, not the evaluator
    EXPECT_TRUE(written.count(n)) << n << " is declared but not written";
  }
  // 4 KiB of weight SRAM cannot hold LeNet's ~44 KB of full-width weights.
  std::map<std::string, std::string> v(out.begin(), out.end());
  EXPECT_EQ(v.at("wsram_holds_full_width"), "0");
  EXPECT_GT(std::stol(v.at("full_width_weight_bytes")), 4096);
  p.params = {{"network", "mnist_lenet"}, {"width", "2"}};
  const Params big = evaluate_point(evaluator, p, PointEvalOptions{});
  std::map<std::string, std::string> b(big.begin(), big.end());
  EXPECT_EQ(b.at("wsram_holds_full_width"), "1");
  EXPECT_EQ(b.at("full_width_weight_bytes"), v.at("full_width_weight_bytes"));
}

// `rcsim run --json` has exactly the declared fields (eval/run_json_fields.h), top level and per layer.
TEST(RunJsonFields, ReportHasExactlyTheDeclaredFields) {
  eval::Evaluator evaluator;
  eval::EvalRequest r;
  r.network = "mnist_lenet";
  r.width = 1;
  r.weights = "random";
  const nlohmann::json j = eval::to_json(evaluator.evaluate(r));
  std::set<std::string> declared, required;
  for (const auto& f : eval::run_json_fields()) {
    declared.insert(f.name);
    if (!f.optional) required.insert(f.name);
  }
  std::set<std::string> present;
  for (const auto& [k, v] : j.items()) present.insert(k);
  ASSERT_FALSE(j["layers"].empty());
  for (const auto& [k, v] : j["layers"][0].items()) present.insert("layers[]." + k);
  for (const auto& k : present) EXPECT_TRUE(declared.count(k)) << k << " is in the report but not declared";
  for (const auto& k : required) EXPECT_TRUE(present.count(k)) << k << " is declared but not in the report";
}
