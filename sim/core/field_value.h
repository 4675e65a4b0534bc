#pragma once
// Text → typed value for configuration fields (architecture YAML, `--set path=value`, sweep axes),
// and back to one canonical text. Strict: the whole text must be the value; anything else is a
// one-line ConfigError "<where>: <why> (got '<text>')", where `where` names file and field.
// No value reaches a narrowing cast unchecked (1e30, nan, inf, overflow are errors, not UB).
#include <cstdint>
#include <string>
#include <vector>

namespace rcsim::field {

/// A decimal integer that fits an int: "16", "-3", "+5", "016" (= 16). No hex, no exponent.
int parse_int(const std::string& text, const std::string& where);
/// A finite decimal number: "16", "1e9", "1.0e9", "0.5". nan and inf are errors.
double parse_number(const std::string& text, const std::string& where);
/// A byte count ≥ 0: "65536", "64K", "64KiB", "1M", "1MiB", "2G", "2GiB", "0.5KiB" (= 512), an
/// optional space between number and unit. K/M/G are binary (1024-based) like KiB/MiB/GiB;
/// "KB"/"MB"/"GB" are rejected as ambiguous. The result must be a whole number of bytes that
/// fits std::int64_t.
std::int64_t parse_byte_size(const std::string& text, const std::string& where);
/// The index of `text` in `choices`; otherwise "'<text>' is not one of a | b | c".
std::size_t parse_choice(const std::string& text, const std::vector<std::string>& choices,
                         const std::string& where);

/// Canonical text of a number: integral values below 1e18 as integers ("2e8" → "200000000"),
/// others in the shortest form that reads back exactly.
std::string format_number(double v);
/// "1048576" → "1 MiB", "65536" → "64 KiB", "100" → "100 B" (docs and messages; exact only).
std::string format_byte_size(std::int64_t bytes);
/// "ws | os | is".
std::string join_choices(const std::vector<std::string>& choices, const char* separator = " | ");

}  // namespace rcsim::field
