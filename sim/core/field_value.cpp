#include "core/field_value.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "core/errors.h"

namespace rcsim::field {

namespace {

[[noreturn]] void fail(const std::string& where, const std::string& why, const std::string& text) {
  throw ConfigError(where + ": " + why + " (got '" + text + "')");
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Splits "1.5 MiB" into the number ("1.5") and the unit ("MiB").
void split_unit(const std::string& text, std::string& number, std::string& unit) {
  std::size_t i = 0;
  while (i < text.size() && (is_digit(text[i]) || text[i] == '.' || text[i] == '+' || text[i] == '-' ||
                             ((text[i] == 'e' || text[i] == 'E') && i > 0 && i + 1 < text.size() &&
                              (is_digit(text[i + 1]) || text[i + 1] == '+' || text[i + 1] == '-'))))
    ++i;
  number = text.substr(0, i);
  std::size_t u = i;
  if (u < text.size() && text[u] == ' ') ++u;
  unit = text.substr(u);
}

}  // namespace

int parse_int(const std::string& text, const std::string& where) {
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (first != last && *first == '+' && first + 1 != last && is_digit(first[1])) ++first;  // from_chars rejects '+'
  long long v = 0;
  const auto r = std::from_chars(first, last, v);
  if (text.empty() || first == last || r.ptr != last) {
    if (r.ec == std::errc::result_out_of_range) fail(where, "integer out of range", text);
    fail(where, "expected an integer", text);
  }
  if (r.ec == std::errc::result_out_of_range || v < std::numeric_limits<int>::min() ||
      v > std::numeric_limits<int>::max())
    fail(where, "integer out of range", text);
  return static_cast<int>(v);
}

double parse_number(const std::string& text, const std::string& where) {
  // strtod also reads hex floats, "nan" and "inf": accept decimal digits only, then check.
  if (text.empty() || text.find_first_not_of("0123456789+-.eE") != std::string::npos)
    fail(where, "expected a number", text);
  const char* first = text.data() + (text[0] == '+' ? 1 : 0);
  const char* last = text.data() + text.size();
  if (first != last && (*first == '+' || *first == '-') && text[0] == '+') fail(where, "expected a number", text);
  double v = 0;
  const auto r = std::from_chars(first, last, v);
  if (first == last || r.ptr != last) fail(where, "expected a number", text);
  if (r.ec == std::errc::result_out_of_range || !std::isfinite(v)) fail(where, "number out of range", text);
  return v;
}

std::int64_t parse_byte_size(const std::string& text, const std::string& where) {
  static const char* const kForms = "expected a byte size such as 65536, 64K, 128KiB or 1MiB";
  std::string number, unit;
  split_unit(text, number, unit);
  if (number.empty()) fail(where, kForms, text);
  if (number[0] == '-') fail(where, "must not be negative", text);
  std::int64_t scale = 1;
  if (unit.empty() || unit == "B") scale = 1;
  else if (unit == "K" || unit == "Ki" || unit == "KiB") scale = std::int64_t(1) << 10;
  else if (unit == "M" || unit == "Mi" || unit == "MiB") scale = std::int64_t(1) << 20;
  else if (unit == "G" || unit == "Gi" || unit == "GiB") scale = std::int64_t(1) << 30;
  else if (unit == "KB" || unit == "kB" || unit == "MB" || unit == "GB")
    fail(where, "ambiguous unit '" + unit + "' (use KiB/MiB/GiB = 1024-based, or a plain byte count)", text);
  else fail(where, kForms, text);

  const char* first = number.data() + (number[0] == '+' ? 1 : 0);
  const char* last = number.data() + number.size();
  if (first == last || !(is_digit(*first) || *first == '.')) fail(where, kForms, text);
  if (number.find_first_of(".eE") == std::string::npos) {  // an integer: exact
    std::int64_t v = 0;
    const auto r = std::from_chars(first, last, v);
    if (first == last || r.ptr != last) fail(where, kForms, text);
    if (r.ec == std::errc::result_out_of_range || v > std::numeric_limits<std::int64_t>::max() / scale)
      fail(where, "too large for a byte count", text);
    return v * scale;
  }
  double v = 0;
  const auto r = std::from_chars(first, last, v);
  if (first == last || r.ptr != last) fail(where, kForms, text);
  const double bytes = v * double(scale);
  // Doubles are exact integers up to 2^53; beyond that "1.5e20" could not mean one byte count.
  if (r.ec == std::errc::result_out_of_range || !std::isfinite(bytes) || bytes > 9007199254740992.0)
    fail(where, "too large for a byte count", text);
  if (bytes != std::floor(bytes)) fail(where, "not a whole number of bytes", text);
  return static_cast<std::int64_t>(bytes);
}

std::size_t parse_choice(const std::string& text, const std::vector<std::string>& choices,
                         const std::string& where) {
  for (std::size_t i = 0; i < choices.size(); ++i)
    if (text == choices[i]) return i;
  throw ConfigError(where + ": '" + text + "' is not one of " + join_choices(choices));
}

std::string format_number(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e18) return std::to_string(static_cast<long long>(v));
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string format_byte_size(std::int64_t bytes) {
  static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  std::int64_t v = bytes;
  while (u < 4 && v != 0 && v % 1024 == 0) v /= 1024, ++u;
  return std::to_string(v) + " " + units[u];
}

std::string join_choices(const std::vector<std::string>& choices, const char* separator) {
  std::string all;
  for (const auto& c : choices) all += (all.empty() ? "" : separator) + c;
  return all;
}

}  // namespace rcsim::field
