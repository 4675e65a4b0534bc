#include "sweep/point_label.h"

#include <set>

#include "core/field_value.h"
#include "sweep/sweep_spec.h"

namespace rcsim::sweep {

namespace {

bool is_axis(const std::string& name) {
  if (name.rfind("set.", 0) == 0) return true;
  for (const auto& a : known_axes())
    if (name == a.name) return true;
  return false;
}

const std::string& cell(const CsvTable& t, std::size_t r, const std::string& col) {
  static const std::string empty;
  const int c = t.column(col);
  return c < 0 ? empty : t.rows[r][std::size_t(c)];
}

std::string bytes_text(const std::string& v) {
  try {
    std::string s = field::format_byte_size(field::parse_byte_size(v, ""));
    const auto sp = s.find(' ');
    if (sp != std::string::npos) s.erase(sp, 1);  // "128 KiB" → "128KiB": one token per axis
    return s;
  } catch (const std::exception&) {
    return v;
  }
}

}  // namespace

std::vector<std::string> varying_axes(const CsvTable& t, const std::vector<std::size_t>& rows) {
  std::vector<std::string> out;
  bool array_added = false;
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    const std::string& name = t.columns[c];
    if (!is_axis(name)) continue;
    std::set<std::string> values;
    for (std::size_t r : rows)
      if (!t.rows[r][c].empty()) values.insert(t.rows[r][c]);
    if (values.size() < 2) continue;
    if (name == "rows" || name == "cols") {
      if (!array_added) out.push_back("array");
      array_added = true;
      continue;
    }
    out.push_back(name);
  }
  return out;
}

std::string axis_text(const CsvTable& t, std::size_t r, const std::string& a) {
  if (a == "array") return cell(t, r, "rows") + "x" + cell(t, r, "cols");
  const std::string& v = cell(t, r, a);
  if (v.empty()) return "";
  if (a.size() > 6 && a.compare(a.size() - 6, 6, "_bytes") == 0)
    return (a == "wsram_bytes" ? "" : a.substr(0, a.size() - 6) + "=") + bytes_text(v);
  if (a == "width") return "k=" + v;
  if (a == "precision") return "int" + v;
  if (a == "dataflow" || a == "tech" || a == "network" || a == "timing") return v;
  return a + "=" + v;
}

std::string point_label(const CsvTable& t, std::size_t r, const std::vector<std::string>& axes) {
  std::string label;
  for (const auto& a : axes) {
    const std::string part = axis_text(t, r, a);
    if (!part.empty()) label += (label.empty() ? "" : " ") + part;
  }
  return label;
}

}  // namespace rcsim::sweep
