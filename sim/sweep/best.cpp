#include "sweep/best.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "core/errors.h"
#include "core/yaml_util.h"
#include "sweep/point_label.h"

namespace rcsim::sweep {

namespace {

std::string g4(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

// A numeric cell with 4 significant digits (the CSV keeps every digit), other text as is.
std::string short_number(const std::string& cell) {
  const double v = cell_number(cell);
  return std::isnan(v) ? cell : g4(v);
}

int need_column(const CsvTable& t, const std::string& col, const std::string& what) {
  const int c = t.column(col);
  if (c < 0) {
    std::string msg = what + ": no column '" + col + "'";
    const std::string hint = yaml::did_you_mean(col, t.columns);
    if (!hint.empty()) msg += " (did you mean '" + hint + "'?)";
    throw InputError(msg);
  }
  return c;
}

std::vector<Objective> objectives_of(const BestQuery& q) {
  return q.objectives.empty() ? std::vector<Objective>{{"energy_j", false}} : q.objectives;
}

std::string op_text(CompareOp op) {
  switch (op) {
    case CompareOp::Less: return "<";
    case CompareOp::LessEqual: return "<=";
    case CompareOp::Greater: return ">";
    case CompareOp::GreaterEqual: return ">=";
    case CompareOp::Equal: return "=";
    case CompareOp::NotEqual: return "!=";
  }
  return "?";
}

// "a < b" as better, lexicographically, each objective in its direction.
bool better(const RankedRow& a, const RankedRow& b, const std::vector<Objective>& obj) {
  for (std::size_t i = 0; i < obj.size(); ++i) {
    const double x = a.objective_values[i], y = b.objective_values[i];
    if (x != y) return obj[i].maximize ? x > y : x < y;
  }
  return a.row < b.row;
}

}  // namespace

std::vector<std::pair<std::string, std::vector<RankedRow>>> rank_rows(const CsvTable& t, const BestQuery& q) {
  const std::vector<Objective> obj = objectives_of(q);
  const std::vector<std::size_t> kept = select_rows(t, q.where);  // checks the constraints' columns
  std::vector<int> ocol;
  for (const auto& o : obj) ocol.push_back(need_column(t, o.column, "objective " + o.column));
  const int g = t.column(q.group_by);
  std::vector<std::pair<std::string, std::vector<RankedRow>>> groups;
  std::map<std::string, std::size_t> slot;
  for (std::size_t r : kept) {
    RankedRow rr{r, {}};
    bool numeric = true;
    for (int c : ocol) {
      const double v = cell_number(t.rows[r][std::size_t(c)]);
      numeric = numeric && !std::isnan(v);
      rr.objective_values.push_back(v);
    }
    if (!numeric) continue;
    const std::string key = g < 0 ? "" : t.rows[r][std::size_t(g)];
    auto it = slot.find(key);
    if (it == slot.end()) {
      it = slot.emplace(key, groups.size()).first;
      groups.push_back({key, {}});
    }
    groups[it->second].second.push_back(std::move(rr));
  }
  for (auto& [key, rows] : groups)
    std::sort(rows.begin(), rows.end(), [&](const RankedRow& a, const RankedRow& b) { return better(a, b, obj); });
  return groups;
}

std::string best_report(const CsvTable& t, const BestQuery& q) {
  const std::vector<Objective> obj = objectives_of(q);
  const auto ranked = rank_rows(t, q);  // checks the columns first
  const int g = t.column(q.group_by);
  // Columns shown for each row: the objectives, then the constrained numeric columns.
  std::vector<std::string> shown;
  for (const auto& o : obj) shown.push_back(o.column);
  for (const auto& c : q.where)
    if (std::find(shown.begin(), shown.end(), c.column) == shown.end() && !std::isnan(cell_number(c.value)))
      shown.push_back(c.column);
  auto values = [&](std::size_t r) {
    std::string s;
    for (const auto& col : shown) s += "  " + col + "=" + short_number(t.rows[r][std::size_t(t.column(col))]);
    return s;
  };
  std::string objective_text;
  for (const auto& o : obj)
    objective_text += (objective_text.empty() ? "" : ", then ") + o.column + (o.maximize ? " (max)" : " (min)");
  std::string where_text;
  for (const auto& c : q.where) where_text += (where_text.empty() ? "" : ", ") + c.text;

  // The groups: every value of group_by among ok rows, so a group with no feasible point is reported too.
  const std::vector<std::size_t> ok = select_rows(t, {});
  std::vector<std::string> keys;
  for (std::size_t r : ok) {
    const std::string k = g < 0 ? "" : t.rows[r][std::size_t(g)];
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  }
  std::ostringstream out;
  if (keys.empty()) return "no rows with status ok\n";
  for (const auto& key : keys) {
    std::vector<std::size_t> members;
    for (std::size_t r : ok)
      if (g < 0 || t.rows[r][std::size_t(g)] == key) members.push_back(r);
    const std::vector<std::string> axes = varying_axes(t, members);
    const std::vector<RankedRow>* feasible = nullptr;
    for (const auto& [k, rows] : ranked)
      if (k == key) feasible = &rows;
    const std::size_t n_feasible = feasible ? feasible->size() : 0;
    out << (key.empty() ? std::string("all rows") : q.group_by + " " + key) << ": " << members.size() << " points, "
        << n_feasible << (where_text.empty() ? " with numeric objectives" : " meet " + where_text) << "; best by "
        << objective_text << "\n";
    auto describe = [&](std::size_t r) {
      const std::string label = point_label(t, r, axes);
      return (label.empty() ? std::string("the only point") : label) + "  [point_index " +
             t.rows[r][std::size_t(std::max(0, t.column("point_index")))] + "]" + values(r);
    };
    if (n_feasible == 0) {
      out << "  no point meets every constraint\n";
    } else {
      const int top = std::max(1, q.top);
      for (std::size_t i = 0; i < std::min<std::size_t>(std::size_t(top), n_feasible); ++i)
        out << "  " << (i == 0 ? "best" : "#" + std::to_string(i + 1)) << ": " << describe((*feasible)[i].row) << "\n";
      const RankedRow& win = feasible->front();
      if (!q.where.empty()) {
        out << "    constraints met:";
        for (const auto& c : q.where)
          out << "  " << c.column << "=" << short_number(t.rows[win.row][std::size_t(t.column(c.column))]) << " "
              << op_text(c.op) << " " << c.value;
        out << "\n";
      }
      if (n_feasible > std::size_t(top)) {
        const RankedRow& next = (*feasible)[std::size_t(top)];
        out << "  runner-up: " << describe(next.row);
        const double a = win.objective_values[0], b = next.objective_values[0];
        if (a != 0 && std::isfinite(a))
          out << "  (" << obj[0].column << " " << (b >= a ? "+" : "") << g4(100 * (b - a) / std::fabs(a)) << " %)";
        out << "\n";
      } else if (n_feasible == 1) {
        out << "  runner-up: none (no other point meets the constraints)\n";
      }
    }
    // Why the constraints matter: what each rejected, and the unconstrained optimum when it differs.
    for (const auto& c : q.where) {
      std::size_t rejected = 0;
      const int col = t.column(c.column);
      for (std::size_t r : members) rejected += !satisfies(t.rows[r][std::size_t(col)], c);
      out << "  " << c.text << " rejects " << rejected << " of " << members.size() << " points\n";
    }
    if (!q.where.empty()) {
      BestQuery free = q;
      free.where.clear();
      for (const auto& [k, rows] : rank_rows(t, free)) {
        if (k != key || rows.empty()) continue;
        if (n_feasible == 0 || rows.front().row != feasible->front().row)
          out << "  without the constraints the best would be: " << describe(rows.front().row) << "\n";
        else
          out << "  the constraints do not change the winner (it is also the best of all " << rows.size()
              << " points)\n";
      }
    }
  }
  return out.str();
}

}  // namespace rcsim::sweep
