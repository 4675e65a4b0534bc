#pragma once
// Row constraints of sweep results: `latency_s<30e-6`, `wsram_bytes<=128KiB`, `dataflow=os`,
// `network!=mnist_lenet`. Used by `rcsim plot --where`, `rcsim best --where`, `rcsim sweep --best`
// and the spec's `where:` list; several constraints must all hold.
#include <string>
#include <vector>

#include "sweep/csv_table.h"

namespace rcsim::sweep {

enum class CompareOp { Less, LessEqual, Greater, GreaterEqual, Equal, NotEqual };

/// One constraint COLUMN OP VALUE. `=` and `==` are the same test.
struct Condition {
  std::string column;
  CompareOp op = CompareOp::Equal;
  std::string value;  ///< as written
  std::string text;   ///< the whole constraint as written, for messages
};

/// Parses one constraint, or several joined by ',' (InputError naming the text otherwise).
/// Operators: < <= > >= = == !=.
std::vector<Condition> parse_conditions(const std::string& text);

/// True when cell satisfies c. Ordering operators compare numbers (a VALUE may carry a byte unit
/// such as 128KiB); an empty or non-numeric cell fails them. = and != compare numbers numerically
/// when both sides are numbers (30e-6 == 0.00003), else as text.
bool satisfies(const std::string& cell, const Condition& c);

/// Parsed text of a number cell (NaN for empty or non-numeric), also used by plots and rankings.
double cell_number(const std::string& cell);

/// Rows of `t` with status ok (when there is a status column) satisfying every condition.
/// InputError for a condition naming a column `t` lacks (with the closest column name).
std::vector<std::size_t> select_rows(const CsvTable& t, const std::vector<Condition>& where);
/// Same, parsing each string with parse_conditions.
std::vector<std::size_t> filter_rows(const CsvTable& t, const std::vector<std::string>& where);

}  // namespace rcsim::sweep
