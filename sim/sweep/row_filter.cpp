#include "sweep/row_filter.h"

#include <cmath>
#include <cstdlib>

#include "core/errors.h"
#include "core/field_value.h"
#include "core/yaml_util.h"

namespace rcsim::sweep {

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

Condition parse_one(const std::string& raw) {
  const std::string text = trim(raw);
  // The first operator character splits column and value; two-character operators first.
  const auto at = text.find_first_of("<>=!");
  if (at == std::string::npos || at == 0)
    throw InputError("--where '" + text +
                     "': expected COLUMN OP VALUE with OP one of < <= > >= = == != (e.g. latency_s<30e-6)");
  Condition c;
  c.text = text;
  c.column = trim(text.substr(0, at));
  const std::string rest = text.substr(at);
  std::size_t len = 1;
  if (rest.rfind("<=", 0) == 0)
    c.op = CompareOp::LessEqual, len = 2;
  else if (rest.rfind(">=", 0) == 0)
    c.op = CompareOp::GreaterEqual, len = 2;
  else if (rest.rfind("==", 0) == 0)
    c.op = CompareOp::Equal, len = 2;
  else if (rest.rfind("!=", 0) == 0)
    c.op = CompareOp::NotEqual, len = 2;
  else if (rest[0] == '<')
    c.op = CompareOp::Less;
  else if (rest[0] == '>')
    c.op = CompareOp::Greater;
  else if (rest[0] == '=')
    c.op = CompareOp::Equal;
  else
    throw InputError("--where '" + text + "': '!' must be followed by '=' (!=)");
  c.value = trim(rest.substr(len));
  if (c.value.find_first_of("<>=!") == 0)
    throw InputError("--where '" + text + "': expected COLUMN OP VALUE with OP one of < <= > >= = == !=");
  const bool ordering = c.op != CompareOp::Equal && c.op != CompareOp::NotEqual;
  if (ordering && std::isnan(cell_number(c.value)))
    throw InputError("--where '" + text + "': '" + c.value + "' is not a number (a byte size such as 128KiB is)");
  return c;
}

}  // namespace

double cell_number(const std::string& cell) {
  if (cell.empty()) return std::nan("");
  char* end = nullptr;
  const double v = std::strtod(cell.c_str(), &end);
  if (*end == '\0' && std::isfinite(v)) return v;
  try {
    return double(field::parse_byte_size(cell, ""));
  } catch (const std::exception&) {
    return std::nan("");
  }
}

std::vector<Condition> parse_conditions(const std::string& text) {
  std::vector<Condition> out;
  std::size_t start = 0;
  while (true) {
    const auto comma = text.find(',', start);
    const std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (trim(part).empty()) throw InputError("--where '" + text + "': empty constraint");
    out.push_back(parse_one(part));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

bool satisfies(const std::string& cell, const Condition& c) {
  const double a = cell_number(cell), b = cell_number(c.value);
  const bool numeric = !std::isnan(a) && !std::isnan(b);
  switch (c.op) {
    case CompareOp::Equal: return numeric ? a == b : cell == c.value;
    case CompareOp::NotEqual: return numeric ? a != b : cell != c.value;
    case CompareOp::Less: return numeric && a < b;
    case CompareOp::LessEqual: return numeric && a <= b;
    case CompareOp::Greater: return numeric && a > b;
    case CompareOp::GreaterEqual: return numeric && a >= b;
  }
  return false;
}

std::vector<std::size_t> select_rows(const CsvTable& t, const std::vector<Condition>& where) {
  std::vector<int> cols;
  for (const auto& c : where) {
    const int col = t.column(c.column);
    if (col < 0) {
      std::string msg = "--where '" + c.text + "': no column '" + c.column + "'";
      const std::string hint = yaml::did_you_mean(c.column, t.columns);
      if (!hint.empty()) msg += " (did you mean '" + hint + "'?)";
      throw InputError(msg);
    }
    cols.push_back(col);
  }
  const int status = t.column("status");
  std::vector<std::size_t> out;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    if (status >= 0 && t.rows[r][std::size_t(status)] != "ok") continue;
    bool keep = true;
    for (std::size_t i = 0; i < where.size() && keep; ++i) keep = satisfies(t.rows[r][std::size_t(cols[i])], where[i]);
    if (keep) out.push_back(r);
  }
  return out;
}

std::vector<std::size_t> filter_rows(const CsvTable& t, const std::vector<std::string>& where) {
  std::vector<Condition> conds;
  for (const auto& w : where)
    for (auto& c : parse_conditions(w)) conds.push_back(std::move(c));
  return select_rows(t, conds);
}

}  // namespace rcsim::sweep
