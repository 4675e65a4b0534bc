#pragma once
// Silicon area of an accelerator architecture, per component, in mm² (docs/area.md):
//   pe_array      rows·cols · PE cells           (PE = rtl/pe.sv, Yosys NAND2 equivalents × µm²/NAND2)
//   array_wiring  rows·cols · PE cells · (1/u − 1)   (routing and whitespace at utilization u)
//   weight_sram   banks · A_sram(bank bytes, word bits)      (CACTI, interpolated)
//   act_buffer    2 · A_sram(half, act word bits)
//   accumulator   A_sram(accumulator bytes, 32-bit words)
//   postproc      cols · requantizer lane (rtl/requant.sv) / u
//   controller    controller proxy (rtl/synth/synth_area.py) / u
//   power_gating  sleep switches + isolation cells of the gated units (power_gating.h)
// The DRAM PHY/controller is not included (no figure in a source available here).
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "area/area_table.h"
#include "core/arch_params.h"

namespace rcsim::area {

/// Component names, in report order.
const std::vector<std::string>& area_component_names();

struct AreaReport {
  std::string arch;          ///< architecture name
  std::string node;          ///< area table node, e.g. "45nm"
  std::string table_origin;  ///< area table file
  std::string rtl_origin;    ///< RTL gate table file
  std::string rtl_tool;      ///< Yosys version that produced the gate counts
  double area_mm2 = 0;       ///< Σ components
  std::map<std::string, double> components_mm2;  ///< every name of area_component_names()
  std::map<std::string, std::string> basis;      ///< component → how it was computed, with numbers
  double pe_nand2 = 0;       ///< one PE, NAND2 equivalents (from the RTL at the arch's precision)
  double pe_um2 = 0;         ///< one PE, cell area in µm² (before utilization)
  std::map<std::string, std::string> sources;  ///< every table entry used → its source

  /// {"area_mm2", "area_by_component_mm2"{name: mm²}, "area_table"{node, file, rtl_gates, rtl_tool,
  ///  sources{}}, "pe_um2", "pe_nand2"}: what `rcsim run --json` and the sweep CSV take.
  nlohmann::json to_json() const;
};

/// Area of `arch` with `table` (the caller picks the node, usually arch.technology).
/// InputError if the arch's precision has no synthesized PE (8 and 16 have).
AreaReport area_of(const ArchParams& arch, const AreaTable& table);

}  // namespace rcsim::area
