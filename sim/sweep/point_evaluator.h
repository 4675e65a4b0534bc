#pragma once
// Evaluation of one design point inside this process, through the evaluation pipeline
// (eval/evaluator.h): the accelerator (fast or per-cycle mode, one image — cycles and counters
// do not depend on the data) and the energy model. Safe to call many times in one process (the
// accelerator keeps one SystemC module and runs any number of configurations one after another)
// but NOT from two threads at once: the SystemC kernel is not thread-safe. Sweeps therefore call
// it from worker processes (sweep_worker.h), each with one Evaluator for its lifetime.
#include <string>

#include "eval/evaluator.h"
#include "sweep/design_point.h"

namespace rcsim::sweep {

struct PointEvalOptions {
  std::string mode = "fast";      ///< fast | per-cycle
  std::string weights = "random"; ///< "random" (seed 1) or a weights file; timing ignores values
};

/// Values: cycles, latency_s, macs, utilization (from the accelerator's run report), energy_j,
/// dynamic_j, static_j, avg_power_w, edp_js, energy_by_component_j.<component> (energy model).
/// ConfigError/InputError for an invalid point (e.g. an SRAM too small for one fold). `ev`'s
/// caches (networks, weights, energy tables) carry over to the next point.
Params evaluate_point(eval::Evaluator& ev, const DesignPoint& p, const PointEvalOptions& o);

}  // namespace rcsim::sweep
