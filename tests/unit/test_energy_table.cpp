// Energy tables: every shipped table loads and round-trips; malformed tables give one-line
// ConfigErrors naming file and key; every table entry is charged by some counter and vice versa.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "core/layer_counters.h"
#include "core/embedded_workloads.h"
#include "core/errors.h"
#include "core/layer_counters.h"
#include "energy/counter_charges.h"
#include "energy/energy_table.h"
#include "energy/sram_model.h"

using namespace rcsim;
using namespace rcsim::energy;

namespace {

std::string shipped(const std::string& node) {
  const std::string* t = embedded::find("energy/" + node + ".yaml");
  if (!t) throw InternalError("no embedded table " + node);
  return *t;
}

std::string replace_once(std::string s, const std::string& from, const std::string& to) {
  const auto pos = s.find(from);
  if (pos == std::string::npos) throw InternalError("test text lacks '" + from + "'");
  return s.replace(pos, from.size(), to);
}

// Expects parse to throw ConfigError whose one-line message starts with the origin and contains `part`.
void expect_config_error(const std::string& text, const std::string& part) {
  try {
    parse_energy_table(text, "bad.yaml");
    ADD_FAILURE() << "no error; expected one containing: " << part;
  } catch (const ConfigError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind("bad.yaml", 0), 0u) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    EXPECT_NE(msg.find(part), std::string::npos) << msg;
  }
}

}  // namespace

TEST(EnergyTable, EveryShippedTableLoads) {
  const auto names = builtin_energy_table_names();
  for (const char* required : {"28nm", "45nm", "65nm"})
    EXPECT_NE(std::find(names.begin(), names.end(), required), names.end()) << required;
  for (const auto& n : names) {
    const EnergyTable t = load_energy_table(n);
    EXPECT_EQ(t.node, n);
    EXPECT_EQ(t.entries.size(), table_schema().size());
    for (const auto& [id, e] : t.entries) EXPECT_FALSE(e.source.empty()) << n << " " << id;
  }
}

TEST(EnergyTable, RoundTripsThroughDump) {
  for (const auto& n : builtin_energy_table_names()) {
    const EnergyTable a = load_energy_table(n);
    const EnergyTable b = parse_energy_table(dump_energy_table(a), "dumped");
    EXPECT_TRUE(a == b) << n;
    // Same text after the header comment line (which names the origin).
    const std::string da = dump_energy_table(a), db = dump_energy_table(b);
    EXPECT_TRUE(da.substr(da.find('\n')) == db.substr(db.find('\n'))) << n;
  }
}

TEST(EnergyTable, GroupSourceAppliesToPlainNumbers) {
  std::string s = replace_once(shipped("45nm"), "controller:\n", "controller:\n  source: \"group source\"\n");
  const auto a = s.find("  pj_per_cycle: {");
  s.replace(a, s.find('\n', a) - a, "  pj_per_cycle: 2.5");
  const EnergyTable t = parse_energy_table(s, "plain.yaml");
  EXPECT_EQ(t.at("controller.pj_per_cycle"), 2.5);
  EXPECT_EQ(t.source_of("controller.pj_per_cycle"), "group source");
  EXPECT_NE(t.source_of("controller.leakage_uw"), "group source");  // its own source wins
}

TEST(EnergyTable, MissingComponentIsOneLineError) {
  std::string s = shipped("45nm");
  const auto a = s.find("\ndram:\n");
  const auto b = s.find("\npostproc:\n");
  s.erase(a, b - a);
  expect_config_error(s, "dram: missing required component");
}

TEST(EnergyTable, MissingEntryIsOneLineError) {
  std::string s = shipped("45nm");
  const auto a = s.find("  pool_compare_pj:");
  s.erase(a, s.find('\n', a) - a + 1);
  expect_config_error(s, "postproc.pool_compare_pj: missing required entry");
}

TEST(EnergyTable, NegativeEnergyIsOneLineError) {
  expect_config_error(replace_once(shipped("45nm"), "mac_int8_pj: {value: 0.30", "mac_int8_pj: {value: -0.30"),
                      "pe.mac_int8_pj: negative value");
}

TEST(EnergyTable, FractionAboveOneIsOneLineError) {
  expect_config_error(replace_once(shipped("45nm"), "retention_factor: {value: 0.2", "retention_factor: {value: 2"),
                      "leakage_state.retention_factor: 2 is not a fraction");
}

TEST(EnergyTable, UnknownUnitIsOneLineError) {
  expect_config_error(replace_once(shipped("45nm"), "mac_int8_pj:", "mac_int8_nj:"),
                      "pe.mac_int8_nj: unit 'nj' not accepted (expected 'mac_int8_pj')");
}

TEST(EnergyTable, UnknownKeySuggestsTheClosest) {
  expect_config_error(replace_once(shipped("45nm"), "requant_pj:", "reqant_pj:"),
                      "postproc.reqant_pj: unknown key (did you mean 'requant_pj'?)");
  expect_config_error(replace_once(shipped("45nm"), "\ndram:", "\ndrm:"), "drm: unknown key (did you mean 'dram'?)");
}

TEST(EnergyTable, MissingSourceIsOneLineError) {
  std::string s = shipped("45nm");
  const auto a = s.find("  pj_per_cycle: {");
  s.replace(a, s.find('\n', a) - a, "  pj_per_cycle: 1.35");
  expect_config_error(s, "controller.pj_per_cycle: no source");
}

TEST(EnergyTable, BadSramPointIsOneLineError) {
  expect_config_error(replace_once(shipped("45nm"), "{capacity_kb: 8, word_bits: 64, read_pj: 6.137",
                                   "{capacity_kb: 8, word_bits: 64, read_pj: 0"),
                      "sram.access.points[0].read_pj: must be > 0");
  expect_config_error(replace_once(shipped("45nm"), "{capacity_kb: 16, word_bits: 64,", "{capacity_kb: 8, word_bits: 64,"),
                      "sram.access.points[1]: duplicate point");
}

