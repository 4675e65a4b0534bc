#pragma once
// Sweep specification (workloads/sweeps/*.yaml): a base point, Cartesian-product grids and
// explicit points over the design axes below. Parsing is strict: unknown keys, unknown axes,
// values of the wrong type or out of range are one-line ConfigErrors naming the file and field.
//
//   name: lenet_arrays
//   base:   {network: mnist_lenet, arch: default}       # shared by every point
//   grid:                                               # product; a list of maps = union of products
//     width: [1, 2, 3, 4]
//     array: [8x8, 16x16, 32x32]                        # or rows: [...] and cols: [...]
//     dataflow: [ws, os]
//   points:                                             # explicit extra points (over base)
//     - {network: cifar10_quick, width: 4, array: 16x16}
//   pareto: [energy_j:min, accuracy:max]                # objectives of the pareto flag
//   where: ['latency_s<30e-6']                          # constraints of `rcsim sweep --best`
//   objectives: [energy_j:min]                          # what --best minimizes/maximizes
#include <cstddef>
#include <string>
#include <vector>

#include "sweep/design_point.h"
#include "sweep/row_filter.h"

namespace rcsim::sweep {

/// A design axis the spec may name. `set_path` is the architecture field that `rcsim run
/// --set path=value` overrides for it ("" for axes given as their own `rcsim run` option).
struct AxisInfo {
  const char* name;
  const char* set_path;
  const char* description;
};

/// Known axes in canonical column order. Any axis `set.<arch.path>` is also accepted and passed
/// to `rcsim run --set <arch.path>=value`; like the axes with a set_path, its values are read,
/// checked and normalized by that architecture field (core/arch_fields.h) when the spec loads.
const std::vector<AxisInfo>& known_axes();

/// One objective of the Pareto flag: a CSV column to minimize or maximize.
struct Objective {
  std::string column;
  bool maximize = false;
};

struct SweepSpec {
  std::string name;
  std::string origin;                 ///< file (or embedded name) for error messages
  std::vector<DesignPoint> points;    ///< enumerated, normalized, deduplicated, in spec order
  std::vector<Objective> objectives;  ///< of the pareto flag; default: energy_j:min, accuracy:max
  std::vector<Condition> where;       ///< constraints of --best (spec key `where`)
  std::vector<Objective> best_objectives;  ///< ranking of --best (spec key `objectives`); empty = energy_j:min
};

/// Default cap on the points a spec may expand to (`rcsim sweep --max-points` raises it): a grid
/// of a few short lists can name 10^9 points, which would be enumerated before anything runs.
inline constexpr std::size_t kDefaultMaxPoints = 100000;

/// Parses and enumerates a spec; `origin` names it in errors. A spec whose grids and points
/// add up to more than `max_points` is a ConfigError counted before anything is enumerated.
SweepSpec parse_sweep_spec(const std::string& yaml_text, const std::string& origin,
                           std::size_t max_points = kDefaultMaxPoints);
/// Loads a spec file, or a shipped one by name (workloads/sweeps/NAME.yaml, embedded).
SweepSpec load_sweep_spec(const std::string& name_or_path, std::size_t max_points = kDefaultMaxPoints);

/// Parses "column:min|max" (InputError otherwise).
Objective parse_objective(const std::string& text);

}  // namespace rcsim::sweep
