// The area model: SRAM areas are the CACTI sweep's, interpolated like the energies; the array
// grows linearly in rows x cols; the PE area is the synthesis table's; break-even closed form;
// bad area tables are one-line ConfigErrors.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "area/area_model.h"
#include "area/area_table.h"
#include "area/power_gating.h"
#include "core/errors.h"
#include "energy/sram_model.h"
#include "core/arch_params.h"

using namespace rcsim;
using namespace rcsim::area;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string shipped_text(const std::string& node) {
  return read_text(std::string(RCSIM_SOURCE_DIR) + "/energy_models/area/" + node + ".yaml");
}

// Replaces the first occurrence of `from` in `text` (the test fails if absent).
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

ArchParams with(const std::vector<std::string>& sets) { return load_arch("default", sets); }

}  // namespace

TEST(AreaTable, EveryShippedNodeLoadsWithEveryEntrySourced) {
  const auto names = builtin_area_table_names();
  EXPECT_EQ(names, (std::vector<std::string>{"28nm", "45nm", "65nm"}));
  for (const auto& n : names) {
    const AreaTable t = load_area_table(n);
    EXPECT_EQ(t.node, n);
    for (const auto& s : area_schema()) {
      const std::string id = std::string(s.group) + "." + s.key;
      EXPECT_FALSE(t.source_of(id).empty()) << n << " " << id;
      EXPECT_EQ(t.source_of(id).front(), '[') << n << " " << id << ": source without a tag";
    }
    EXPECT_EQ(t.sram_area.size(), 18u) << n;
  }
}

// The points are exactly the area_mm2 column of the CACTI sweep's itrs-lstp@300K 64/128-bit rows.
TEST(AreaTable, SramPointsAreTheCactiSweepRows) {
  std::ifstream csv(std::string(RCSIM_SOURCE_DIR) + "/energy_models/cacti-sram-sweep.csv");
  std::string line;
  std::getline(csv, line);  // header
  int rows = 0;
  std::map<std::string, AreaTable> tables;
  for (const auto& n : builtin_area_table_names()) tables.emplace(n, load_area_table(n));
  while (std::getline(csv, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, ',');) f.push_back(c);
    const std::string node = f[1] + "nm";
    if (f[0] != "itrs-lstp@300K" || !tables.count(node) || (f[3] != "64" && f[3] != "128")) continue;
    const double kb = std::stod(f[2]) / 1024, area = std::stod(f[8]);
    const int word = std::stoi(f[3]);
    bool found = false;
    for (const auto& p : tables.at(node).sram_area)
      if (p.capacity_kb == kb && p.word_bits == word) {
        EXPECT_EQ(p.area_mm2, area) << node << " " << kb << " KB " << word;
        found = true;
      }
    EXPECT_TRUE(found) << node << " " << kb << " KB x " << word << " missing from the area table";
    ++rows;
  }
  EXPECT_EQ(rows, 3 * 18);
}

TEST(AreaModel, SramAreaEqualsTheCactiInterpolation) {
  const AreaTable t = load_area_table("45nm");
  // On a tabulated point: exactly CACTI's area.
  for (const auto& p : t.sram_area)
    EXPECT_DOUBLE_EQ(sram_macro_area_mm2(t, std::int64_t(p.capacity_kb * 1024), p.word_bits), p.area_mm2);
  // Between 64 and 128 KB (128-bit words), at the geometric mean capacity: log-log midpoint = the
  // geometric mean of the two areas (0.18795 and 0.41348 mm2, energy_models/cacti-sram-sweep.csv).
  const std::int64_t mid = std::int64_t(std::llround(std::sqrt(64.0 * 128.0) * 1024));
  EXPECT_NEAR(sram_macro_area_mm2(t, mid, 128), std::sqrt(0.18795 * 0.41348), 1e-6);
  // Between word widths (96 bits, 128 KB): log-log between the 64- and 128-bit areas.
  const double w = std::exp(std::log(0.42959) + (std::log(0.41348) - std::log(0.42959)) * std::log(1.5) / std::log(2.0));
  EXPECT_NEAR(sram_macro_area_mm2(t, 128 * 1024, 96), w, 1e-12);
  // The default arch's weight SRAM: 8 banks of 128 KB x 128 bit = 8 x CACTI's 0.41348 mm2.
  const AreaReport r = area_of(load_arch("default"), t);
  EXPECT_DOUBLE_EQ(r.components_mm2.at("weight_sram"), 8 * 0.41348);
  EXPECT_THROW(sram_macro_area_mm2(t, 0, 64), InputError);
}

