#pragma once
// The one interpolation rule for SRAM macro figures from CACTI points (energy_models/README.md):
// for each tabulated word width, log-log linear in capacity between the two bracketing
// capacities; then log-log linear in word width between the two bracketing widths. Outside the
// tabulated range the nearest segment is extended, except that a word narrower than the
// narrowest tabulated one is taken as that word; a single point is a constant. Used for access
// energies (sram_model.h) and macro areas (sim/area).
#include <utility>
#include <vector>

namespace rcsim::energy {

/// One CACTI figure (energy, area, ...) of a macro of `capacity_kb` with `word_bits` words.
struct SramPoint {
  double capacity_kb = 0;
  int word_bits = 0;
  double value = 0;
};

/// y(x) on the log-log line through the segment of `pts` (sorted by x, values > 0) that
/// brackets x, or the end segment beyond the range.
double loglog(const std::vector<std::pair<double, double>>& pts, double x);

/// The figure of a macro of `kb` KB and `word_bits`-bit words (rule above). `pts` must be
/// non-empty with positive values (the table loaders check that).
double sram_interpolate(const std::vector<SramPoint>& pts, double kb, int word_bits);

}  // namespace rcsim::energy
