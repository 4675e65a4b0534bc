#include "energy/energy_table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>

#include "core/errors.h"
#include "core/yaml_source.h"
#include "core/yaml_util.h"

namespace rcsim::energy {

const std::vector<EntrySpec>& table_schema() {
  using K = EntryKind;
  static const std::vector<EntrySpec> schema = {
      {"pe", "mac_int8_pj", "pj", K::Energy, "one 8-bit multiply + 32-bit accumulate (per pe_active_cycle)"},
      {"pe", "mac_int16_pj", "pj", K::Energy, "one 16-bit multiply + accumulate (per pe_active_cycle)"},
      {"pe", "idle_fraction", "fraction", K::Fraction, "share of a MAC's energy an enabled idle PE burns per cycle"},
      {"pe", "gated_fraction", "fraction", K::Fraction, "share of a MAC's energy a clock-gated PE burns per cycle"},
      {"pe", "register_pj_per_bit", "pj_per_bit", K::Energy, "writing one bit of a PE's stationary-operand register"},
      {"pe", "leakage_int8_uw", "uw", K::Power, "active leakage of one 8-bit PE"},
      {"pe", "leakage_int16_uw", "uw", K::Power, "active leakage of one 16-bit PE"},
      {"array", "link_pj_per_bit", "pj_per_bit", K::Energy, "moving one bit to the neighbouring PE (wire + register)"},
      {"sram", "retention_wake_pj_per_kb", "pj_per_kb", K::Energy, "waking a retention (drowsy) bank, per KB of bank"},
      {"sram", "retention_wake_cycles", "cycles", K::Duration, "cycles to wake a retention bank"},
      {"sram", "off_wake_pj_per_kb", "pj_per_kb", K::Energy, "powering up a power-gated bank, per KB (reload extra)"},
      {"sram", "off_wake_ns", "ns", K::Duration, "time to power up a power-gated bank (reload extra)"},
      {"leakage_state", "active_factor", "factor", K::Fraction, "leakage multiplier of an active component"},
      {"leakage_state", "clock_gated_factor", "factor", K::Fraction, "leakage multiplier of a clock-gated PE"},
      {"leakage_state", "retention_factor", "factor", K::Fraction, "leakage multiplier of an SRAM bank in retention"},
      {"leakage_state", "off_factor", "factor", K::Fraction, "leakage multiplier of a power-gated SRAM bank"},
      {"dram", "lpddr4_pj_per_bit", "pj_per_bit", K::Energy, "off-chip LPDDR4 transfer, per bit"},
      {"dram", "ddr4_pj_per_bit", "pj_per_bit", K::Energy, "off-chip DDR4 transfer, per bit"},
      {"dram", "ddr3_pj_per_bit", "pj_per_bit", K::Energy, "off-chip DDR3 transfer, per bit"},
      {"dram", "horowitz_pj_per_bit", "pj_per_bit", K::Energy, "off-chip DRAM as in Horowitz ISSCC 2014, per bit"},
      {"postproc", "requant_pj", "pj", K::Energy, "bias add + shift + ReLU + saturate of one output (per postproc_op)"},
      {"postproc", "pool_compare_pj", "pj", K::Energy, "one max-pool comparison"},
      {"postproc", "add_pj", "pj", K::Energy, "one 32-bit addition of an average-pool window sum"},
      {"postproc", "divide_pj", "pj", K::Energy, "one average-pool division (window sum / count, rounded)"},
      {"postproc", "eltwise_add_pj", "pj", K::Energy, "one element of an add node: align both operands, add, rescale, clamp"},
      {"postproc", "mult_pj", "pj", K::Energy, "one 32-bit multiply of the per-channel affine post-processing"},
      {"postproc", "lane_leakage_uw", "uw", K::Power, "active leakage of one post-processing lane (one per array column)"},
      {"controller", "pj_per_cycle", "pj_per_cycle", K::Energy, "sequencing one cycle (counters, compares, instruction)"},
      {"controller", "leakage_uw", "uw", K::Power, "active leakage of the controller"},
  };
  return schema;
}

namespace {

const std::vector<std::string>& group_names() {
  static const std::vector<std::string> g = {"pe",   "array",    "sram",      "leakage_state",
                                             "dram", "postproc", "controller"};
  return g;
}

std::string fmt(double v) {
  // Shortest decimal that reads back as the same double (so dump → load round-trips).
  char buf[40];
  for (int p = 6; p <= 17; ++p) {
    std::snprintf(buf, sizeof buf, "%.*g", p, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// An unknown key whose stem names a known entry is a unit error, e.g. mac_int8_nj.
void check_units_then_keys(const YAML::Node& n, const std::string& origin, const std::string& group,
                           const std::vector<std::string>& allowed) {
  if (!n.IsMap()) throw ConfigError(origin + ": " + group + ": expected a map");
  for (const auto& kv : n) {
    const std::string key = kv.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    for (const auto& s : table_schema()) {
      if (group != s.group) continue;
      const std::string k = s.key, unit = s.unit;
      const std::string stem = k.substr(0, k.size() - unit.size() - 1);
      if (key.rfind(stem + "_", 0) == 0 && key.size() > stem.size() + 1)
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

// No entry of a real table comes near this (the largest are SRAM leakage in uW per KiB and DRAM
// energies per access, < 10^4); the cap keeps Σ count × entry finite for any 64-bit count, where a
// 1e308 entry made the total energy infinite (`"energy_j": null` in JSON).
constexpr double kMaxEntryValue = 1e12;

void check_value(double v, const EntrySpec& s, const std::string& origin, const std::string& path) {
  if (!std::isfinite(v)) throw ConfigError(origin + ": " + path + ": must be a finite number");
  if (v > kMaxEntryValue)
    throw ConfigError(origin + ": " + path + ": " + fmt(v) + " is implausibly large (at most " + fmt(kMaxEntryValue) + ")");
  if (v < 0) throw ConfigError(origin + ": " + path + ": negative value " + fmt(v) + " (must be >= 0)");
  if (s.kind == EntryKind::Fraction && v > 1)
    throw ConfigError(origin + ": " + path + ": " + fmt(v) + " is not a fraction in [0, 1]");
}

double positive(const YAML::Node& p, const std::string& origin, const std::string& path, const char* key) {
  const double v = yaml::get_double(p, origin, path, key);
  if (!std::isfinite(v) || v <= 0 || v > kMaxEntryValue)
    throw ConfigError(origin + ": " + path + "." + key + ": must be > 0 and at most " + fmt(kMaxEntryValue) +
                      " (interpolated on a log scale), got " + fmt(v));
  return v;
}

void parse_access(const YAML::Node& n, const std::string& origin, EnergyTable& t) {
  const std::string path = "sram.access";
  if (!n) throw ConfigError(origin + ": " + path + ": missing required component");
  yaml::check_keys(n, origin, path, {"source", "points"});
  t.sram_access_source = yaml::get_string(n, origin, path, "source");
  const YAML::Node pts = n["points"];
  if (!pts || !pts.IsSequence() || pts.size() == 0)
    throw ConfigError(origin + ": " + path + ".points: expected a non-empty list");
  std::set<std::pair<double, int>> seen;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const std::string pp = path + ".points[" + std::to_string(i) + "]";
    yaml::check_keys(pts[i], origin, pp, {"capacity_kb", "word_bits", "read_pj", "write_pj"});
    SramAccessPoint p;
    p.capacity_kb = positive(pts[i], origin, pp, "capacity_kb");
    p.word_bits = yaml::get_int(pts[i], origin, pp, "word_bits");
    if (p.word_bits <= 0) throw ConfigError(origin + ": " + pp + ".word_bits: must be > 0");
    p.read_pj = positive(pts[i], origin, pp, "read_pj");
    p.write_pj = positive(pts[i], origin, pp, "write_pj");
    if (!seen.insert({p.capacity_kb, p.word_bits}).second)
      throw ConfigError(origin + ": " + pp + ": duplicate point (" + fmt(p.capacity_kb) + " KB, " +
                        std::to_string(p.word_bits) + "-bit word)");
    t.sram_access.push_back(p);
  }
}

void parse_leakage(const YAML::Node& n, const std::string& origin, EnergyTable& t) {
  const std::string path = "sram.leakage";
  if (!n) throw ConfigError(origin + ": " + path + ": missing required component");
  yaml::check_keys(n, origin, path, {"source", "points"});
  t.sram_leakage_source = yaml::get_string(n, origin, path, "source");
  const YAML::Node pts = n["points"];
  if (!pts || !pts.IsSequence() || pts.size() == 0)
    throw ConfigError(origin + ": " + path + ".points: expected a non-empty list");
  std::set<double> seen;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const std::string pp = path + ".points[" + std::to_string(i) + "]";
    yaml::check_keys(pts[i], origin, pp, {"capacity_kb", "uw_per_kb"});
    SramLeakagePoint p;
    p.capacity_kb = positive(pts[i], origin, pp, "capacity_kb");
    p.uw_per_kb = positive(pts[i], origin, pp, "uw_per_kb");
    if (!seen.insert(p.capacity_kb).second)
      throw ConfigError(origin + ": " + pp + ": duplicate point (" + fmt(p.capacity_kb) + " KB)");
    t.sram_leakage.push_back(p);
  }
}

}  // namespace

double EnergyTable::at(const std::string& id) const {
  const auto it = entries.find(id);
  if (it == entries.end()) throw InternalError("energy table " + origin + ": no entry '" + id + "'");
  return it->second.value;
}

const std::string& EnergyTable::source_of(const std::string& id) const {
  const auto it = entries.find(id);
  if (it == entries.end()) throw InternalError("energy table " + origin + ": no entry '" + id + "'");
  return it->second.source;
}

bool EnergyTable::operator==(const EnergyTable& o) const {
  return node == o.node && voltage_v == o.voltage_v && description == o.description &&
         entries == o.entries && sram_access == o.sram_access &&
         sram_access_source == o.sram_access_source && sram_leakage == o.sram_leakage &&
         sram_leakage_source == o.sram_leakage_source;
}

EnergyTable parse_energy_table(const std::string& text, const std::string& origin) {
  const YAML::Node root = yaml::parse(text, origin);
  std::vector<std::string> top = {"node", "voltage_v", "description"};
  top.insert(top.end(), group_names().begin(), group_names().end());
  yaml::check_keys(root, origin, "", top);
  EnergyTable t;
  t.origin = origin;
  t.node = yaml::get_string(root, origin, "", "node");
  t.voltage_v = yaml::get_double(root, origin, "", "voltage_v");
  if (!(t.voltage_v > 0)) throw ConfigError(origin + ": voltage_v: must be > 0");
  t.description = yaml::get_string(root, origin, "", "description", "");
  for (const std::string& g : group_names()) {
    const YAML::Node gn = root[g];
    if (!gn) throw ConfigError(origin + ": " + g + ": missing required component");
    std::vector<std::string> allowed = {"source"};
    for (const auto& s : table_schema())
      if (g == s.group) allowed.push_back(s.key);
    if (g == "sram") allowed.insert(allowed.end(), {"access", "leakage"});
    check_units_then_keys(gn, origin, g, allowed);
    const std::string group_source = yaml::get_string(gn, origin, g, "source", "");
    for (const auto& s : table_schema()) {
      if (g != s.group) continue;
      const std::string path = g + "." + s.key;
      const YAML::Node e = gn[s.key];
      if (!e) throw ConfigError(origin + ": " + path + ": missing required entry (" + s.description + ")");
      TableEntry te;
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
    if (g == "sram") {
      parse_access(gn["access"], origin, t);
      parse_leakage(gn["leakage"], origin, t);
    }
  }
  return t;
}

EnergyTable load_energy_table(const std::string& name_or_path) {
  if (const auto src = find_yaml_source(name_or_path, "energy")) return parse_energy_table(src->text, src->origin);
  throw InputError("unknown technology '" + name_or_path + "' (shipped: " + join_names(builtin_energy_table_names()) +
                   "; or give a .yaml path)");
}

std::vector<std::string> builtin_energy_table_names() { return shipped_yaml_names("energy"); }

std::string dump_energy_table(const EnergyTable& t) {
  std::ostringstream o;
  o << "# Energy table dumped by rcsim (from " << t.origin << ")\n";
  o << "node: " << quoted(t.node) << "\nvoltage_v: " << fmt(t.voltage_v)
    << "\ndescription: " << quoted(t.description) << "\n";
  for (const std::string& g : group_names()) {
    o << "\n" << g << ":\n";
    for (const auto& s : table_schema()) {
      if (g != s.group) continue;
      const std::string id = g + "." + s.key;
      o << "  " << s.key << ": {value: " << fmt(t.at(id)) << ", source: " << quoted(t.source_of(id)) << "}\n";
    }
    if (g == "sram") {
      o << "  access:\n    source: " << quoted(t.sram_access_source) << "\n    points:\n";
      for (const auto& p : t.sram_access)
        o << "      - {capacity_kb: " << fmt(p.capacity_kb) << ", word_bits: " << p.word_bits
          << ", read_pj: " << fmt(p.read_pj) << ", write_pj: " << fmt(p.write_pj) << "}\n";
      o << "  leakage:\n    source: " << quoted(t.sram_leakage_source) << "\n    points:\n";
      for (const auto& p : t.sram_leakage)
        o << "      - {capacity_kb: " << fmt(p.capacity_kb) << ", uw_per_kb: " << fmt(p.uw_per_kb) << "}\n";
    }
  }
  return o.str();
}

}  // namespace rcsim::energy
