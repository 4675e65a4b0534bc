#include "sweep/governor.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "core/errors.h"
#include "sweep/csv_table.h"

namespace rcsim::sweep {

namespace {

std::string num(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// Numeric cell; `empty_value` when the cell is empty or the column absent (col < 0).
double cell(const CsvTable& t, std::size_t r, int col, const std::string& origin, const char* name,
            double empty_value, bool required) {
  if (col < 0 || t.rows[r][std::size_t(col)].empty()) {
    if (required)
      throw InputError(origin + ": row " + std::to_string(r + 2) + ": " + name + ": missing value");
    return empty_value;
  }
  const std::string& s = t.rows[r][std::size_t(col)];
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (*end || std::isnan(v))
    throw InputError(origin + ": row " + std::to_string(r + 2) + ": " + name + ": not a number ('" + s + "')");
  return v;
}

// A count column (width, cycles): a whole number in [lo, hi]. Converting a double outside the
// integer's range is undefined behaviour, so it is checked before the cast.
std::int64_t count_cell(const CsvTable& t, std::size_t r, int col, const std::string& origin, const char* name,
                        std::int64_t lo, std::int64_t hi) {
  const double v = cell(t, r, col, origin, name, 0, true);
  if (!(v >= double(lo) && v <= double(hi)) || v != std::floor(v))
    throw InputError(origin + ": row " + std::to_string(r + 2) + ": " + name + ": expected a whole number in [" +
                     std::to_string(lo) + ", " + std::to_string(hi) + "] ('" + t.rows[r][std::size_t(col)] + "')");
  return std::int64_t(v);
}

int required_column(const CsvTable& t, const std::string& origin, const char* name) {
  const int c = t.column(name);
  if (c < 0) throw InputError(origin + ": missing column '" + name + "'");
  return c;
}

}  // namespace

double IdleUnit::break_even_s() const {
  if (on_w <= gated_w) return std::numeric_limits<double>::infinity();
  return wake_j / (on_w - gated_w);
}

double idle_energy(const IdlePower& idle, double t, int width, Decision* d) {
  if (!idle.modelled || !(t > 0)) return 0;
  double e = idle.always_on_w * t;
  for (const IdleUnit& u : idle.units) {
    if (u.width_group > width) {  // its group is not in use: already in the gated state
      e += u.count * u.gated_w * t;
      continue;
    }
    const double tbe = u.break_even_s();
    if (t <= tbe) {  // clock-gated the whole period (a period exactly t_be long costs the same either way)
      e += u.count * u.on_w * t;
      continue;
    }
    e += u.count * (u.on_w * tbe + u.gated_w * (t - tbe) + u.wake_j);
    if (d) {
      d->units_gated += u.count;
      d->wake_s = std::max(d->wake_s, u.wake_s);
    }
  }
  return e;
}

void WidthTable::validate(const std::string& origin) const {
  if (widths.empty()) throw InputError(origin + ": no widths");
  const std::size_t g = widths.size();
  for (std::size_t i = 0; i < g; ++i) {
    const WidthEntry& w = widths[i];
    if (w.width != int(i + 1))
      throw InputError(origin + ": widths must be 1..G in order (entry " + std::to_string(i + 1) +
                       " is width " + std::to_string(w.width) + ")");
    if (!(w.latency_s > 0) || w.energy_j < 0 || w.avg_power_w < 0 || w.accuracy < 0 || w.accuracy > 1)
      throw InputError(origin + ": width " + std::to_string(w.width) +
                       ": need latency_s > 0, energy_j ≥ 0, avg_power_w ≥ 0, 0 ≤ accuracy ≤ 1");
  }
  if (reconfig_j.size() != g || reconfig_s.size() != g)
    throw InputError(origin + ": reconfiguration matrices must be " + std::to_string(g) + "×" + std::to_string(g));
  for (std::size_t i = 0; i < g; ++i)
    if (reconfig_j[i].size() != g || reconfig_s[i].size() != g)
      throw InputError(origin + ": reconfiguration matrices must be square");
}

WidthTable load_width_table(const std::string& path) {
  const CsvTable t = read_csv(path);
  const int cw = required_column(t, path, "width"), cc = required_column(t, path, "cycles"),
            cl = required_column(t, path, "latency_s"), ce = required_column(t, path, "energy_j"),
            cp = required_column(t, path, "avg_power_w"), ca = required_column(t, path, "accuracy");
  const int wj = t.column("widen_j"), wc = t.column("widen_cycles");
  WidthTable table;
  std::vector<double> widen_j, widen_s;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    WidthEntry e;
    e.width = int(count_cell(t, r, cw, path, "width", 1, 1 << 20));
    e.cycles = count_cell(t, r, cc, path, "cycles", 0, std::int64_t(1) << 62);
    e.latency_s = cell(t, r, cl, path, "latency_s", 0, true);
    e.energy_j = cell(t, r, ce, path, "energy_j", 0, true);
    e.avg_power_w = cell(t, r, cp, path, "avg_power_w", 0, true);
    e.accuracy = cell(t, r, ca, path, "accuracy", 0, true);
    const double clock = e.latency_s > 0 ? double(e.cycles) / e.latency_s : 0;
    widen_j.push_back(cell(t, r, wj, path, "widen_j", 0, false));
    const double cyc = cell(t, r, wc, path, "widen_cycles", 0, false);
    widen_s.push_back(clock > 0 ? cyc / clock : 0);
    table.widths.push_back(e);
  }
  const std::size_t g = table.widths.size();
  table.reconfig_j.assign(g, std::vector<double>(g, 0));
  table.reconfig_s.assign(g, std::vector<double>(g, 0));
  for (std::size_t a = 0; a < g; ++a)
    for (std::size_t b = a + 1; b < g; ++b)
      for (std::size_t k = a + 1; k <= b; ++k) {
        table.reconfig_j[a][b] += widen_j[k];
        table.reconfig_s[a][b] += widen_s[k];
      }
  table.validate(path);
  return table;
}

std::string width_table_csv(const WidthTable& t) {
  CsvTable c;
  c.columns = {"width", "cycles", "latency_s", "energy_j", "avg_power_w", "accuracy", "widen_j", "widen_cycles"};
  for (std::size_t i = 0; i < t.widths.size(); ++i) {
    const WidthEntry& w = t.widths[i];
    const double clock = double(w.cycles) / w.latency_s;
    const double wj = i == 0 ? 0 : t.reconfig_j[i - 1][i];
    const double ws = i == 0 ? 0 : t.reconfig_s[i - 1][i];
    c.rows.push_back({std::to_string(w.width), std::to_string(w.cycles), num(w.latency_s), num(w.energy_j),
                      num(w.avg_power_w), num(w.accuracy), num(wj), std::to_string(std::llround(ws * clock))});
  }
  return to_csv(c);
}

std::vector<Request> load_trace(const std::string& path) {
  const CsvTable t = read_csv(path);
  const int ct = required_column(t, path, "time_s"), cd = required_column(t, path, "deadline_s"),
            cp = required_column(t, path, "power_budget_w"), ca = required_column(t, path, "min_accuracy");
  const int ce = t.column("energy_budget_j");
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<Request> out;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    Request q;
    q.time_s = cell(t, r, ct, path, "time_s", 0, true);
    q.deadline_s = cell(t, r, cd, path, "deadline_s", inf, false);
    q.power_budget_w = cell(t, r, cp, path, "power_budget_w", inf, false);
    q.min_accuracy = cell(t, r, ca, path, "min_accuracy", 0, false);
    q.energy_budget_j = cell(t, r, ce, path, "energy_budget_j", std::numeric_limits<double>::quiet_NaN(), false);
    if (!out.empty() && q.time_s < out.back().time_s)
      throw InputError(path + ": row " + std::to_string(r + 2) + ": time_s decreases (requests must be in arrival order)");
    if (q.deadline_s <= 0 || q.power_budget_w <= 0)
      throw InputError(path + ": row " + std::to_string(r + 2) + ": deadline_s and power_budget_w must be positive");
    out.push_back(q);
  }
  return out;
}

