// The sweep CSV's count.* columns are the scalar counters of RCSIM_LAYER_COUNTERS, under their
// declared names (they come from the run report's totals; per-bank counters are not columns).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/layer_counters.h"
#include "eval/evaluator.h"
#include "sweep/point_evaluator.h"

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
