#pragma once
// The answer to "which design point is best under these constraints?": rows of a sweep result
// meeting every constraint, ranked by objectives (lexicographic: the first decides, later ones
// break ties), with the reasons — objective values, each constraint and the winner's value, the
// runner-up and its margin, and how many points each constraint rejected. One answer per network
// (different networks answer different tasks). `rcsim sweep --best` and `rcsim best CSV`.
#include <string>
#include <vector>

#include "sweep/csv_table.h"
#include "sweep/row_filter.h"
#include "sweep/sweep_spec.h"

namespace rcsim::sweep {

struct BestQuery {
  std::vector<Objective> objectives;  ///< default (empty): energy_j:min
  std::vector<Condition> where;       ///< all must hold
  int top = 1;                        ///< winners to list per network (the runner-up is printed too)
  std::string group_by = "network";
};

struct RankedRow {
  std::size_t row = 0;
  std::vector<double> objective_values;
};

/// Rows meeting the constraints with numeric objectives, best first, per value of group_by.
/// InputError when an objective or constraint names a column `t` lacks, or an objective column
/// is not numeric in any row.
std::vector<std::pair<std::string, std::vector<RankedRow>>> rank_rows(const CsvTable& t, const BestQuery& q);

/// Human-readable report of the winners (see the header comment); never empty.
std::string best_report(const CsvTable& t, const BestQuery& q);

}  // namespace rcsim::sweep
