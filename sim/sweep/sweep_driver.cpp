#include "sweep/sweep_driver.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/errors.h"
#include "sweep/journal.h"
#include "sweep/pareto.h"
#include "sweep/sweep_runner.h"

namespace rcsim::sweep {

namespace {

bool file_exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

const std::string& value_of(const Params& row, const std::string& key) {
  static const std::string empty;
  for (const auto& kv : row)
    if (kv.first == key) return kv.second;
  return empty;
}

Params without(const Params& row, const std::string& key) {
  Params out;
  for (const auto& kv : row)
    if (kv.first != key) out.push_back(kv);
  return out;
}

std::vector<Params> table_rows(const CsvTable& t, const std::string& origin) {
  // A sweep whose every point failed writes a table without rows (header "pareto" only): resuming
  // from it must work, not fail as "not a sweep result".
  if (t.rows.empty()) return {};
  if (t.column("point_id") < 0) throw InputError(origin + ": not a sweep result (no point_id column)");
  // result_table sorts by point_index: a cell that is not an index is the user's file, not a
  // crash (std::stol threw out of the sort; found by fuzz_sweep_results).
  const int ci = t.column("point_index");
  std::vector<Params> rows;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    if (ci >= 0) {
      const std::string& s = t.rows[r][std::size_t(ci)];
      if (!s.empty() && (s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos))
        throw InputError(origin + ": row " + std::to_string(r + 1) + ": point_index '" + s +
                         "' is not a point index");
    }
    rows.push_back(without(t.row_params(r), "pareto"));
  }
  return rows;
}

}  // namespace

CsvTable result_table(std::vector<Params> rows, const std::vector<Objective>& objectives) {
  auto index_of = [](const Params& r) {
    const std::string& s = value_of(r, "point_index");
    return s.empty() ? -1L : std::stol(s);
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const Params& a, const Params& b) {
    const long ia = index_of(a), ib = index_of(b);
    if (ia != ib) return ia < ib;
    return value_of(a, "point_id") < value_of(b, "point_id");
  });
  std::vector<std::string> first = {"point_id", "point_index", "status"};
  for (const auto& a : known_axes()) first.push_back(a.name);
  // set.* axes come right after the known ones, in name order.
  std::set<std::string> sets;
  for (const auto& r : rows)
    for (const auto& kv : r)
      if (kv.first.rfind("set.", 0) == 0) sets.insert(kv.first);
  first.insert(first.end(), sets.begin(), sets.end());
  CsvTable t = make_table(rows, first, {"error"});
  mark_pareto(t, objectives);
  return t;
}

CsvTable merge_tables(const std::vector<CsvTable>& inputs, const std::vector<Objective>& objectives) {
  std::map<std::string, std::size_t> slot;
  std::vector<Params> rows;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    for (auto& r : table_rows(inputs[i], "input " + std::to_string(i + 1))) {
      const std::string id = value_of(r, "point_id");
      auto it = slot.find(id);
      if (it == slot.end()) {
        slot.emplace(id, rows.size());
        rows.push_back(std::move(r));
      } else if (value_of(rows[it->second], "status") != "ok" && value_of(r, "status") == "ok") {
        rows[it->second] = std::move(r);
      }
    }
  return result_table(std::move(rows), objectives);
}

SweepResult run_sweep(const SweepSpec& spec, const Evaluator& eval, const SweepOptions& opts) {
  if (opts.out.empty()) throw InputError("--out: no output file given");
  const std::vector<std::size_t> mine = shard_indices(spec.points.size(), opts.shard);
  std::map<std::string, std::size_t> wanted;  // id → enumeration index
  for (std::size_t i : mine) wanted.emplace(spec.points[i].id, i);

  // Finished rows: the previous OUT, then the journal (a row of a later run wins).
  std::map<std::string, Params> done;
  if (file_exists(opts.out))
    for (auto& r : table_rows(read_csv(opts.out), opts.out)) done[value_of(r, "point_id")] = std::move(r);
  Journal journal(opts.out + ".journal");
  for (const auto& r : journal.existing()) done[value_of(r, "point_id")] = r;
  // Rows of points no longer in this spec/shard are dropped from OUT: OUT describes this sweep.
  SweepResult res;
  for (auto it = done.begin(); it != done.end();) {
    if (wanted.count(it->first)) {
      ++it;
    } else {
      ++res.dropped;
      it = done.erase(it);
    }
  }

  // Resuming with other evaluation options would mix results of two configurations in one table.
  for (const auto& [id, r] : done)
    for (const auto& [column, want] : opts.expect) {
      const std::string& had = value_of(r, column);
      if (!had.empty() && had != want)
        throw InputError(opts.out + ": finished rows were evaluated with " + column + " " + had + ", this run asks for " +
                         column + " " + want + " (use another --out, or the same options to resume)");
    }

  res.points = mine.size();
  res.already_done = done.size();
  std::vector<std::pair<std::size_t, const DesignPoint*>> todo;
  for (std::size_t i : mine)
    if (!done.count(spec.points[i].id)) todo.emplace_back(i, &spec.points[i]);

  if (!todo.empty()) {
    const RunSummary s = evaluate_points(todo, eval, journal, {opts.jobs, opts.progress});
    res.evaluated = s.evaluated;
    res.failures = s.failures;
    res.first_failure = s.first_failure;
    res.seconds = s.seconds;
  }
  // Re-read the journal: it now holds this run's rows too (the single source of truth).
  for (const auto& r : journal.read_all()) {
    const std::string id = value_of(r, "point_id");
    if (wanted.count(id)) done[id] = r;
  }
  std::vector<Params> rows;
  for (auto& [id, r] : done) {
    if (value_of(r, "status") == "error") ++res.errors;
    rows.push_back(std::move(r));
  }
  write_file_atomic(opts.out, to_csv(result_table(std::move(rows), spec.objectives)));
  ::unlink((opts.out + ".journal").c_str());
  return res;
}

}  // namespace rcsim::sweep
