#include "sweep/sweep_evaluators.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>

#include "core/errors.h"
#include "sweep/accuracy_table.h"
#include "sweep/child_process.h"
#include "sweep/run_evaluator.h"
#include "sweep/sweep_worker.h"

namespace rcsim::sweep {

namespace {

// Adds the host model's accuracy (network, width) to every row the evaluator returns.
Evaluator with_accuracy(Evaluator inner, const SweepEvaluatorOptions& o) {
  auto table = std::make_shared<AccuracyTable>(o.weights == "random" ? "" : o.weights, o.accuracy_images);
  auto warned = std::make_shared<std::once_flag>();
  return [inner, table, warned](const DesignPoint& p) {
    Params v = inner(p);
    if (const auto a = table->get(p.get("network"), std::stoi(p.get("width")), std::stoi(p.get("precision", "8")))) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.6g", *a);
      v.emplace_back("accuracy", buf);
    } else {
      std::call_once(*warned, [&] {
        const std::string why = table->why(p.get("network"));
        std::cerr << "rcsim: note: no accuracy for some " << p.get("network") << " rows: "
                  << (why.empty() ? "the weights file's precision differs from the point's (precision " +
                                        p.get("precision", "8") + ")"
                                  : why)
                  << "\n";
      });
    }
    return v;
  };
}

Evaluator make_bare_evaluator(const SweepEvaluatorOptions& o) {
  if (o.evaluator == "rcsim") {
    PointEvalOptions p;
    p.mode = o.mode;
    // Cycles, counters and energy do not depend on weight values (no data-dependent timing or
    // zero skipping), so the hardware runs with random weights at each point's precision;
    // the weights option feeds the accuracy column only.
    p.weights = "random";
    std::vector<std::string> command = o.worker_command;
    if (command.empty()) command = {self_executable(), "sweep-worker"};
    return make_worker_evaluator(p, command);
  }
  if (o.evaluator == "rcsim-run") {  // one `rcsim run --json` process per point (slower; cross-check)
    RunEvaluatorOptions r;
    r.mode = o.mode;
    r.weights = o.weights.empty() ? "random" : o.weights;
    return make_run_evaluator(r);
  }
  if (o.evaluator.rfind("sleep:", 0) == 0) {
    char* end = nullptr;
    const long ms = std::strtol(o.evaluator.c_str() + 6, &end, 10);
    if (*end || ms < 0 || ms > 3600000) throw InputError("--evaluator: sleep:MS needs 0 ≤ MS ≤ 3600000");
    return make_sleep_evaluator(int(ms));
  }
  throw InputError("--evaluator: '" + o.evaluator + "' is not rcsim, rcsim-run or sleep:MS");
}

}  // namespace

Evaluator make_sweep_evaluator(const SweepEvaluatorOptions& o) {
  Evaluator eval = make_bare_evaluator(o);
  if (o.accuracy && o.evaluator.rfind("sleep:", 0) != 0) eval = with_accuracy(eval, o);
  return eval;
}

}  // namespace rcsim::sweep
