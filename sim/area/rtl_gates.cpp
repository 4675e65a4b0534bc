#include "area/rtl_gates.h"

#include <cmath>

#include "core/errors.h"
#include "core/yaml_source.h"
#include "core/yaml_util.h"

namespace rcsim::area {

namespace {
const char* const kRequiredModules[] = {"pe_int8", "pe_int16", "requant_int8", "requant_int16", "controller_proxy"};
}

double RtlGates::nand2(const std::string& id) const {
  const auto it = modules.find(id);
  if (it == modules.end()) throw ConfigError(origin + ": modules." + id + ": missing (rerun rtl/synth/synth_area.py)");
  return it->second.nand2;
}

RtlGates parse_rtl_gates(const std::string& text, const std::string& origin) {
  const YAML::Node root = yaml::parse(text, origin);
  yaml::check_keys(root, origin, "", {"tool", "flow", "cells_source", "cells_nand2", "modules"});
  RtlGates g;
  g.origin = origin;
  g.tool = yaml::get_string(root, origin, "", "tool");
  g.flow = yaml::get_string(root, origin, "", "flow");
  g.cells_source = yaml::get_string(root, origin, "", "cells_source");
  const YAML::Node cells = root["cells_nand2"];
  if (!cells || !cells.IsMap()) throw ConfigError(origin + ": cells_nand2: expected a map of cell: NAND2 equivalents");
  for (const auto& kv : cells) {
    const std::string name = kv.first.as<std::string>();
    const double v = yaml::get_double(cells, origin, "cells_nand2", name.c_str());
    if (!(v > 0) || !std::isfinite(v)) throw ConfigError(origin + ": cells_nand2." + name + ": must be > 0");
    g.cells_nand2[name] = v;
  }
  const YAML::Node mods = root["modules"];
  if (!mods || !mods.IsMap()) throw ConfigError(origin + ": modules: expected a map");
  for (const auto& kv : mods) {
    const std::string id = kv.first.as<std::string>();
    const std::string path = "modules." + id;
    const YAML::Node m = kv.second;
    yaml::check_keys(m, origin, path, {"nand2", "what", "cells"});
    RtlModuleGates mg;
    mg.nand2 = yaml::get_double(m, origin, path, "nand2");
    if (!(mg.nand2 > 0) || !std::isfinite(mg.nand2)) throw ConfigError(origin + ": " + path + ".nand2: must be > 0");
    mg.what = yaml::get_string(m, origin, path, "what", "");
    if (const YAML::Node c = m["cells"]) {
      if (!c.IsMap()) throw ConfigError(origin + ": " + path + ".cells: expected a map");
      for (const auto& ck : c) {
        const std::string cell = ck.first.as<std::string>();
        if (!g.cells_nand2.count(cell))
          throw ConfigError(origin + ": " + path + ".cells." + cell + ": not a cell of cells_nand2");
        mg.cells[cell] = yaml::get_int(c, origin, path + ".cells", cell.c_str());
      }
    }
    g.modules[id] = mg;
  }
  for (const char* id : kRequiredModules)
    if (!g.modules.count(id)) throw ConfigError(origin + ": modules." + id + ": missing (rerun rtl/synth/synth_area.py)");
  return g;
}

RtlGates load_rtl_gates(const std::string& name_or_path) {
  if (const auto src = find_yaml_source(name_or_path, "synthesis")) return parse_rtl_gates(src->text, src->origin);
  throw InputError("unknown RTL gate table '" + name_or_path + "' (shipped: rtl_gates; or give a .yaml path)");
}

}  // namespace rcsim::area
