#pragma once
// The architecture fields as data, generated from RCSIM_ARCH_FIELDS (core/arch_params.h): path,
// type, unit, description, default, rule, and how to read and print a value. The YAML loader,
// `--set`, validation, the sweep's axes and `rcsim info --fields arch` all use this one table.
#include <functional>
#include <string>
#include <vector>

#include "core/arch_params.h"

namespace rcsim {

enum class ArchFieldType { Text, Int, Number, Bytes, Choice };
const char* to_string(ArchFieldType t);

/// A rule about one field's value alone; it states the message (kept identical to the
/// hand-written checks it replaced) and the docs' "valid" column.
struct FieldRule {
  enum class Kind { None, Positive, NonNegative, InRange, Either, PositiveMultipleOf };
  Kind kind = Kind::None;
  double a = 0, b = 0;

  /// "" when `v` satisfies the rule, otherwise e.g. "must be in 1..1024 (got 0)".
  std::string violation(double v) const;
  /// "> 0", "≥ 0", "1..1024", "8 or 16", "multiple of 8, > 0", "" (none).
  std::string describe() const;
};

namespace field_rule {
inline FieldRule none() { return {}; }
inline FieldRule positive() { return {FieldRule::Kind::Positive}; }
inline FieldRule non_negative() { return {FieldRule::Kind::NonNegative}; }
inline FieldRule in_range(double lo, double hi) { return {FieldRule::Kind::InRange, lo, hi}; }
inline FieldRule either(double x, double y) { return {FieldRule::Kind::Either, x, y}; }
inline FieldRule positive_multiple_of(double m) { return {FieldRule::Kind::PositiveMultipleOf, m}; }
}  // namespace field_rule

struct ArchField {
  const char* path;         ///< YAML key path and `--set` path, e.g. "weight_sram.size_bytes"
  const char* member;       ///< ArchParams member, e.g. "wsram_bytes"
  ArchFieldType type;
  const char* unit;         ///< "" for names and choices
  const char* description;
  FieldRule rule;
  std::vector<std::string> choices;  ///< Choice fields: the accepted spellings

  /// Parses `text` into the member of `a`; ConfigError "<where>: <why> (got '<text>')".
  std::function<void(ArchParams& a, const std::string& text, const std::string& where)> read;
  /// The member of `a` as canonical text (what read() accepts; sizes as plain byte counts).
  std::function<std::string(const ArchParams& a)> text;
  /// The rule's message for the member of `a` ("" when it holds; always "" for text/choices).
  std::function<std::string(const ArchParams& a)> check;

  /// `text` read as this field and printed canonically ("1MiB" → "1048576", "016" → "16"):
  /// what a sweep axis of this field normalizes to. Checks the form only (type, unit, choice);
  /// the rule belongs to validate_arch, so a sweep point out of range becomes an error row.
  std::string canonical(const std::string& text, const std::string& where) const;
  /// The default value as shown in the docs ("1048576 (1 MiB)" for sizes).
  std::string default_text() const;
};

/// Every field of RCSIM_ARCH_FIELDS, in declaration order.
const std::vector<ArchField>& arch_fields();
/// The field with this path, or nullptr.
const ArchField* find_arch_field(const std::string& path);
/// Every field path (for did-you-mean hints).
std::vector<std::string> arch_field_paths();

/// A rule relating several fields, checked after every single-field rule held.
struct ArchCrossRule {
  const char* path;  ///< the field the message names
  const char* rule;  ///< for the docs' "valid" column
  std::function<std::string(const ArchParams& a)> violation;  ///< "" when it holds
};
const std::vector<ArchCrossRule>& arch_cross_rules();

}  // namespace rcsim