Policy parse_policy(const std::string& text) {
  Policy p;
  if (text == "deadline") p.kind = PolicyKind::Deadline;
  else if (text == "deadline-greedy") {
    p.kind = PolicyKind::Deadline;
    p.lookahead = 1;
  }
  else if (text == "accuracy") p.kind = PolicyKind::Accuracy;
  else if (text == "energy") p.kind = PolicyKind::Energy;
  else if (text.rfind("fixed:", 0) == 0) {
    p.kind = PolicyKind::Fixed;
    char* end = nullptr;
    const long k = std::strtol(text.c_str() + 6, &end, 10);
    if (text.size() == 6 || *end || k < 1 || k > 64) throw InputError("--policy '" + text + "': fixed:K needs a width K ≥ 1");
    p.fixed_width = int(k);
  } else {
    throw InputError("--policy '" + text + "': expected fixed:K, deadline, deadline-greedy, accuracy or energy");
  }
  return p;
}

std::string policy_name(const Policy& p) {
  switch (p.kind) {
    case PolicyKind::Fixed: return "fixed:" + std::to_string(p.fixed_width);
    case PolicyKind::Deadline: return p.lookahead == 1 ? "deadline-greedy" : "deadline";
    case PolicyKind::Accuracy: return "accuracy";
    case PolicyKind::Energy: return "energy";
  }
  return "?";
}

