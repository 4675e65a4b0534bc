#include "area/area_table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "core/errors.h"
#include "core/yaml_source.h"
#include "core/yaml_util.h"
#include "energy/sram_interpolation.h"

namespace rcsim::area {

const std::vector<AreaEntrySpec>& area_schema() {
  using K = AreaEntryKind;
  static const std::vector<AreaEntrySpec> schema = {
      {"logic", "um2_per_nand2", "um2_per_nand2", K::Positive, "standard-cell area of one NAND2 equivalent"},
      {"logic", "utilization_fraction", "fraction", K::Share, "cell area / placed area of a logic block"},
      {"power_gating", "switch_area_fraction", "fraction", K::Fraction, "sleep-switch network area / gated block area"},
      {"power_gating", "isolation_cell_nand2", "nand2", K::Count, "one isolation cell per signal leaving a gated domain"},
      {"power_gating", "wake_pj_per_nand2", "pj_per_nand2", K::Energy, "recharging a gated logic domain, per NAND2 equivalent"},
      {"power_gating", "logic_wake_ns", "ns", K::Duration, "time to wake a gated logic domain"},
  };
  return schema;
}

namespace {

const std::vector<std::string>& group_names() {
  static const std::vector<std::string> g = {"logic", "sram", "power_gating"};
  return g;
}

std::string fmt(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// An unknown key whose stem names a known entry is a unit error (area_um2 for area_mm2).
void check_units_then_keys(const YAML::Node& n, const std::string& origin, const std::string& group,
                           const std::vector<std::string>& allowed) {
  if (!n.IsMap()) throw ConfigError(origin + ": " + group + ": expected a map");
  for (const auto& kv : n) {
    const std::string key = kv.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    for (const auto& s : area_schema()) {
      if (group != s.group) continue;
      const std::string k = s.key, unit = s.unit;
      const std::string stem = k.size() > unit.size() ? k.substr(0, k.size() - unit.size() - 1) : "";
      if (!stem.empty() && key.rfind(stem + "_", 0) == 0 && key.size() > stem.size() + 1)
        throw ConfigError(origin + ": " + group + "." + key + ": unit '" + key.substr(stem.size() + 1) +
                          "' not accepted (expected '" + k + "')");
    }
  }
  yaml::check_keys(n, origin, group, allowed);
}

double number(const YAML::Node& v, const std::string& origin, const std::string& path) {
  if (!v || !v.IsScalar()) throw ConfigError(origin + ": " + path + ": expected a number");
  try {
    return v.as<double>();
  } catch (const YAML::Exception&) {
    throw ConfigError(origin + ": " + path + ": expected a number (got '" + v.Scalar() + "')");
  }
}

void check_value(double v, const AreaEntrySpec& s, const std::string& origin, const std::string& path) {
  if (!std::isfinite(v)) throw ConfigError(origin + ": " + path + ": must be a finite number");
  if (v < 0) throw ConfigError(origin + ": " + path + ": negative value " + fmt(v) + " (must be >= 0)");
  if ((s.kind == AreaEntryKind::Positive || s.kind == AreaEntryKind::Share) && v == 0)
    throw ConfigError(origin + ": " + path + ": must be > 0");
  if ((s.kind == AreaEntryKind::Fraction || s.kind == AreaEntryKind::Share) && v > 1)
    throw ConfigError(origin + ": " + path + ": " + fmt(v) + " is not a fraction in [0, 1]");
}

void parse_sram_area(const YAML::Node& n, const std::string& origin, AreaTable& t) {
  const std::string path = "sram.area";
  if (!n) throw ConfigError(origin + ": " + path + ": missing required component");
  yaml::check_keys(n, origin, path, {"source", "points"});
  t.sram_area_source = yaml::get_string(n, origin, path, "source");
  if (t.sram_area_source.empty()) throw ConfigError(origin + ": " + path + ".source: empty");
  const YAML::Node pts = n["points"];
  if (!pts || !pts.IsSequence() || pts.size() == 0)
    throw ConfigError(origin + ": " + path + ".points: expected a non-empty list");
  std::set<std::pair<double, int>> seen;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const std::string pp = path + ".points[" + std::to_string(i) + "]";
    yaml::check_keys(pts[i], origin, pp, {"capacity_kb", "word_bits", "area_mm2"});
    SramAreaPoint p;
    p.capacity_kb = yaml::get_double(pts[i], origin, pp, "capacity_kb");
    p.word_bits = yaml::get_int(pts[i], origin, pp, "word_bits");
    p.area_mm2 = yaml::get_double(pts[i], origin, pp, "area_mm2");
    for (const auto& [key, v] : {std::pair<const char*, double>{"capacity_kb", p.capacity_kb},
                                 {"word_bits", double(p.word_bits)}, {"area_mm2", p.area_mm2}})
      if (!std::isfinite(v) || v <= 0)
        throw ConfigError(origin + ": " + pp + "." + key + ": must be > 0 (interpolated on a log scale), got " + fmt(v));
    if (!seen.insert({p.capacity_kb, p.word_bits}).second)
      throw ConfigError(origin + ": " + pp + ": duplicate point (" + fmt(p.capacity_kb) + " KB, " +
                        std::to_string(p.word_bits) + "-bit word)");
    t.sram_area.push_back(p);
  }
}

}  // namespace

double AreaTable::at(const std::string& id) const {
  const auto it = entries.find(id);
  if (it == entries.end()) throw InternalError("area table " + origin + ": no entry '" + id + "'");
  return it->second.value;
}

const std::string& AreaTable::source_of(const std::string& id) const {
  const auto it = entries.find(id);
  if (it == entries.end()) throw InternalError("area table " + origin + ": no entry '" + id + "'");
  return it->second.source;
}

AreaTable parse_area_table(const std::string& text, const std::string& origin, const RtlGates& rtl) {
  const YAML::Node root = yaml::parse(text, origin);
  std::vector<std::string> top = {"node", "description"};
  top.insert(top.end(), group_names().begin(), group_names().end());
  yaml::check_keys(root, origin, "", top);
  AreaTable t;
  t.origin = origin;
  t.rtl = rtl;
  t.node = yaml::get_string(root, origin, "", "node");
  t.description = yaml::get_string(root, origin, "", "description", "");
  for (const std::string& g : group_names()) {
    const YAML::Node gn = root[g];
    if (!gn) throw ConfigError(origin + ": " + g + ": missing required component");
    std::vector<std::string> allowed = {"source"};
    for (const auto& s : area_schema())
      if (g == s.group) allowed.push_back(s.key);
    if (g == "sram") allowed.push_back("area");
    check_units_then_keys(gn, origin, g, allowed);
    const std::string group_source = yaml::get_string(gn, origin, g, "source", "");
    for (const auto& s : area_schema()) {
      if (g != s.group) continue;
      const std::string path = g + "." + s.key;
      const YAML::Node e = gn[s.key];
      if (!e) throw ConfigError(origin + ": " + path + ": missing required entry (" + s.description + ")");
      energy::TableEntry te;
      if (e.IsMap()) {
        yaml::check_keys(e, origin, path, {"value", "source"});
        te.value = number(e["value"], origin, path + ".value");
        te.source = yaml::get_string(e, origin, path, "source", group_source);
      } else {
        te.value = number(e, origin, path);
        te.source = group_source;
      }
      if (te.source.empty())
        throw ConfigError(origin + ": " + path + ": no source (give 'source:' on the entry or its group)");
      check_value(te.value, s, origin, path);
      t.entries[path] = te;
    }
    if (g == "sram") parse_sram_area(gn["area"], origin, t);
  }
  return t;
}

AreaTable load_area_table(const std::string& name_or_path) {
  if (const auto src = find_yaml_source(name_or_path, "area"))
    return parse_area_table(src->text, src->origin, load_rtl_gates());
  throw InputError("unknown area technology '" + name_or_path + "' (shipped: " +
                   join_names(builtin_area_table_names()) + "; or give a .yaml path)");
}

std::vector<std::string> builtin_area_table_names() { return shipped_yaml_names("area"); }

double sram_macro_area_mm2(const AreaTable& t, std::int64_t bytes, int word_bits) {
  if (bytes <= 0 || word_bits <= 0)
    throw InputError("SRAM macro of " + std::to_string(bytes) + " bytes with " + std::to_string(word_bits) +
                     "-bit words: size and word width must be > 0");
  std::vector<energy::SramPoint> pts;
  for (const auto& p : t.sram_area) pts.push_back({p.capacity_kb, p.word_bits, p.area_mm2});
  return energy::sram_interpolate(pts, double(bytes) / 1024.0, word_bits);
}

}  // namespace rcsim::area