TEST(AreaModel, PeAreaIsTheSynthesisTablesTimesTheNodesGateArea) {
  for (const auto& node : builtin_area_table_names()) {
    const AreaTable t = load_area_table(node);
    for (int bits : {8, 16}) {
      const AreaReport r = area_of(with({"precision=" + std::to_string(bits)}), t);
      const double nand2 = t.rtl.nand2(bits == 8 ? "pe_int8" : "pe_int16");
      EXPECT_EQ(r.pe_nand2, nand2);
      EXPECT_DOUBLE_EQ(r.pe_um2, nand2 * t.at("logic.um2_per_nand2"));
      EXPECT_DOUBLE_EQ(r.components_mm2.at("pe_array"), 256 * r.pe_um2 * 1e-6);
    }
  }
  const AreaTable t = load_area_table("45nm");
  EXPECT_GT(t.rtl.nand2("pe_int16"), t.rtl.nand2("pe_int8"));
}

// Each dataflow is charged the PE its array is built from: os its own (rtl/pe_os.sv), is the
// WS PE (it runs the weight-stationary array with the operands swapped).
TEST(AreaModel, OutputStationaryArrayIsChargedTheOsPe) {
  const AreaTable t = load_area_table("45nm");
  for (int bits : {8, 16}) {
    const std::string p = "precision=" + std::to_string(bits), suffix = bits == 8 ? "int8" : "int16";
    const AreaReport ws = area_of(with({p}), t);
    const AreaReport os = area_of(with({p, "array.dataflow=os"}), t);
    const AreaReport is = area_of(with({p, "array.dataflow=is", "timing=scalesim"}), t);
    EXPECT_EQ(os.pe_nand2, t.rtl.nand2("pe_os_" + suffix));
    EXPECT_EQ(ws.pe_nand2, t.rtl.nand2("pe_" + suffix));
    EXPECT_EQ(is.pe_nand2, ws.pe_nand2);
    EXPECT_NE(os.basis.at("pe_array").find("rtl/pe_os.sv"), std::string::npos);
    EXPECT_DOUBLE_EQ(os.components_mm2.at("pe_array"), 256 * os.pe_um2 * 1e-6);
    EXPECT_GT(os.area_mm2, ws.area_mm2);
  }
}

TEST(AreaModel, ArrayAreaIsLinearInRowsTimesCols) {
  const AreaTable t = load_area_table("45nm");
  auto array_mm2 = [&](int r, int c) {
    const AreaReport a = area_of(with({"array.rows=" + std::to_string(r), "array.cols=" + std::to_string(c)}), t);
    return a.components_mm2.at("pe_array") + a.components_mm2.at("array_wiring");
  };
  const double per_pe = array_mm2(1, 1);
  EXPECT_GT(per_pe, 0);
  for (auto [r, c] : std::vector<std::pair<int, int>>{{4, 16}, {16, 16}, {32, 32}, {8, 64}, {64, 64}})
    EXPECT_NEAR(array_mm2(r, c), per_pe * r * c, 1e-12 * r * c) << r << "x" << c;
  // Everything else does not depend on the rows (post-processing lanes and gating scale with cols).
  const AreaReport a = area_of(with({"array.rows=8"}), t), b = area_of(with({"array.rows=32"}), t);
  for (const char* n : {"weight_sram", "act_buffer", "accumulator", "postproc", "controller"})
    EXPECT_EQ(a.components_mm2.at(n), b.components_mm2.at(n)) << n;
}