namespace {

/// Widths a request may run at under the deadline policy: those within its power budget, or
/// the narrowest when none is (as the greedy fallback).
std::vector<int> power_ok_widths(const WidthTable& t, const Request& q) {
  std::vector<int> ok;
  for (int w = 1; w <= t.max_width(); ++w)
    if (t.at(w).avg_power_w <= q.power_budget_w) ok.push_back(w);
  if (ok.empty()) ok.push_back(1);
  return ok;
}

/// The fewest deadline misses among trace[first..last) when trace[first - 1] ran at `width`
/// finishing at `finish` with `misses` so far: dynamic programming over (width, misses) →
/// earliest finish (an earlier finish at the same width and miss count is never worse).
std::size_t fewest_misses(const WidthTable& t, const std::vector<Request>& trace, std::size_t first,
                          std::size_t last, int width, double finish, std::size_t misses) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::size_t g = std::size_t(t.max_width()), m_max = last - first + misses + 1;
  // best[w-1][m]: earliest finish with the last request at width w and m misses.
  std::vector<std::vector<double>> best(g, std::vector<double>(m_max, inf)), next = best;
  best[std::size_t(width - 1)][misses] = finish;
  for (std::size_t r = first; r < last; ++r) {
    const Request& q = trace[r];
    for (auto& row : next) std::fill(row.begin(), row.end(), inf);
    const std::vector<int> ok = power_ok_widths(t, q);
    for (std::size_t a = 0; a < g; ++a)
      for (std::size_t m = 0; m < m_max; ++m) {
        if (best[a][m] == inf) continue;
        const double start = std::max(q.time_s, best[a][m]);
        for (int w : ok) {
          const std::size_t b = std::size_t(w - 1);
          const double fin = start + t.reconfig_s[a][b] + t.at(w).latency_s;
          const std::size_t m2 = m + (fin - q.time_s > q.deadline_s);
          next[b][m2] = std::min(next[b][m2], fin);
        }
      }
    std::swap(best, next);
  }
  for (std::size_t m = 0; m < m_max; ++m)
    for (std::size_t a = 0; a < g; ++a)
      if (best[a][m] < inf) return m;
  return m_max;
}

