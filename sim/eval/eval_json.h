#pragma once
// The JSON of one evaluation: `rcsim run --json` (documented in docs/accelerator.md), read back
// by sweeps (sweep/run_evaluator.h) and compared byte for byte by tests/golden/golden_runs.py.
#include <nlohmann/json.hpp>

#include "energy/energy_report.h"
#include "eval/eval_result.h"

namespace rcsim::eval {

/// accel/run_report.h's run_to_json of the first image's run plus the energy fields below.
nlohmann::json to_json(const EvalResult& r);

/// Adds the energy fields to a run report: energy_j, dynamic_j, static_j,
/// avg_power_w, edp_js, energy_by_component_j{}, energy_by_layer_j[],
/// energy_components{name: {dynamic_j, static_j}}, energy_table{node, file, sources}, and
/// energy_j + energy_by_component_j in each entry of "layers".
void add_energy_to_json(const energy::EnergyReport& e, nlohmann::json& run);

}  // namespace rcsim::eval