TEST(AreaModel, DefaultArchBreakdownSumsAndReportsItsSources) {
  const AreaReport r = area_of(load_arch("default"), load_area_table("45nm"));
  double sum = 0;
  for (const auto& n : area_component_names()) {
    EXPECT_GT(r.components_mm2.at(n), 0) << n;
    sum += r.components_mm2.at(n);
  }
  EXPECT_DOUBLE_EQ(r.area_mm2, sum);
  const nlohmann::json j = r.to_json();
  EXPECT_DOUBLE_EQ(j["area_mm2"].get<double>(), r.area_mm2);
  EXPECT_EQ(j["area_by_component_mm2"].size(), area_component_names().size());
  EXPECT_EQ(j["area_table"]["node"], "45nm");
  EXPECT_TRUE(j["area_table"]["sources"].contains("sram.area"));
  // Bigger SRAM, bigger area; 65 nm bigger than 45 nm bigger than 28 nm.
  EXPECT_GT(area_of(with({"weight_sram.size_bytes=2097152"}), load_area_table("45nm")).area_mm2, r.area_mm2);
  EXPECT_GT(area_of(load_arch("default"), load_area_table("65nm")).area_mm2, r.area_mm2);
  EXPECT_LT(area_of(load_arch("default"), load_area_table("28nm")).area_mm2, r.area_mm2);
}

TEST(PowerGating, BreakEvenClosedForm) {
  EXPECT_DOUBLE_EQ(break_even_s(100e-12, 5e-3, 1e-3), 100e-12 / 4e-3);
  EXPECT_EQ(break_even_s(0, 5e-3, 1e-3), 0);
  EXPECT_TRUE(std::isinf(break_even_s(1e-12, 1e-3, 1e-3)));
  EXPECT_THROW(break_even_s(-1, 1, 0), InputError);
  // Default arch, retention banks: t = KB x wake pJ/KB / (P_bank x (clock-gated - retention factor)),
  // the bank size cancels only in the wake energy, so compute it from the tables.
  const ArchParams a = load_arch("default");
  const AreaTable t = load_area_table("45nm");
  const energy::EnergyTable e = energy::load_energy_table("45nm");
  const GatingModel g = gating_model(a, t, e);
  const double p_bank = energy::sram_macro_energy(e, 128 * 1024, 128).leakage_uw * 1e-6;
  const GatedUnit& bank = g.units.at(0);
  ASSERT_EQ(bank.name, "weight_sram_bank");
  EXPECT_DOUBLE_EQ(bank.break_even_s, 128 * e.at("sram.retention_wake_pj_per_kb") * 1e-12 /
                                          (p_bank * (e.at("leakage_state.clock_gated_factor") -
                                                     e.at("leakage_state.retention_factor"))));
  // PE column: rows x PE NAND2 x wake pJ/NAND2 over rows x PE leakage x (1 - off factor).
  const GatedUnit& col = g.units.at(1);
  ASSERT_EQ(col.name, "pe_column");
  EXPECT_DOUBLE_EQ(col.break_even_s, 16 * t.rtl.nand2("pe_int8") * t.at("power_gating.wake_pj_per_nand2") * 1e-12 /
                                         (16 * e.at("pe.leakage_int8_uw") * 1e-6 * (1 - e.at("leakage_state.off_factor"))));
  // Priced free: gating always pays, and costs no area.
  const GatingModel free = gating_model(a, t, e, false);
  for (const auto& u : free.units) {
    EXPECT_EQ(u.break_even_s, 0) << u.name;
    EXPECT_EQ(u.switch_area_um2 + u.isolation_area_um2, 0) << u.name;
  }
  // Power-gated (off) banks must reload their weights: break-even grows by orders of magnitude.
  const GatedUnit off = gating_model(with({"weight_sram.gating=off"}), t, e).units.at(0);
  EXPECT_EQ(off.gated_state, "off");
  EXPECT_EQ(off.reload_bytes, 128 * 1024);
  EXPECT_GT(off.break_even_s, 1000 * bank.break_even_s);
  // The area component equals the model's switch + isolation area.
  EXPECT_NEAR(area_of(a, t).components_mm2.at("power_gating"), g.switch_area_mm2() + g.isolation_area_mm2(), 1e-12);
}

