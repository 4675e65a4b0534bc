#pragma once
// One technology node's area table (energy_models/area/<node>.yaml): area per NAND2 equivalent,
// placement utilization, CACTI SRAM macro areas, and the power-gating overhead entries, each with
// its source; plus the RTL gate counts (rtl_gates.h) the logic areas are built from. The accepted
// entries are declared once in area_schema(); loading rejects missing entries, unknown keys or
// units, out-of-range values and entries without a source with a one-line ConfigError, like the
// energy tables (sim/energy/energy_table.h).
#include <map>
#include <string>
#include <vector>

#include "area/rtl_gates.h"
#include "energy/energy_table.h"

namespace rcsim::area {

enum class AreaEntryKind {
  Positive,  ///< > 0 (an area per gate)
  Count,     ///< ≥ 0 (NAND2 equivalents)
  Energy,    ///< pJ, ≥ 0
  Duration,  ///< ns, ≥ 0
  Fraction,  ///< in [0, 1]
  Share,     ///< in (0, 1] (a utilization: 0 would make every logic area infinite)
};

struct AreaEntrySpec {
  const char* group;        ///< YAML section, e.g. "logic"
  const char* key;          ///< key with its unit suffix, e.g. "um2_per_nand2"
  const char* unit;         ///< the unit suffix of `key`
  AreaEntryKind kind;
  const char* description;
};

/// Every scalar entry a table must have, in file order. Ids are "<group>.<key>".
const std::vector<AreaEntrySpec>& area_schema();

/// CACTI area of one SRAM macro of `capacity_kb` with `word_bits` words.
struct SramAreaPoint {
  double capacity_kb = 0;
  int word_bits = 0;
  double area_mm2 = 0;
};

struct AreaTable {
  std::string origin;  ///< file it was read from
  std::string node;    ///< e.g. "45nm"
  std::string description;
  std::map<std::string, energy::TableEntry> entries;  ///< "<group>.<key>" → value + source
  std::vector<SramAreaPoint> sram_area;
  std::string sram_area_source;
  RtlGates rtl;  ///< the synthesized gate counts (energy_models/synthesis/rtl_gates.yaml)

  /// Value / source of entry `id` ("logic.um2_per_nand2"); an id outside area_schema() is an
  /// InternalError.
  double at(const std::string& id) const;
  const std::string& source_of(const std::string& id) const;
};

/// Parses and validates a table; `origin` names it in errors. `rtl` is attached unchanged.
AreaTable parse_area_table(const std::string& yaml_text, const std::string& origin, const RtlGates& rtl);

/// A shipped node ("45nm", embedded from energy_models/area/) or a YAML path, with the shipped
/// RTL gate counts.
AreaTable load_area_table(const std::string& name_or_path);

/// Names of the shipped area tables, e.g. {"28nm", "45nm", "65nm"}.
std::vector<std::string> builtin_area_table_names();

/// Area of one SRAM macro of `bytes` with `word_bits` words, interpolated from the table's CACTI
/// points by the same rule as the access energies (energy/sram_interpolation.h). InputError for a
/// non-positive size or width.
double sram_macro_area_mm2(const AreaTable& t, std::int64_t bytes, int word_bits);

}  // namespace rcsim::area
