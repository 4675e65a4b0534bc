#pragma once
// The Pareto flag of a sweep's rows: a row is on the front if no other row of the same group
// is at least as good in every objective and strictly better in one.
#include <string>
#include <vector>

#include "sweep/csv_table.h"
#include "sweep/sweep_spec.h"

namespace rcsim::sweep {

/// Indices of non-dominated points; values[i][j] = objective j of point i, all to be MINIMIZED.
std::vector<bool> pareto_front(const std::vector<std::vector<double>>& values);

/// Sets column "pareto" of `t` to 1/0 for rows with status ok and every objective column
/// numeric, "" otherwise. Fronts are computed per value of `group_by` (different networks
/// answer different tasks; their accuracies are not comparable). Objectives whose column is
/// absent from the table, or has no number in a group, are skipped (for that group); with none
/// left the column is left empty.
void mark_pareto(CsvTable& t, const std::vector<Objective>& objectives,
                 const std::string& group_by = "network");

}  // namespace rcsim::sweep
