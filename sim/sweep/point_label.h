#pragma once
// Short labels of sweep rows by what distinguishes them: only the design axes whose value varies
// among the rows shown, written compactly (`32x32 os 128KiB`, `k=2 16x16`), for plot labels and
// the `--best` report.
#include <string>
#include <vector>

#include "sweep/csv_table.h"

namespace rcsim::sweep {

/// Design-axis columns of `t` (known axes and set.*) with more than one distinct non-empty value
/// among `rows`, in column order. rows and cols count as one "array" axis when either varies.
std::vector<std::string> varying_axes(const CsvTable& t, const std::vector<std::size_t>& rows);

/// Label of row r over `axes` (from varying_axes): rows×cols as `RxC`, byte sizes with a binary
/// unit (`128KiB`), width as `k=2`, precision as `int8`, choices (dataflow, tech, network) bare,
/// anything else as `name=value`; parts joined by spaces. "" when `axes` is empty.
std::string point_label(const CsvTable& t, std::size_t r, const std::vector<std::string>& axes);

/// One axis of row r as point_label writes it ("array" → `RxC`, bytes → `128KiB`, width → `k=2`).
std::string axis_text(const CsvTable& t, std::size_t r, const std::string& axis);

}  // namespace rcsim::sweep
