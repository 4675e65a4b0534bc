#pragma once
// The evaluators a sweep can use, by name, with the host model's accuracy column added to each
// row: shared by `rcsim sweep` and the Python module's rcsim.sweep / rcsim.evaluate_points, so
// both produce the same rows and columns.
#include <string>
#include <vector>

#include "sweep/evaluator.h"

namespace rcsim::sweep {

struct SweepEvaluatorOptions {
  std::string evaluator = "rcsim";  ///< rcsim (worker processes) | rcsim-run (a process per point) | sleep:MS
  std::string mode = "fast";        ///< fast | per-cycle
  std::string weights;              ///< weights for the accuracy column ("" = the network's trained default)
  int accuracy_images = 0;          ///< test images for the accuracy column (0 = all)
  bool accuracy = true;             ///< add the accuracy column (never for sleep:MS)
  /// How to start a worker process (evaluator "rcsim"): the command before its `--mode M
  /// --weights W` options; empty = `<this executable> sweep-worker`.
  std::vector<std::string> worker_command;
};

/// InputError for an unknown evaluator name or a bad sleep:MS.
Evaluator make_sweep_evaluator(const SweepEvaluatorOptions& o);

}  // namespace rcsim::sweep