/// One past the last request the deadline policy plans over when trace[i] starts at `start`
/// (Policy::lookahead).
std::size_t lookahead_end(const WidthTable& t, const std::vector<Request>& trace, std::size_t i, double start,
                          int lookahead) {
  double slowest = 0, slowest_reconfig = 0;
  for (int w = 1; w <= t.max_width(); ++w) slowest = std::max(slowest, t.at(w).latency_s);
  for (const auto& row : t.reconfig_s)
    for (double v : row) slowest_reconfig = std::max(slowest_reconfig, v);
  const double per_request = slowest + slowest_reconfig;
  double latest_finish = start + per_request;
  std::size_t end = i + 1;
  while (end < trace.size() && end - i < std::size_t(std::max(1, lookahead)) && trace[end].time_s < latest_finish) {
    latest_finish = std::max(latest_finish, trace[end].time_s) + per_request;
    ++end;
  }
  return end;
}

}  // namespace

std::vector<Decision> replay(const WidthTable& table, const std::vector<Request>& trace, const Policy& policy,
                             int initial_width, const IdlePower& idle) {
  table.validate("width table");
  const int g = table.max_width();
  if (initial_width < 1 || initial_width > g)
    throw InputError("initial width " + std::to_string(initial_width) + " outside 1.." + std::to_string(g));
  if (policy.kind == PolicyKind::Fixed && policy.fixed_width > g)
    throw InputError("policy fixed:" + std::to_string(policy.fixed_width) + ": the table has widths 1.." +
                     std::to_string(g));
  std::vector<Decision> out;
  int cur = initial_width;
  double busy_until = -std::numeric_limits<double>::infinity();
  double budget_left = policy.total_energy_budget_j;
  if (policy.kind == PolicyKind::Energy && std::isinf(policy.total_energy_budget_j))
    for (std::size_t i = 0; i < trace.size(); ++i)
      if (std::isnan(trace[i].energy_budget_j))
        throw InputError("policy energy needs a budget: request " + std::to_string(i) +
                         " has no energy_budget_j and no total budget was given (--energy-budget J)");

  for (std::size_t i = 0; i < trace.size(); ++i) {
    const Request& q = trace[i];
    // Idle before this request (the accelerator configured at width `cur`), and the wake latency
    // of what was power-gated in it.
    Decision idle_part;
    if (std::isfinite(busy_until) && q.time_s > busy_until) {
      idle_part.idle_s = q.time_s - busy_until;
      idle_part.idle_j = idle_energy(idle, idle_part.idle_s, cur, &idle_part);
    }
    const double start = std::max(q.time_s, busy_until) + idle_part.wake_s;
    // What width w would cost and achieve for this request, given the current configuration.
    auto evaluate = [&](int w) {
      const WidthEntry& e = table.at(w);
      Decision d = idle_part;
      d.width = w;
      d.start_s = start;
      d.reconfigured = w != cur;
      d.reconfig_j = table.reconfig_j[std::size_t(cur - 1)][std::size_t(w - 1)];
      d.finish_s = start + table.reconfig_s[std::size_t(cur - 1)][std::size_t(w - 1)] + e.latency_s;
      d.response_s = d.finish_s - q.time_s;
      d.energy_j = e.energy_j + d.reconfig_j;
      d.accuracy = e.accuracy;
      d.deadline_met = d.response_s <= q.deadline_s;
      d.power_ok = e.avg_power_w <= q.power_budget_w;
      d.accuracy_ok = e.accuracy >= q.min_accuracy;
      return d;
    };
    Decision pick;
    switch (policy.kind) {
      case PolicyKind::Fixed:
        pick = evaluate(policy.fixed_width);
        break;
      case PolicyKind::Deadline: {
        // The widest width of a plan that misses the fewest deadlines over the look-ahead
        // window; when even that plan misses this request's deadline, the fastest such width.
        const std::size_t end = lookahead_end(table, trace, i, start, policy.lookahead);
        std::size_t fewest = std::numeric_limits<std::size_t>::max();
        std::vector<std::pair<Decision, std::size_t>> options;
        for (int w : power_ok_widths(table, q)) {
          const Decision d = evaluate(w);
          const std::size_t m = fewest_misses(table, trace, i + 1, end, w, d.finish_s, !d.deadline_met);
          options.emplace_back(d, m);
          fewest = std::min(fewest, m);
        }
        bool found = false;
        for (auto it = options.rbegin(); it != options.rend() && !found; ++it)
          if (it->second == fewest && it->first.deadline_met) pick = it->first, found = true;
        for (auto it = options.begin(); it != options.end() && !found; ++it)
          if (it->second == fewest) pick = it->first, found = true;
        break;
      }
      case PolicyKind::Accuracy: {
        pick = evaluate(g);  // fallback: the most accurate width
        for (int w = 1; w <= g; ++w) {
          const Decision d = evaluate(w);
          if (d.accuracy_ok) {
            pick = d;
            break;
          }
        }
        break;
      }
      case PolicyKind::Energy: {
        double allowance = q.energy_budget_j;
        if (std::isnan(allowance)) allowance = budget_left / double(trace.size() - i);
        pick = evaluate(1);
        for (int w = g; w >= 1; --w) {
          const Decision d = evaluate(w);
          if (d.energy_j <= allowance && d.deadline_met && d.power_ok) {
            pick = d;
            break;
          }
        }
        break;
      }
    }
    budget_left -= pick.energy_j;
    busy_until = pick.finish_s;
    cur = pick.width;
    out.push_back(pick);
  }
  return out;
}

