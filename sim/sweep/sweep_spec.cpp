#include "sweep/sweep_spec.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/arch_fields.h"
#include "core/errors.h"
#include "core/field_value.h"
#include "core/network_yaml.h"
#include "core/yaml_source.h"
#include "core/yaml_util.h"
#include "eval/model_source.h"

namespace rcsim::sweep {

namespace {

// Int/Text: checked here. ArchField: read and printed by the architecture field named by set_path
// (core/arch_fields.h), exactly as `rcsim run --set` will read it. Only the form is a spec error
// (type, unit, choice); values the architecture rejects (rows 4096, an SRAM too small for a fold)
// become error rows of that point, like any invalid combination.
enum class Kind { Int, Text, ArchField };

struct AxisRule {
  AxisInfo info;
  Kind kind;
  int min;  // Int: smallest allowed value
};

// The single table of axes: name, arch field (which reads and checks arch values), meaning, kind.
// Order = CSV column order.
const std::vector<AxisRule>& rules() {
  static const std::vector<AxisRule> r = {
      {{"network", "", "network name or YAML path (rcsim run --net)"}, Kind::Text, 0},
      {{"width", "", "width configuration k, 1..G (rcsim run --width)"}, Kind::Int, 1},
      {{"rows", "array.rows", "PE array rows"}, Kind::ArchField, 0},
      {{"cols", "array.cols", "PE array columns"}, Kind::ArchField, 0},
      {{"dataflow", "array.dataflow", "ws | os | is"}, Kind::ArchField, 0},
      {{"precision", "precision", "operand bits: 8 | 16"}, Kind::ArchField, 0},
      {{"timing", "timing", "overlapped | scalesim"}, Kind::ArchField, 0},
      {{"wsram_bytes", "weight_sram.size_bytes", "weight SRAM capacity in bytes"}, Kind::ArchField, 0},
      {{"wsram_banks", "weight_sram.banks", "weight SRAM banks"}, Kind::ArchField, 0},
      {{"act_bytes", "act_buffer.size_bytes", "activation buffer capacity in bytes"}, Kind::ArchField, 0},
      {{"clock_hz", "clock_hz", "clock frequency in Hz"}, Kind::ArchField, 0},
      {{"tech", "technology", "technology node of the energy table (e.g. 45nm)"}, Kind::ArchField, 0},
      {{"gating", "weight_sram.gating", "inactive banks: retention | off"}, Kind::ArchField, 0},
      {{"arch", "", "base architecture YAML (rcsim run --arch)"}, Kind::Text, 0},
  };
  return r;
}

const AxisRule* find_rule(const std::string& name) {
  for (const auto& r : rules())
    if (name == r.info.name) return &r;
  return nullptr;
}

// The architecture field behind a set.<path> axis or an arch-field axis.
const ArchField& arch_field_of(const std::string& path, const std::string& where) {
  if (path.empty()) throw ConfigError(where + ": 'set.' needs an architecture field path");
  if (const ArchField* f = find_arch_field(path)) return *f;
  std::string msg = where + ": unknown architecture field '" + path + "'";
  const std::string hint = yaml::did_you_mean(path, arch_field_paths());
  if (!hint.empty()) msg += " (did you mean 'set." + hint + "'?)";
  throw ConfigError(msg);
}

// Checks and normalizes one value of axis `name` ("016" → "16", "2e8" → "200000000",
// "1MiB" → "1048576"): equal parameters get equal text, hence equal point ids.
std::string normalize(const std::string& name, const std::string& raw, const std::string& where) {
  if (name.rfind("set.", 0) == 0) return arch_field_of(name.substr(4), where).canonical(raw, where);
  const AxisRule* r = find_rule(name);
  if (!r) throw InternalError("normalize: unknown axis " + name);
  switch (r->kind) {
    case Kind::Int: {
      const int v = field::parse_int(raw, where);
      if (v < r->min) throw ConfigError(where + ": must be ≥ " + std::to_string(r->min) + " (got " + raw + ")");
      return std::to_string(v);
    }
    case Kind::Text:
      if (raw.empty()) throw ConfigError(where + ": empty value");
      return raw;
    case Kind::ArchField: {
      const ArchField& f = arch_field_of(r->info.set_path, where);
      if (raw.empty() && f.type == ArchFieldType::Text) throw ConfigError(where + ": empty value");
      return f.canonical(raw, where);
    }
  }
  return raw;
}

std::string scalar(const YAML::Node& n, const std::string& where) {
  if (!n.IsScalar()) throw ConfigError(where + ": expected a scalar value");
  return n.Scalar();
}

// One axis assignment as written (before normalization); "array" expands to rows and cols.
void assign(Params& p, const std::string& axis, const std::string& value, const std::string& where) {
  auto put = [&p](const std::string& k, const std::string& v) {
    for (auto& kv : p)
      if (kv.first == k) {
        kv.second = v;
        return;
      }
    p.emplace_back(k, v);
  };
  if (axis == "array") {
    const auto x = value.find('x');
    if (x == std::string::npos)
      throw ConfigError(where + ": expected ROWSxCOLS such as 16x16 (got '" + value + "')");
    put("rows", normalize("rows", value.substr(0, x), where));
    put("cols", normalize("cols", value.substr(x + 1), where));
    return;
  }
  if (axis.rfind("set.", 0) != 0 && !find_rule(axis)) {
    std::string msg = where + ": unknown axis '" + axis + "'";
    std::vector<std::string> names = {"array"};
    for (const auto& r : rules()) names.emplace_back(r.info.name);
    const std::string hint = yaml::did_you_mean(axis, names);
    if (!hint.empty()) msg += " (did you mean '" + hint + "'?)";
    msg += "; use set.<arch.field> for other architecture fields";
    throw ConfigError(msg);
  }
  put(axis, normalize(axis, value, where));
}

Params read_point_map(const YAML::Node& n, const std::string& where) {
  if (!n.IsMap()) throw ConfigError(where + ": expected a map of axis: value");
  Params p;
  for (const auto& kv : n) {
    const std::string key = kv.first.as<std::string>();
    assign(p, key, scalar(kv.second, where + "." + key), where + "." + key);
  }
  return p;
}

// Canonical order: the rules table, then set.* axes by name.
Params canonical(const Params& p) {
  Params out;
  for (const auto& r : rules())
    for (const auto& kv : p)
      if (kv.first == r.info.name) out.push_back(kv);
  Params extra;
  for (const auto& kv : p)
    if (kv.first.rfind("set.", 0) == 0) extra.push_back(kv);
  std::sort(extra.begin(), extra.end());
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

void expand_grid(const YAML::Node& g, const std::string& where, const Params& base,
                 std::vector<Params>& out, std::size_t max_points) {
  if (!g.IsMap() || g.size() == 0) throw ConfigError(where + ": expected a non-empty map of axis: [values]");
  std::vector<std::pair<std::string, std::vector<std::string>>> axes;
  for (const auto& kv : g) {
    const std::string key = kv.first.as<std::string>();
    const std::string w = where + "." + key;
    std::vector<std::string> values;
    if (kv.second.IsSequence()) {
      if (kv.second.size() == 0) throw ConfigError(w + ": empty list of values");
      for (std::size_t i = 0; i < kv.second.size(); ++i)
        values.push_back(scalar(kv.second[i], w + "[" + std::to_string(i) + "]"));
    } else {
      values.push_back(scalar(kv.second, w));
    }
    axes.emplace_back(key, std::move(values));
  }
  // Count before enumerating: the product of a few lists overflows memory long before int64.
  std::size_t count = 1;
  for (const auto& axis : axes) {
    if (count > max_points / axis.second.size()) count = max_points + 1;
    else count *= axis.second.size();
  }
  if (count > max_points || out.size() + count > max_points)
    throw ConfigError(where + ": the spec expands to more than " + std::to_string(max_points) +
                      " points (rcsim sweep --max-points N raises the cap)");
  // Odometer over the axes, last axis fastest.
  std::vector<std::size_t> idx(axes.size(), 0);
  while (true) {
    Params p = base;
    for (std::size_t a = 0; a < axes.size(); ++a)
      assign(p, axes[a].first, axes[a].second[idx[a]],
             where + "." + axes[a].first + (axes[a].second.size() > 1 ? "[" + std::to_string(idx[a]) + "]" : ""));
    out.push_back(std::move(p));
    std::size_t a = axes.size();
    while (a > 0) {
      --a;
      if (++idx[a] < axes[a].second.size()) break;
      idx[a] = 0;
      if (a == 0) return;
    }
    if (axes.empty()) return;
  }
}

void fill_unset_axes(std::vector<Params>& points, const std::string& origin) {
  std::set<std::string> used;
  for (const auto& p : points)
    for (const auto& kv : p) used.insert(kv.first);
  std::map<std::string, ArchParams> archs;  // base architecture name → its fields
  for (auto& p : points) {
    auto has = [&p](const std::string& k) {
      for (const auto& kv : p)
        if (kv.first == k) return true;
      return false;
    };
    for (const auto& axis : used) {
      if (has(axis)) continue;
      if (axis == "arch") {
        p.emplace_back("arch", "default");
        continue;
      }
      const AxisRule* r = find_rule(axis);
      const std::string path = axis.rfind("set.", 0) == 0 ? axis.substr(4)
                               : r && *r->info.set_path   ? r->info.set_path
                                                          : "";
      const ArchField* f = path.empty() ? nullptr : find_arch_field(path);
      if (!f) continue;  // network and width are required of every point (checked below)
      std::string arch_name = "default";
      for (const auto& kv : p)
        if (kv.first == "arch") arch_name = kv.second;
      auto it = archs.find(arch_name);
      if (it == archs.end()) {
        try {
          it = archs.emplace(arch_name, load_arch(arch_name)).first;
        } catch (const std::exception& e) {
          throw ConfigError(origin + ": arch '" + arch_name + "': " + e.what());
        }
      }
      p.emplace_back(axis, f->text(it->second));
    }
  }
}

}  // namespace

const std::vector<AxisInfo>& known_axes() {
  static const std::vector<AxisInfo> axes = [] {
    std::vector<AxisInfo> v;
    for (const auto& r : rules()) v.push_back(r.info);
    return v;
  }();
  return axes;
}

Objective parse_objective(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    throw InputError("objective '" + text + "': expected COLUMN:min or COLUMN:max");
  const std::string dir = text.substr(colon + 1);
  if (dir != "min" && dir != "max")
    throw InputError("objective '" + text + "': direction must be min or max");
  return {text.substr(0, colon), dir == "max"};
}

SweepSpec parse_sweep_spec(const std::string& yaml_text, const std::string& origin, std::size_t max_points) {
  const YAML::Node root = yaml::parse(yaml_text, origin);
  yaml::check_keys(root, origin, "",
                   {"name", "description", "base", "grid", "points", "pareto", "where", "objectives"});
  SweepSpec spec;
  spec.origin = origin;
  spec.name = yaml::get_string(root, origin, "", "name");
  const Params base = root["base"] ? read_point_map(root["base"], origin + ": base") : Params{};

  std::vector<Params> raw;
  if (const YAML::Node g = root["grid"]) {
    if (g.IsSequence()) {
      for (std::size_t i = 0; i < g.size(); ++i)
        expand_grid(g[i], origin + ": grid[" + std::to_string(i) + "]", base, raw, max_points);
    } else {
      expand_grid(g, origin + ": grid", base, raw, max_points);
    }
  }
  if (const YAML::Node pts = root["points"]) {
    if (!pts.IsSequence()) throw ConfigError(origin + ": points: expected a list of maps");
    if (raw.size() + pts.size() > max_points)
      throw ConfigError(origin + ": points: the spec has more than " + std::to_string(max_points) +
                        " points (rcsim sweep --max-points N raises the cap)");
    for (std::size_t i = 0; i < pts.size(); ++i) {
      Params p = base;
      const std::string where = origin + ": points[" + std::to_string(i) + "]";
      for (const auto& kv : read_point_map(pts[i], where)) assign(p, kv.first, kv.second, where);
      raw.push_back(std::move(p));
    }
  }
  if (raw.empty()) throw ConfigError(origin + ": no design points (give a grid or points)");

  auto objective_list = [&](const char* key, std::vector<Objective>& out) {
    const YAML::Node obj = root[key];
    if (!obj) return false;
    if (!obj.IsSequence() || obj.size() == 0)
      throw ConfigError(origin + ": " + key + ": expected a list such as [energy_j:min, latency_s:min]");
    for (std::size_t i = 0; i < obj.size(); ++i) {
      const std::string where = origin + ": " + key + "[" + std::to_string(i) + "]";
      try {
        out.push_back(parse_objective(scalar(obj[i], where)));
      } catch (const InputError& e) {
        throw ConfigError(where + ": " + e.what());
      }
    }
    return true;
  };
  if (!objective_list("pareto", spec.objectives)) spec.objectives = {{"energy_j", false}, {"accuracy", true}};
  objective_list("objectives", spec.best_objectives);
  if (const YAML::Node w = root["where"]) {
    if (!w.IsSequence()) throw ConfigError(origin + ": where: expected a list such as ['latency_s<30e-6']");
    for (std::size_t i = 0; i < w.size(); ++i) {
      const std::string where = origin + ": where[" + std::to_string(i) + "]";
      try {
        for (auto& c : parse_conditions(scalar(w[i], where))) spec.where.push_back(std::move(c));
      } catch (const InputError& e) {
        throw ConfigError(where + ": " + e.what());
      }
    }
  }

  // An axis some point sets is a column of the result: every other point gets its base value
  // there (its architecture's value of that field), so no cell is empty and equal parameters keep
  // equal ids (an explicit `array: 16x16` and the default 16x16 are one point).
  fill_unset_axes(raw, origin);

  // Normalize, check each point against its network, dedupe by id (first occurrence wins).
  std::map<std::string, int> groups_of;  // network → width groups
  std::set<std::string> seen;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    DesignPoint dp;
    dp.params = canonical(raw[i]);
    const std::string where = origin + ": point " + std::to_string(i);
    if (!dp.has("network")) throw ConfigError(where + ": no network (set it in base, grid or points)");
    if (!dp.has("width")) throw ConfigError(where + ": no width (set it in base, grid or points)");
    const std::string& net = dp.get("network");
    auto it = groups_of.find(net);
    if (it == groups_of.end()) {
      try {
        it = groups_of.emplace(net, eval::load_network_spec(net).width_groups).first;
      } catch (const std::exception& e) {
        throw ConfigError(where + ": network '" + net + "': " + e.what());
      }
    }
    if (std::stoi(dp.get("width")) > it->second)
      throw ConfigError(where + ": width " + dp.get("width") + " exceeds network " + net + "'s " +
                        std::to_string(it->second) + " width groups");
    dp.id = point_id(dp.params);
    if (seen.insert(dp.id).second) spec.points.push_back(std::move(dp));
  }
  return spec;
}

SweepSpec load_sweep_spec(const std::string& name_or_path, std::size_t max_points) {
  if (const auto src = find_yaml_source(name_or_path, "sweeps"))
    return parse_sweep_spec(src->text, src->origin, max_points);
  throw ConfigError(name_or_path + ": cannot open sweep spec (not a file, nor a shipped spec: " +
                    join_names(shipped_yaml_names("sweeps")) + ")");
}

}  // namespace rcsim::sweep
