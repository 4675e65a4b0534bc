#include "sweep/pareto.h"

#include <cstdlib>
#include <map>

namespace rcsim::sweep {

std::vector<bool> pareto_front(const std::vector<std::vector<double>>& v) {
  std::vector<bool> front(v.size(), true);
  for (std::size_t i = 0; i < v.size(); ++i)
    for (std::size_t j = 0; j < v.size() && front[i]; ++j) {
      if (i == j) continue;
      bool all_le = true, one_lt = false;
      for (std::size_t d = 0; d < v[i].size(); ++d) {
        if (v[j][d] > v[i][d]) all_le = false;
        if (v[j][d] < v[i][d]) one_lt = true;
      }
      if (all_le && one_lt) front[i] = false;
    }
  return front;
}

namespace {
bool to_double(const std::string& s, double& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return *end == '\0';
}
}  // namespace

void mark_pareto(CsvTable& t, const std::vector<Objective>& objectives, const std::string& group_by) {
  int pcol = t.column("pareto");
  if (pcol < 0) {
    // Keep "error" as the last column when present.
    const int ecol = t.column("error");
    const std::size_t at = ecol < 0 ? t.columns.size() : std::size_t(ecol);
    t.columns.insert(t.columns.begin() + long(at), "pareto");
    for (auto& r : t.rows) r.insert(r.begin() + long(at), "");
    pcol = int(at);
  }
  for (auto& r : t.rows) r[std::size_t(pcol)].clear();
  std::vector<std::pair<int, bool>> cols;  // column, maximize
  for (const auto& o : objectives)
    if (t.column(o.column) >= 0) cols.emplace_back(t.column(o.column), o.maximize);
  if (cols.empty()) return;
  const int status = t.column("status");
  const int group = t.column(group_by);
  // Per group, the objectives with at least one number there: a network without trained weights
  // has an empty accuracy column, and its front is then over the other objectives (energy and
  // latency, say) instead of no front at all.
  std::map<std::string, std::vector<std::size_t>> rows_of;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    if (status >= 0 && t.rows[r][std::size_t(status)] != "ok") continue;
    rows_of[group >= 0 ? t.rows[r][std::size_t(group)] : ""].push_back(r);
  }
  for (const auto& [g, all] : rows_of) {
    std::vector<std::pair<int, bool>> used;
    for (const auto& [c, maximize] : cols) {
      bool any = false;
      double x = 0;
      for (std::size_t r : all) any = any || to_double(t.rows[r][std::size_t(c)], x);
      if (any) used.emplace_back(c, maximize);
    }
    if (used.empty()) continue;
    std::vector<std::size_t> members;
    std::vector<std::vector<double>> values;
    for (std::size_t r : all) {
      std::vector<double> v;
      bool numeric = true;
      for (const auto& [c, maximize] : used) {
        double x = 0;
        if (!to_double(t.rows[r][std::size_t(c)], x)) numeric = false;
        v.push_back(maximize ? -x : x);
      }
      if (!numeric) continue;
      members.push_back(r);
      values.push_back(std::move(v));
    }
    const std::vector<bool> front = pareto_front(values);
    for (std::size_t i = 0; i < members.size(); ++i) t.rows[members[i]][std::size_t(pcol)] = front[i] ? "1" : "0";
  }
}

}  // namespace rcsim::sweep
