#pragma once
// One technology node's energy table (energy_models/<node>.yaml): per-event energies, leakage
// powers and state factors, each with the source it came from. The accepted entries are declared
// once in table_schema() (group, key with unit suffix, description); loading rejects missing
// entries, unknown keys or units, and negative values with a one-line ConfigError.
#include <map>
#include <string>
#include <vector>

namespace rcsim::energy {

/// How an entry's value is checked and what it means.
enum class EntryKind {
  Energy,    ///< pJ per event (≥ 0)
  Power,     ///< µW (≥ 0)
  Fraction,  ///< dimensionless factor in [0, 1]
  Duration,  ///< ns or cycles (≥ 0)
};

struct EntrySpec {
  const char* group;        ///< YAML section, e.g. "pe"
  const char* key;          ///< key including its unit suffix, e.g. "mac_int8_pj"
  const char* unit;         ///< the unit suffix of `key`, e.g. "pj"
  EntryKind kind;
  const char* description;  ///< what one unit of it is charged for
};

/// Every scalar entry a table must have, in file order. Ids are "<group>.<key>".
const std::vector<EntrySpec>& table_schema();

struct TableEntry {
  double value = 0;
  std::string source;
  bool operator==(const TableEntry& o) const { return value == o.value && source == o.source; }
};

/// A CACTI point: one SRAM macro of `capacity_kb` and `word_bits`, energy per access.
struct SramAccessPoint {
  double capacity_kb = 0;
  int word_bits = 0;
  double read_pj = 0;
  double write_pj = 0;
  bool operator==(const SramAccessPoint& o) const {
    return capacity_kb == o.capacity_kb && word_bits == o.word_bits && read_pj == o.read_pj &&
           write_pj == o.write_pj;
  }
};

/// Active SRAM leakage per KB for a macro of `capacity_kb`.
struct SramLeakagePoint {
  double capacity_kb = 0;
  double uw_per_kb = 0;
  bool operator==(const SramLeakagePoint& o) const {
    return capacity_kb == o.capacity_kb && uw_per_kb == o.uw_per_kb;
  }
};

struct EnergyTable {
  std::string origin;  ///< file it was read from (for messages and provenance); not compared
  std::string node;    ///< e.g. "45nm"
  double voltage_v = 0;
  std::string description;
  std::map<std::string, TableEntry> entries;  ///< "<group>.<key>" → value + source
  std::vector<SramAccessPoint> sram_access;
  std::string sram_access_source;
  std::vector<SramLeakagePoint> sram_leakage;
  std::string sram_leakage_source;

  /// Value of entry `id` ("pe.mac_int8_pj"). An id outside table_schema() is an InternalError.
  double at(const std::string& id) const;
  const std::string& source_of(const std::string& id) const;
  /// Equal content (origin ignored).
  bool operator==(const EnergyTable& o) const;
};

/// Parses and validates a table; `origin` names it in errors ("energy_models/45nm.yaml").
EnergyTable parse_energy_table(const std::string& yaml_text, const std::string& origin);

/// A shipped node name ("45nm", embedded in the binary) or a path to a YAML file.
EnergyTable load_energy_table(const std::string& name_or_path);

/// Names of the shipped tables (energy_models/*.yaml), e.g. {"28nm", "45nm", "65nm"}.
std::vector<std::string> builtin_energy_table_names();

/// The table as YAML in the shipped layout, every entry with its own source (load → dump → load
/// gives an equal table).
std::string dump_energy_table(const EnergyTable& table);

}  // namespace rcsim::energy
