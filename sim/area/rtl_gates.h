#pragma once
// Logic sizes of the project's RTL in NAND2 equivalents, as synthesized by rtl/synth/synth_area.py
// (Yosys) into energy_models/synthesis/rtl_gates.yaml. The area model multiplies them by a node's
// area per NAND2 equivalent.
#include <map>
#include <string>

namespace rcsim::area {

struct RtlModuleGates {
  double nand2 = 0;  ///< NAND2 equivalents (cell area / NAND2_X1 area)
  std::string what;  ///< which RTL module and parameters
  std::map<std::string, int> cells;  ///< mapped cell → count
};

struct RtlGates {
  std::string origin;  ///< file it was read from
  std::string tool;    ///< Yosys version that produced it
  std::string flow;
  std::string cells_source;
  std::map<std::string, double> cells_nand2;       ///< NAND2 equivalents of each library cell
  std::map<std::string, RtlModuleGates> modules;  ///< "pe_int8", "requant_int16", "controller_proxy", ...

  /// NAND2 equivalents of module `id`; a missing module is a ConfigError naming the file.
  double nand2(const std::string& id) const;
};

/// Parses and validates the table (modules pe_int8/16, requant_int8/16, controller_proxy required).
RtlGates parse_rtl_gates(const std::string& yaml_text, const std::string& origin);

/// The shipped table (embedded energy_models/synthesis/rtl_gates.yaml) or a YAML path.
RtlGates load_rtl_gates(const std::string& name_or_path = "rtl_gates");

}  // namespace rcsim::area
