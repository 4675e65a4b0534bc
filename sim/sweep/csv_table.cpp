#include "sweep/csv_table.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include "core/errors.h"
#include "core/input_file.h"

namespace rcsim::sweep {

int CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return int(i);
  return -1;
}

Params CsvTable::row_params(std::size_t r) const {
  Params p;
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (!rows[r][c].empty()) p.emplace_back(columns[c], rows[r][c]);
  return p;
}

CsvTable parse_csv(const std::string& text, const std::string& origin) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> rec;
  std::string field;
  bool quoted = false, field_started = false;
  std::size_t line = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
    } else if (c == '"' && !field_started) {
      quoted = field_started = true;
    } else if (c == ',') {
      rec.push_back(std::move(field));
      field.clear();
      field_started = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      rec.push_back(std::move(field));
      field.clear();
      field_started = false;
      records.push_back(std::move(rec));
      rec.clear();
      ++line;
    } else {
      field += c;
      field_started = true;
    }
  }
  if (quoted) throw InputError(origin + ":" + std::to_string(line) + ": unterminated quoted field");
  if (field_started || !rec.empty()) {
    rec.push_back(std::move(field));
    records.push_back(std::move(rec));
  }
  CsvTable t;
  if (records.empty()) return t;
  t.columns = std::move(records[0]);
  for (std::size_t r = 1; r < records.size(); ++r) {
    if (records[r].size() == 1 && records[r][0].empty()) continue;  // blank line
    if (records[r].size() != t.columns.size())
      throw InputError(origin + ": row " + std::to_string(r + 1) + " has " +
                       std::to_string(records[r].size()) + " fields, the header has " +
                       std::to_string(t.columns.size()));
    t.rows.push_back(std::move(records[r]));
  }
  return t;
}

CsvTable read_csv(const std::string& path) {
  return parse_csv(read_input_file(path, InputKind::Data, kMaxTableFileBytes), path);
}

namespace {
std::string quote(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}
}  // namespace

std::string to_csv(const CsvTable& t) {
  std::string out;
  auto line = [&out](const std::vector<std::string>& v) {
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + quote(v[i]);
    out += '\n';
  };
  line(t.columns);
  for (const auto& r : t.rows) line(r);
  return out;
}

CsvTable make_table(const std::vector<Params>& rows, const std::vector<std::string>& first,
                    const std::vector<std::string>& last) {
  std::vector<std::string> seen;
  std::set<std::string> seen_set;
  for (const auto& r : rows)
    for (const auto& kv : r)
      if (seen_set.insert(kv.first).second) seen.push_back(kv.first);
  CsvTable t;
  for (const auto& f : first)
    if (seen_set.count(f)) t.columns.push_back(f);
  for (const auto& s : seen)
    if (std::find(first.begin(), first.end(), s) == first.end() &&
        std::find(last.begin(), last.end(), s) == last.end())
      t.columns.push_back(s);
  for (const auto& l : last)
    if (seen_set.count(l)) t.columns.push_back(l);
  for (const auto& r : rows) {
    std::vector<std::string> cells(t.columns.size());
    for (const auto& kv : r) cells[std::size_t(t.column(kv.first))] = kv.second;
    t.rows.push_back(std::move(cells));
  }
  return t;
}

}  // namespace rcsim::sweep
