#pragma once
// The real evaluator: each design point runs as a child `rcsim run --json` process (the same
// binary), with the point's architecture axes passed as `--set path=value` overrides. The
// child's JSON report (cycles, latency, energy and its breakdown, …) is flattened into the row.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sweep/evaluator.h"

namespace rcsim::sweep {

struct RunEvaluatorOptions {
  std::string exe;               ///< rcsim binary; empty = this executable
  std::string mode = "fast";     ///< fast | per-cycle
  std::string weights;           ///< --weights for every point; empty = rcsim run's default
  std::vector<std::string> extra_args;  ///< appended verbatim (e.g. --seed 1)
};

/// The child's argument vector for point `p` (argv[0] = exe).
std::vector<std::string> run_command(const DesignPoint& p, const RunEvaluatorOptions& o);

/// Flattens a `rcsim run --json` report: top-level scalars keep their names (booleans → 1/0),
/// objects of scalars become "<key>.<sub>" (e.g. energy_by_component_j.pe_array); arrays
/// (per-layer detail) and the keys that repeat the point's parameters are left out.
Params flatten_run_report(const nlohmann::json& report);

/// Exit code 2 from the child (bad point) → ConfigError with the child's message; any other
/// failure (crash, signal, bad JSON) → std::runtime_error (not recorded; retried on rerun).
Evaluator make_run_evaluator(const RunEvaluatorOptions& o);

}  // namespace rcsim::sweep
