#pragma once
// The whole `rcsim sweep` / `rcsim merge` flow, as library calls the CLI and the tests share.
//
// Files: OUT (the result CSV, written atomically at the end of every run) and OUT.journal (one
// JSON line per finished point, appended durably while the sweep runs). A run first collects
// the finished rows of both — so a rerun after a kill, or after a complete run, evaluates only
// points that have no row yet — then evaluates the rest, rewrites OUT sorted by point_index with
// a fresh pareto column, and deletes the journal.
#include <string>
#include <vector>

#include "sweep/csv_table.h"
#include "sweep/evaluator.h"
#include "sweep/shard.h"
#include "sweep/sweep_spec.h"

namespace rcsim::sweep {

struct SweepOptions {
  std::string out;       ///< result CSV path
  Shard shard;           ///< this process's slice
  int jobs = 1;          ///< worker threads
  bool progress = false; ///< progress line on stderr
  /// Evaluation options finished rows must have been made with (column → value, e.g. mode →
  /// per-cycle): a row of OUT / OUT.journal that has the column with another value makes the run an
  /// InputError instead of counting it as "already done".
  Params expect;
};

struct SweepResult {
  std::size_t points = 0;        ///< points in this shard
  std::size_t already_done = 0;  ///< found in OUT / OUT.journal
  std::size_t dropped = 0;       ///< rows in OUT / OUT.journal of points not in this sweep/shard
  std::size_t evaluated = 0;     ///< evaluated by this run (ok + error)
  std::size_t errors = 0;        ///< rows with status "error" among all rows of OUT
  std::size_t failures = 0;      ///< not evaluated (retried by the next run)
  std::string first_failure;
  double seconds = 0;            ///< wall time of the evaluation phase
};

SweepResult run_sweep(const SweepSpec& spec, const Evaluator& eval, const SweepOptions& opts);

/// Rows of several result CSVs → one table: rows deduplicated by point_id (an ok row wins over
/// an error row, else the first), sorted by point_index then point_id, pareto recomputed.
CsvTable merge_tables(const std::vector<CsvTable>& inputs, const std::vector<Objective>& objectives);

/// Canonical result table from rows (column order, sort, pareto): used by sweep and merge.
CsvTable result_table(std::vector<Params> rows, const std::vector<Objective>& objectives);

}  // namespace rcsim::sweep
