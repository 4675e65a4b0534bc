#include "energy/sram_interpolation.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/errors.h"

namespace rcsim::energy {

double loglog(const std::vector<std::pair<double, double>>& pts, double x) {
  if (pts.empty()) throw InternalError("loglog: no points");
  if (pts.size() == 1) return pts[0].second;
  std::size_t i = 1;
  while (i + 1 < pts.size() && pts[i].first < x) ++i;
  const auto [x0, y0] = pts[i - 1];
  const auto [x1, y1] = pts[i];
  const double slope = (std::log(y1) - std::log(y0)) / (std::log(x1) - std::log(x0));
  return std::exp(std::log(y0) + slope * (std::log(x) - std::log(x0)));
}

double sram_interpolate(const std::vector<SramPoint>& pts, double kb, int word_bits) {
  if (pts.empty()) throw InternalError("sram_interpolate: no points");
  std::map<int, std::vector<std::pair<double, double>>> by_width;
  for (const auto& p : pts) by_width[p.word_bits].push_back({p.capacity_kb, p.value});
  std::vector<std::pair<double, double>> at_kb;  // (word width, value at this capacity)
  for (auto& [w, v] : by_width) {
    std::sort(v.begin(), v.end());
    at_kb.push_back({double(w), loglog(v, kb)});
  }
  // A word narrower than the narrowest tabulated one is charged as that word (the macro still
  // activates a row of at least that width and column-muxes it): conservative, see README.
  const double w = std::max<double>(word_bits, at_kb.front().first);
  return loglog(at_kb, w);
}

}  // namespace rcsim::energy
