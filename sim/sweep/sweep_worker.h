#pragma once
// Worker processes for sweeps. SystemC allows one kernel per process and it is not thread-safe,
// so the sweep's threads never simulate themselves: each thread talks to one long-lived child
// (`rcsim sweep-worker`, the same binary) over pipes, one JSON line per point each way. A child
// evaluates its points one after another in-process (evaluate_point, with one eval::Evaluator
// whose caches live as long as the worker), which avoids
// paying process start-up (~0.4 s of shared-library loading) per point. A crashed child fails
// only its current point (retried by the next run) and is replaced.
#include <iosfwd>
#include <string>
#include <vector>

#include "sweep/evaluator.h"
#include "sweep/point_evaluator.h"

namespace rcsim::sweep {

/// The worker loop: reads {"id","params":{…}} lines from `in` until EOF, writes one line per
/// point to `out`: {"id","values":{…}} or {"id","error":msg,"invalid":true|false}.
void sweep_worker_main(std::istream& in, std::ostream& out, const PointEvalOptions& o);

/// Evaluator that sends points to worker children `exe sweep-worker --mode M --weights W`
/// (exe empty = this executable). Thread-safe; each calling thread uses its own child.
Evaluator make_worker_evaluator(const PointEvalOptions& o, const std::string& exe = "");

/// The same with the worker started as `command… --mode M --weights W` (command[0] a path):
/// the Python module starts its workers as the Python interpreter running the module's loop.
Evaluator make_worker_evaluator(const PointEvalOptions& o, const std::vector<std::string>& command);

}  // namespace rcsim::sweep