TEST(EnergyTable, MalformedYamlNamesLine) {
  try {
    parse_energy_table("node: 45nm\npe: {mac_int8_pj: [\n", "bad.yaml");
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("bad.yaml:", 0), 0u) << e.what();
  }
}

TEST(EnergyTable, UnknownTechnologyListsShipped) {
  try {
    load_energy_table("7nm");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("45nm"), std::string::npos) << e.what();
  }
}

TEST(CounterCharges, EveryEntryIsChargedAndEveryChargeIsAnEntry) {
  std::set<std::string> charged;
  for (const auto& r : counter_charges()) {
    for (const char* id : r.entries) charged.insert(id);
    const std::string comp = r.component;
    const auto& names = component_names();
    EXPECT_TRUE(comp == "-" || comp == "(all)" || std::find(names.begin(), names.end(), comp) != names.end())
        << r.counter << " -> " << comp;
  }
  std::set<std::string> schema_ids = {"sram.access", "sram.leakage", "dram.preset"};
  for (const auto& s : table_schema()) schema_ids.insert(std::string(s.group) + "." + s.key);
  EXPECT_EQ(charged, schema_ids);
}

TEST(CounterCharges, EveryAcceleratorCounterHasARow) {
  std::set<std::string> rows, counters;
  for (const auto& r : counter_charges())
    if (std::string(r.counter) != "(reconfiguration)") rows.insert(r.counter);
  for (const auto& d : counter_descriptions()) counters.insert(d.name);
  EXPECT_EQ(rows, counters);
}

// A new counter in RCSIM_LAYER_COUNTERS cannot be forgotten by the energy model: it needs its own
// row, in declaration order, either charged (a component and the entries it is multiplied with)
// or explicitly not charged (component "-", no entries, the reason in the rule).
TEST(CounterCharges, EveryDeclaredCounterHasOneRowInDeclarationOrder) {
  std::vector<std::string> rows;
  for (const auto& r : counter_charges()) {
    const std::string name = r.counter, comp = r.component;
    if (name == "(reconfiguration)") continue;
    rows.push_back(name);
    EXPECT_FALSE(std::string(r.rule).empty()) << name;
    if (comp == "-") EXPECT_TRUE(r.entries.empty()) << name << ": not charged, yet lists entries";
    else EXPECT_FALSE(r.entries.empty()) << name << ": charged to " << comp << " with no table entry";
  }
  std::vector<std::string> declared;
  for (const auto& d : counter_descriptions()) declared.push_back(d.name);
  EXPECT_EQ(rows, declared);
}

TEST(SramModel, TabulatedPointsAreExactAndInterpolationIsLogLog) {
  const EnergyTable t = load_energy_table("45nm");
  for (const auto& p : t.sram_access) {
    const auto e = sram_macro_energy(t, std::int64_t(p.capacity_kb * 1024), p.word_bits);
    EXPECT_NEAR(e.read_pj, p.read_pj, 1e-9 * p.read_pj);
    EXPECT_NEAR(e.write_pj, p.write_pj, 1e-9 * p.write_pj);
  }
  // Halfway in log capacity between two 64-bit points: the geometric mean.
  auto pt = [&](double kb, int w) {
    for (const auto& p : t.sram_access)
      if (p.capacity_kb == kb && p.word_bits == w) return p;
    throw InternalError("no point");
  };
  const auto p32 = pt(32, 64), p64 = pt(64, 64);
  const auto between = sram_macro_energy(t, std::int64_t(std::sqrt(32.0 * 64.0) * 1024), 64);
  EXPECT_NEAR(between.read_pj, std::sqrt(p32.read_pj * p64.read_pj), 1e-3);
  // Word width: geometric mean of 64 and 128 bits (≈90.5) gives the geometric mean of energies.
  const auto w64 = pt(32, 64), w128 = pt(32, 128);
  const auto e90 = sram_macro_energy(t, 32 * 1024, 91);
  const double expect90 = w64.read_pj * std::pow(w128.read_pj / w64.read_pj, std::log(91.0 / 64) / std::log(2.0));
  EXPECT_NEAR(e90.read_pj, expect90, 1e-9 * expect90);
  // Narrower than the narrowest tabulated word: charged as that word.
  EXPECT_EQ(sram_macro_energy(t, 32 * 1024, 8).read_pj, sram_macro_energy(t, 32 * 1024, 64).read_pj);
  // Leakage: per-KB point × KB at a tabulated capacity.
  const auto& l = t.sram_leakage.front();
  EXPECT_NEAR(sram_macro_energy(t, std::int64_t(l.capacity_kb * 1024), 64).leakage_uw, l.uw_per_kb * l.capacity_kb, 1e-6);
  EXPECT_THROW(sram_macro_energy(t, 0, 64), InputError);
}

// Hardening (issue 16): an entry of 1e308 made the total energy infinite ("energy_j": null).
TEST(EnergyTable, ImplausiblyLargeEntriesAreRejected) {
  const std::string text = dump_energy_table(parse_energy_table(shipped("45nm"), "45nm"));
  const std::string key = "mac_int8_pj: {value: ";
  const auto at = text.find(key);
  ASSERT_NE(at, std::string::npos);
  const auto end = text.find_first_of(",}", at + key.size());
  const std::string huge = text.substr(0, at + key.size()) + "1e308" + text.substr(end);
  EXPECT_THROW(parse_energy_table(huge, "huge.yaml"), ConfigError);
  EXPECT_THROW(parse_energy_table(text + "\nnode: again\n", "dup.yaml"), ConfigError);
}
