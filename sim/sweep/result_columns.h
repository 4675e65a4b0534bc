#pragma once
// The columns of a sweep result CSV, declared once: name, unit and meaning. The point evaluator,
// the result table's column order, `rcsim info --fields sweep` (docs/outputs.md) and the tests
// that check the evaluator writes exactly these columns all read this table; the Python module
// derives its column names from it too.
//
// Naming rule of every rcsim output (docs/outputs.md): SI base units, the unit as a suffix
// (`_j`, `_s`, `_w`, `_hz`, `_bytes`, `_js`, `_mm2`); counts and dimensionless fractions (0..1:
// `utilization`, `accuracy`) carry no suffix. A nested JSON key `a.b` of `rcsim run --json` is
// the CSV column `a.b`: the same name for the same quantity in every command.
#include <string>
#include <vector>

namespace rcsim::sweep {

enum class ColumnGroup {
  Identity,  ///< point_id, point_index, status
  Axis,      ///< a design axis (sweep_spec.h: known_axes), set.<field> too
  Metric,    ///< measured by the evaluator
  Trailer,   ///< pareto, error (last)
};

struct ResultColumn {
  const char* name;  ///< exact name, or a pattern with one <placeholder> (count.<counter>)
  const char* unit;  ///< "" for names, counts and fractions
  ColumnGroup group;
  const char* meaning;
};

/// Every column in CSV order (axes as the one pattern row `<axis>`; see known_axes()).
const std::vector<ResultColumn>& result_columns();

/// Whether `name` is a declared column or an instance of a declared pattern
/// (count.<counter> → count.macs, energy_by_component_j.<component> → …pe_array, set.<field>).
bool is_declared_column(const std::string& name);

/// The metric columns in the evaluator's order (for result_table's column order).
std::vector<std::string> metric_column_order();

}  // namespace rcsim::sweep
