#include "core/arch_params.h"

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "core/arch_fields.h"
#include "core/embedded_workloads.h"
#include "core/errors.h"
#include "core/input_file.h"
#include "core/yaml_util.h"

namespace rcsim {

template <>
const std::vector<std::pair<Dataflow, const char*>>& enum_names<Dataflow>() {
  // The catalogued dataflows (core/dataflow_catalog.h), so a new one needs no edit here.
  static const std::vector<std::pair<Dataflow, const char*>> n = [] {
    std::vector<std::pair<Dataflow, const char*>> v;
    for (const DataflowInfo& f : dataflow_catalog()) {
      Dataflow d = Dataflow::WS;
      Dataflow::parse(f.name, d);
      v.emplace_back(d, f.name);
    }
    return v;
  }();
  return n;
}
template <>
const std::vector<std::pair<TimingMode, const char*>>& enum_names<TimingMode>() {
  static const std::vector<std::pair<TimingMode, const char*>> n{
      {TimingMode::Overlapped, "overlapped"}, {TimingMode::ScaleSim, "scalesim"}};
  return n;
}
template <>
const std::vector<std::pair<BankGating, const char*>>& enum_names<BankGating>() {
  static const std::vector<std::pair<BankGating, const char*>> n{
      {BankGating::Retention, "retention"}, {BankGating::Off, "off"}};
  return n;
}

namespace {

template <class E>
const char* name_of(E v) {
  for (const auto& [e, name] : enum_names<E>())
    if (e == v) return name;
  return "?";
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  for (std::size_t s = 0;;) {
    const auto dot = path.find('.', s);
    parts.push_back(path.substr(s, dot - s));
    if (dot == std::string::npos) return parts;
    s = dot + 1;
  }
}

// Applies `a.b.c=value` to the YAML tree; the path must name a known field.
void apply_override(YAML::Node root, const std::string& kv, const std::string& origin) {
  const auto eq = kv.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError("--set '" + kv + "': expected path=value (e.g. array.rows=8)");
  const std::string path = kv.substr(0, eq), value = kv.substr(eq + 1);
  if (!find_arch_field(path)) {
    std::string msg = "--set " + path + ": unknown architecture field";
    const std::string hint = yaml::did_you_mean(path, arch_field_paths());
    if (!hint.empty()) msg += " (did you mean '" + hint + "'?)";
    throw ConfigError(msg + "; `rcsim info --fields arch` lists them");
  }
  const std::vector<std::string> parts = split_path(path);
  YAML::Node node = root;
  std::string at;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    at += (at.empty() ? "" : ".") + parts[i];
    YAML::Node next = node[parts[i]];
    if (next && !next.IsMap() && !next.IsNull()) throw ConfigError(origin + ": " + at + ": expected a map");
    node.reset(next);
  }
  node[parts.back()] = value;
}

const char* expected(const ArchField& f) {
  switch (f.type) {
    case ArchFieldType::Text: return "a string";
    case ArchFieldType::Int: return "an integer";
    case ArchFieldType::Number: return "a number";
    case ArchFieldType::Bytes: return "a byte size such as 65536, 64K, 128KiB or 1MiB";
    case ArchFieldType::Choice: return "one of the listed values";
  }
  return "a value";
}

// The node at a field path (1 or 2 keys, see key_layout), if the YAML has it.
std::optional<YAML::Node> node_at(const YAML::Node& tree, const std::vector<std::string>& path) {
  const YAML::Node first = tree[path[0]];
  if (!first) return std::nullopt;
  if (path.size() == 1) return first;
  const YAML::Node second = first[path[1]];
  if (!second) return std::nullopt;
  return second;
}

// The allowed keys at the top level and in each section, from the field paths.
struct KeyLayout {
  std::vector<std::string> top;
  std::vector<std::pair<std::string, std::vector<std::string>>> sections;
};

const KeyLayout& key_layout() {
  static const KeyLayout k = [] {
    KeyLayout l;
    for (const auto& f : arch_fields()) {
      const std::vector<std::string> p = split_path(f.path);
      if (p.size() > 2) throw InternalError(std::string("arch field path nested too deep: ") + f.path);
      bool seen = false;
      for (const auto& t : l.top) seen |= t == p[0];
      if (!seen) l.top.push_back(p[0]);
      if (p.size() == 1) continue;
      auto it = l.sections.begin();
      while (it != l.sections.end() && it->first != p[0]) ++it;
      if (it == l.sections.end()) it = l.sections.insert(it, {p[0], {}});
      it->second.push_back(p[1]);
    }
    return l;
  }();
  return k;
}

}  // namespace

const char* to_string(TimingMode t) { return name_of(t); }
const char* to_string(BankGating g) { return name_of(g); }

bool ArchParams::operator==(const ArchParams& o) const {
  bool same = true;
#define RCSIM_ARCH_EQUAL(member, type, path, unit, default_value, rule, description) \
  same = same && member == o.member;
  RCSIM_ARCH_FIELDS(RCSIM_ARCH_EQUAL)
#undef RCSIM_ARCH_EQUAL
  return same;
}

void validate_arch(const ArchParams& a, const std::string& o) {
  for (const auto& f : arch_fields()) {
    const std::string why = f.check(a);
    if (!why.empty()) throw ConfigError(o + ": " + f.path + ": " + why);
  }
  for (const auto& r : arch_cross_rules()) {
    const std::string why = r.violation(a);
    if (!why.empty()) throw ConfigError(o + ": " + r.path + ": " + why);
  }
}

ArchParams parse_arch(const std::string& text, const std::string& o,
                      const std::vector<std::string>& overrides) {
  YAML::Node root = yaml::parse(text, o);
  if (!root || root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  // Before --set walks it: yaml-cpp's operator[] on a scalar or list throws BadSubscript.
  if (!root.IsMap()) throw ConfigError(o + ": top level: expected a map of architecture fields");
  for (const auto& kv : overrides) apply_override(root, kv, o);
  const YAML::Node& tree = root;  // const: reading must not add keys
  const KeyLayout& keys = key_layout();
  yaml::check_keys(tree, o, "", keys.top);
  for (const auto& [section, allowed] : keys.sections)
    if (const YAML::Node n = tree[section]) yaml::check_keys(n, o, section, allowed);

  ArchParams a;
  for (const auto& f : arch_fields()) {
    const std::optional<YAML::Node> value = node_at(tree, split_path(f.path));
    if (!value) continue;
    const YAML::Node& n = *value;
    const std::string where = o + ": " + f.path;
    if (!n.IsScalar()) throw ConfigError(where + ": expected " + expected(f));
    f.read(a, n.Scalar(), where);
  }
  validate_arch(a, o);
  return a;
}

ArchParams load_arch(const std::string& name_or_path, const std::vector<std::string>& overrides) {
  namespace fs = std::filesystem;
  auto ends_with = [&](const std::string& suffix) {
    return name_or_path.size() > suffix.size() &&
           name_or_path.compare(name_or_path.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  const bool looks_like_file = fs::exists(name_or_path) || ends_with(".yaml") || ends_with(".yml");
  if (!looks_like_file) {
    if (const std::string* text = embedded::find("arch/" + name_or_path + ".yaml"))
      return parse_arch(*text, "arch " + name_or_path, overrides);
    throw ConfigError("unknown architecture '" + name_or_path + "' (not a file, not a shipped arch in workloads/arch)");
  }
  return parse_arch(read_input_file(name_or_path, InputKind::Config, kMaxConfigFileBytes), name_or_path, overrides);
}

}  // namespace rcsim
