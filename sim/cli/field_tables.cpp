#include "cli/field_tables.h"

#include <algorithm>
#include <sstream>
#include <vector>

#include "core/arch_fields.h"
#include "core/field_value.h"
#include "core/layer_counters.h"
#include "energy/counter_charges.h"

namespace rcsim::cli {

namespace {

using Row = std::vector<std::string>;

std::string escape_markdown(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|' || c == '<') out += '\\';  // a cell separator; the start of an HTML tag
    out += c;
  }
  return out;
}

std::string code(const std::string& s) { return s.empty() ? s : "`" + s + "`"; }

// Columns padded to their widest cell (UTF-8 aware: "≥" is one column); the last is not padded.
std::size_t display_width(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string render(const Row& header, const std::vector<Row>& rows, bool markdown,
                   const std::vector<bool>& code_columns) {
  std::ostringstream o;
  if (markdown) {
    auto line = [&](const Row& r, bool is_header) {
      o << "|";
      for (std::size_t i = 0; i < r.size(); ++i)
        o << " " << escape_markdown(!is_header && code_columns[i] ? code(r[i]) : r[i]) << " |";
      o << "\n";
    };
    line(header, true);
    o << "|";
    for (std::size_t i = 0; i < header.size(); ++i) o << "---|";
    o << "\n";
    for (const auto& r : rows) line(r, false);
    return o.str();
  }
  std::vector<std::size_t> width(header.size(), 0);
  auto measure = [&](const Row& r) {
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], display_width(r[i]));
  };
  measure(header);
  for (const auto& r : rows) measure(r);
  auto line = [&](const Row& r) {
    std::string s;
    for (std::size_t i = 0; i < r.size(); ++i) {
      s += r[i];
      if (i + 1 < r.size()) s += std::string(width[i] - display_width(r[i]) + 2, ' ');
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    o << s << "\n";
  };
  line(header);
  for (const auto& r : rows) line(r);
  return o.str();
}

std::string energy_component(const char* counter) {
  for (const auto& r : energy::counter_charges())
    if (std::string(r.counter) == counter) {
      const std::string c = r.component;
      return c == "-" ? "not charged" : c == "(all)" ? "all (leakage time)" : c;
    }
  return "(no row)";
}

}  // namespace

std::string counter_table(bool markdown) {
  std::vector<Row> rows;
  for (const auto& d : counter_descriptions())
    rows.push_back({d.name, d.kind == CounterKind::PerBank ? "per bank" : "scalar", d.unit,
                    energy_component(d.name), d.description});
  return render({"counter", "kind", "unit", "energy", "description"}, rows, markdown,
                {true, false, false, false, false});
}

std::string arch_field_table(bool markdown) {
  std::vector<Row> rows;
  for (const auto& f : arch_fields()) {
    std::vector<std::string> valid;
    if (!f.choices.empty()) valid.push_back(field::join_choices(f.choices));
    if (!f.rule.describe().empty()) valid.push_back(f.rule.describe());
    for (const auto& r : arch_cross_rules())
      if (std::string(r.path) == f.path) valid.push_back(r.rule);
    std::string v;
    for (const auto& s : valid) v += (v.empty() ? "" : "; ") + s;
    rows.push_back({f.path, to_string(f.type), f.unit, f.default_text(), v, f.description});
  }
  return render({"field", "type", "unit", "default", "valid", "description"}, rows, markdown,
                {true, false, false, false, false, false});
}

}  // namespace rcsim::cli
