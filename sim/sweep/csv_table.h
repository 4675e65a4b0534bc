#pragma once
// A CSV table of strings (RFC 4180 quoting), the sweep's result format. Written atomically
// (temporary file, fsync, rename) so a reader never sees half a table.
#include <string>
#include <vector>

#include "host/output_file.h"
#include "sweep/design_point.h"

namespace rcsim::sweep {

struct CsvTable {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  ///< each rows[i].size() == columns.size()

  /// Column index, or -1.
  int column(const std::string& name) const;
  /// Row r as name → value pairs, skipping empty cells.
  Params row_params(std::size_t r) const;
};

/// Parses CSV text; a row with the wrong number of fields is an InputError naming origin:line.
CsvTable parse_csv(const std::string& text, const std::string& origin);
CsvTable read_csv(const std::string& path);
std::string to_csv(const CsvTable& t);
/// Writes `path` via `path.tmp` + fsync + rename (host/output_file.h).
using rcsim::write_file_atomic;

/// Builds a table from rows of name → value pairs: columns in first-appearance order, except
/// that `first` columns (those present) lead and `last` columns (those present) trail.
CsvTable make_table(const std::vector<Params>& rows, const std::vector<std::string>& first,
                    const std::vector<std::string>& last);

}  // namespace rcsim::sweep