GovernorTotals totals(const std::vector<Decision>& d) {
  GovernorTotals t;
  t.requests = d.size();
  for (const auto& x : d) {
    t.energy_j += x.energy_j;
    t.reconfig_j += x.reconfig_j;
    t.reconfigurations += x.reconfigured;
    t.deadline_misses += !x.deadline_met;
    t.power_violations += !x.power_ok;
    t.accuracy_misses += !x.accuracy_ok;
    t.mean_accuracy += x.accuracy;
    if (x.correct >= 0) {
      t.measured_accuracy = (t.measured ? t.measured_accuracy : 0.0) + x.correct;
      ++t.measured;
    }
    t.idle_j += x.idle_j;
    t.idle_periods += x.idle_s > 0;
    t.gated_periods += x.units_gated > 0;
  }
  if (!d.empty()) t.mean_accuracy /= double(d.size());
  if (t.measured) t.measured_accuracy /= double(t.measured);
  return t;
}

std::string decisions_csv(const std::vector<Request>& trace, const std::vector<Decision>& d) {
  CsvTable c;
  c.columns = {"request", "time_s", "width", "start_s", "finish_s", "response_s", "deadline_s", "deadline_met",
               "energy_j", "reconfig_j", "power_ok", "accuracy", "accuracy_ok", "idle_s", "idle_j",
               "units_gated"};
  for (std::size_t i = 0; i < d.size(); ++i)
    c.rows.push_back({std::to_string(i), num(trace[i].time_s), std::to_string(d[i].width), num(d[i].start_s),
                      num(d[i].finish_s), num(d[i].response_s), num(trace[i].deadline_s),
                      d[i].deadline_met ? "1" : "0", num(d[i].energy_j), num(d[i].reconfig_j),
                      d[i].power_ok ? "1" : "0", num(d[i].accuracy), d[i].accuracy_ok ? "1" : "0",
                      num(d[i].idle_s), num(d[i].idle_j), std::to_string(d[i].units_gated)});
  // Measured on real images (the caller set `correct`): one more column.
  if (std::any_of(d.begin(), d.end(), [](const Decision& x) { return x.correct >= 0; })) {
    c.columns.push_back("correct");
    for (std::size_t i = 0; i < d.size(); ++i) c.rows[i].push_back(d[i].correct < 0 ? "" : std::to_string(d[i].correct));
  }
  return to_csv(c);
}

}  // namespace rcsim::sweep