TEST(AreaTable, BadTablesAreOneLineConfigErrors) {
  const std::string good = shipped_text("45nm");
  const RtlGates rtl = load_rtl_gates();
  ASSERT_NO_THROW(parse_area_table(good, "good.yaml", rtl));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {replaced(good, "um2_per_nand2: {value: 0.798", "um2_per_nand2: {value: -0.798"), "logic.um2_per_nand2: negative"},
      {replaced(good, "utilization_fraction: {value: 0.7", "utilization_fraction: {value: 1.7"), "not a fraction"},
      {replaced(good, "  utilization_fraction:", "  utilization_percent:"), "unit 'percent' not accepted"},
      {replaced(good, "  logic_wake_ns:", "  logic_wake_us:"), "unit 'us' not accepted"},
      {replaced(good, "area_mm2: 0.02627}", "area_um2: 26270}"), "area_um2"},
      {replaced(good, "area_mm2: 0.02627}", "area_mm2: 0}"), "must be > 0"},
      {replaced(good, "logic:\n", "logik:\n"), "logik"},
      {replaced(good, "{value: 20, source: \"[J] rush", "{value: 20, sauce: \"[J] rush"), "sauce"},
      {replaced(good, "wake_pj_per_nand2: {value: 0.0026, source: \"[D] recharging",
                "wake_pj_per_nand2: {value: 0.0026, source: \"\", x: \"[D] recharging"), "wake_pj_per_nand2"},
      {good + "extra: 1\n", "extra"},
      {"node: [", "bad.yaml"},
  };
  for (const auto& [text, needle] : cases) {
    try {
      parse_area_table(text, "bad.yaml", rtl);
      ADD_FAILURE() << "accepted a table that should fail with: " << needle;
    } catch (const ConfigError& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find(needle), std::string::npos) << msg;
      EXPECT_EQ(msg.find('\n'), std::string::npos) << "not one line: " << msg;
      EXPECT_EQ(msg.rfind("bad.yaml", 0), 0u) << msg;
    }
  }
  // A missing source on an entry without a group source.
  const std::string no_src = replaced(good, "{value: 20, source: \"[J] rush-current-limited ramp of a small logic domain (one PE column); fine-grain domains wake in tens of ns, coarse ones in microseconds [R]; the SRAM banks use the energy table's sram.*_wake entries\"}", "20");
  EXPECT_THROW(parse_area_table(no_src, "bad.yaml", rtl), ConfigError);
  EXPECT_THROW(load_area_table("7nm"), InputError);
}

TEST(RtlGates, MissingModuleOrUnknownCellIsAConfigError) {
  const std::string good = read_text(std::string(RCSIM_SOURCE_DIR) + "/energy_models/synthesis/rtl_gates.yaml");
  ASSERT_NO_THROW(parse_rtl_gates(good, "g.yaml"));
  std::string no_pe = good;
  no_pe.replace(no_pe.find("  pe_int8:"), std::string("  pe_int8:").size(), "  pe_int9:");
  EXPECT_THROW(parse_rtl_gates(no_pe, "g.yaml"), ConfigError);
  std::string bad_cell = good;
  bad_cell.replace(bad_cell.find("AND2: 52"), 8, "FOO2: 52");
  EXPECT_THROW(parse_rtl_gates(bad_cell, "g.yaml"), ConfigError);
}
