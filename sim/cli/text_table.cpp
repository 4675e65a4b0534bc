#include "cli/text_table.h"

#include <algorithm>
#include <sstream>

namespace rcsim::cli {

namespace {

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

}  // namespace

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

}  // namespace rcsim::cli
