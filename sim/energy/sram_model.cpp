#include "energy/sram_model.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/errors.h"

namespace rcsim::energy {

namespace {

// y(x) on a log-log line through the segment of `pts` (sorted by x) that brackets x, or the
// end segment beyond the range.
double loglog(const std::vector<std::pair<double, double>>& pts, double x) {
  if (pts.size() == 1) return pts[0].second;
  std::size_t i = 1;
  while (i + 1 < pts.size() && pts[i].first < x) ++i;
  const auto [x0, y0] = pts[i - 1];
  const auto [x1, y1] = pts[i];
  const double slope = (std::log(y1) - std::log(y0)) / (std::log(x1) - std::log(x0));
  return std::exp(std::log(y0) + slope * (std::log(x) - std::log(x0)));
}

}  // namespace

SramMacroEnergy sram_macro_energy(const EnergyTable& t, std::int64_t bytes, int word_bits) {
  if (bytes <= 0 || word_bits <= 0)
    throw InputError("SRAM macro of " + std::to_string(bytes) + " bytes with " +
                     std::to_string(word_bits) + "-bit words: size and word width must be > 0");
  if (t.sram_access.empty() || t.sram_leakage.empty())
    throw InternalError("energy table " + t.origin + " has no SRAM points");
  const double kb = double(bytes) / 1024.0;
  // Per word width: read and write at this capacity.
  std::map<int, std::vector<std::pair<double, double>>> rd, wr;
  for (const auto& p : t.sram_access) {
    rd[p.word_bits].push_back({p.capacity_kb, p.read_pj});
    wr[p.word_bits].push_back({p.capacity_kb, p.write_pj});
  }
  std::vector<std::pair<double, double>> rd_w, wr_w;
  for (auto& [w, v] : rd) {
    std::sort(v.begin(), v.end());
    rd_w.push_back({double(w), loglog(v, kb)});
  }
  for (auto& [w, v] : wr) {
    std::sort(v.begin(), v.end());
    wr_w.push_back({double(w), loglog(v, kb)});
  }
  std::vector<std::pair<double, double>> lk;
  for (const auto& p : t.sram_leakage) lk.push_back({p.capacity_kb, p.uw_per_kb});
  std::sort(lk.begin(), lk.end());
  SramMacroEnergy e;
  // A word narrower than the narrowest tabulated one is charged as that word (the macro still
  // activates a row of at least that width and column-muxes it): conservative, see README.
  const double w = std::max<double>(word_bits, rd_w.front().first);
  e.read_pj = loglog(rd_w, w);
  e.write_pj = loglog(wr_w, w);
  e.leakage_uw = loglog(lk, kb) * kb;
  return e;
}

}  // namespace rcsim::energy
