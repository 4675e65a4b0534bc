#pragma once
// Evaluates design points on a pool of std::threads; each finished point is appended to the
// journal at once (so a kill loses at most the points in flight). Progress (points done, rate,
// ETA) goes to stderr only when asked — the CLI asks when stderr is a terminal.
#include <string>
#include <utility>
#include <vector>

#include "sweep/design_point.h"
#include "sweep/evaluator.h"
#include "sweep/journal.h"

namespace rcsim::sweep {

struct RunnerOptions {
  int jobs = 1;          ///< worker threads
  bool progress = false; ///< redraw a progress line on stderr
};

struct RunSummary {
  std::size_t evaluated = 0;  ///< rows journaled (status ok or error)
  std::size_t errors = 0;     ///< of which status "error" (invalid point)
  std::size_t failures = 0;   ///< points that failed and were not journaled (retried next run)
  std::string first_failure;
  double seconds = 0;
};

/// A result row: point_id, point_index, status, the parameters, the evaluator's values, error.
Params compose_row(std::size_t index, const DesignPoint& p, const std::string& status,
                   const Params& values, const std::string& error);

RunSummary evaluate_points(const std::vector<std::pair<std::size_t, const DesignPoint*>>& todo,
                           const Evaluator& eval, Journal& journal, const RunnerOptions& opts);

}  // namespace rcsim::sweep
