#include "core/arch_fields.h"

#include <cmath>

#include "core/errors.h"
#include "core/field_value.h"

namespace rcsim {

const char* to_string(ArchFieldType t) {
  switch (t) {
    case ArchFieldType::Text: return "text";
    case ArchFieldType::Int: return "integer";
    case ArchFieldType::Number: return "number";
    case ArchFieldType::Bytes: return "byte size";
    case ArchFieldType::Choice: return "choice";
  }
  return "?";
}

namespace {

std::string value_text(double v) { return field::format_number(v); }

// How each arch_type is read from text and printed back; `numeric` fields are checked by rules.
template <class Tag>
struct Codec;

template <>
struct Codec<arch_type::Text> {
  static constexpr ArchFieldType type = ArchFieldType::Text;
  static constexpr bool numeric = false;
  static std::string read(const std::string& t, const std::string&) { return t; }
  static std::string text(const std::string& v) { return v; }
  static std::vector<std::string> choices() { return {}; }
};

template <>
struct Codec<arch_type::Int> {
  static constexpr ArchFieldType type = ArchFieldType::Int;
  static constexpr bool numeric = true;
  static int read(const std::string& t, const std::string& where) { return field::parse_int(t, where); }
  static std::string text(int v) { return std::to_string(v); }
  static std::vector<std::string> choices() { return {}; }
};

template <>
struct Codec<arch_type::Number> {
  static constexpr ArchFieldType type = ArchFieldType::Number;
  static constexpr bool numeric = true;
  static double read(const std::string& t, const std::string& where) { return field::parse_number(t, where); }
  static std::string text(double v) { return field::format_number(v); }
  static std::vector<std::string> choices() { return {}; }
};

template <>
struct Codec<arch_type::Bytes> {
  static constexpr ArchFieldType type = ArchFieldType::Bytes;
  static constexpr bool numeric = true;
  static std::int64_t read(const std::string& t, const std::string& where) {
    return field::parse_byte_size(t, where);
  }
  static std::string text(std::int64_t v) { return std::to_string(v); }
  static std::vector<std::string> choices() { return {}; }
};

template <class E>
struct Codec<arch_type::Choice<E>> {
  static constexpr ArchFieldType type = ArchFieldType::Choice;
  static constexpr bool numeric = false;
  static E read(const std::string& t, const std::string& where) {
    return enum_names<E>()[field::parse_choice(t, choices(), where)].first;
  }
  static std::string text(E v) {
    for (const auto& [e, name] : enum_names<E>())
      if (e == v) return name;
    throw InternalError("arch field: enum value without a name");
  }
  static std::vector<std::string> choices() {
    std::vector<std::string> c;
    for (const auto& [e, name] : enum_names<E>()) c.push_back(name);
    return c;
  }
};

template <class Tag, auto Member>
ArchField make_field(const char* path, const char* member, const char* unit, const char* description,
                     FieldRule rule) {
  using C = Codec<Tag>;
  ArchField f{path, member, C::type, unit, description, rule, C::choices(), {}, {}, {}};
  f.read = [](ArchParams& a, const std::string& t, const std::string& where) { a.*Member = C::read(t, where); };
  f.text = [](const ArchParams& a) { return C::text(a.*Member); };
  f.check = [rule](const ArchParams& a) -> std::string {
    if constexpr (C::numeric) return rule.violation(static_cast<double>(a.*Member));
    else return "";
  };
  return f;
}

}  // namespace

std::string FieldRule::violation(double v) const {
  const std::string got = " (got " + value_text(v) + ")";
  if (std::isnan(v) || std::isinf(v)) return "must be a finite number" + got;
  switch (kind) {
    case Kind::None: return "";
    case Kind::Positive: return v > 0 ? "" : "must be positive" + got;
    case Kind::NonNegative: return v >= 0 ? "" : "must not be negative" + got;
    case Kind::InRange:
      return v >= a && v <= b ? "" : "must be in " + value_text(a) + ".." + value_text(b) + got;
    case Kind::Either: return v == a || v == b ? "" : "must be " + value_text(a) + " or " + value_text(b) + got;
    case Kind::PositiveMultipleOf:
      return v > 0 && std::fmod(v, a) == 0 ? "" : "must be a positive multiple of " + value_text(a) + got;
  }
  return "";
}

std::string FieldRule::describe() const {
  switch (kind) {
    case Kind::None: return "";
    case Kind::Positive: return "> 0";
    case Kind::NonNegative: return "≥ 0";
    case Kind::InRange: return value_text(a) + ".." + value_text(b);
    case Kind::Either: return value_text(a) + " or " + value_text(b);
    case Kind::PositiveMultipleOf: return "positive multiple of " + value_text(a);
  }
  return "";
}

std::string ArchField::canonical(const std::string& t, const std::string& where) const {
  ArchParams a;
  read(a, t, where);
  return text(a);
}

std::string ArchField::default_text() const {
  const ArchParams d;
  const std::string t = text(d);
  if (type == ArchFieldType::Bytes) return t + " (" + field::format_byte_size(std::stoll(t)) + ")";
  return t;
}

const std::vector<ArchField>& arch_fields() {
  using namespace field_rule;
  static const std::vector<ArchField> fields{
#define RCSIM_ARCH_FIELD_ENTRY(member, type, path, unit, default_value, rule, description) \
  make_field<arch_type::type, &ArchParams::member>(path, #member, unit, description, rule),
      RCSIM_ARCH_FIELDS(RCSIM_ARCH_FIELD_ENTRY)
#undef RCSIM_ARCH_FIELD_ENTRY
  };
  return fields;
}

const ArchField* find_arch_field(const std::string& path) {
  for (const auto& f : arch_fields())
    if (path == f.path) return &f;
  return nullptr;
}

std::vector<std::string> arch_field_paths() {
  std::vector<std::string> p;
  for (const auto& f : arch_fields()) p.emplace_back(f.path);
  return p;
}

const std::vector<ArchCrossRule>& arch_cross_rules() {
  auto n = [](std::int64_t v) { return std::to_string(v); };
  static const std::vector<ArchCrossRule> rules{
      {"weight_sram.word_bits", "a positive multiple of precision",
       [n](const ArchParams& a) -> std::string {
         if (a.wsram_word_bits >= a.precision && a.wsram_word_bits % a.precision == 0) return "";
         return "must be a positive multiple of the precision (got " + n(a.wsram_word_bits) + ")";
       }},
      {"weight_sram.size_bytes", "≥ one fold's weights (rows · cols · precision / 8)",
       [n](const ArchParams& a) -> std::string {
         if (a.wsram_bytes >= a.fold_weight_bytes()) return "";
         return "too small for one fold's weights (" + n(a.fold_weight_bytes()) + " bytes for a " + n(a.rows) +
                "x" + n(a.cols) + " array; got " + n(a.wsram_bytes) + ")";
       }},
      {"weight_sram.size_bytes", "a multiple of weight_sram.banks",
       [](const ArchParams& a) -> std::string {
         return a.wsram_bytes % a.wsram_banks == 0 ? "" : "must be a multiple of weight_sram.banks";
       }},
      {"act_buffer.size_bytes", "≥ one fold's operands (2 · rows · precision / 8)",
       [n](const ArchParams& a) -> std::string {
         if (a.act_bytes >= 2LL * a.rows * a.precision / 8) return "";
         return "too small for one fold's operands (got " + n(a.act_bytes) + ")";
       }},
      {"array.dataflow", "is: only with timing: scalesim",
       [](const ArchParams& a) -> std::string {
         if (!a.dataflow.info().scalesim_timing_only || a.timing == TimingMode::ScaleSim) return "";
         return std::string("'") + a.dataflow.name() + "' (" + a.dataflow.info().description +
                ") runs only with timing: scalesim (use --set timing=scalesim)";
       }},
  };
  return rules;
}

}  // namespace rcsim
