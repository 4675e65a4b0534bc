#pragma once
// Evaluation of one design point inside this process: the accelerator (fast or per-cycle mode,
// one image — cycles and counters do not depend on the data) and the energy model. Safe to call
// many times in one process (the accelerator keeps one SystemC module and runs any number of
// configurations one after another) but NOT from two threads at once: the SystemC kernel is
// not thread-safe. Sweeps therefore call it from worker processes (sweep_worker.h).
#include <string>

#include "sweep/design_point.h"

namespace rcsim::sweep {

struct PointEvalOptions {
  std::string mode = "fast";      ///< fast | per-cycle
  std::string weights = "random"; ///< "random" (seed 1) or a weights file; timing ignores values
};

/// Values: cycles, latency_s, macs, utilization (from the accelerator's run report), energy_j,
/// dynamic_j, static_j, avg_power_w, edp_js, energy_by_component_j.<component> (energy model).
/// ConfigError/InputError for an invalid point (e.g. an SRAM too small for one fold).
Params evaluate_point_in_process(const DesignPoint& p, const PointEvalOptions& o);

}  // namespace rcsim::sweep
