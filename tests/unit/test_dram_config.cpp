// DRAM presets: every shipped preset loads with a source on every value; malformed presets give
// one-line ConfigErrors naming file and key; the address mapping follows DRAMsim3's notation;
// the accelerator <-> DRAM clock conversion is exact.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

#include "core/embedded_workloads.h"
#include "core/errors.h"
#include "dram/address_mapping.h"
#include "dram/clock_ratio.h"
#include "dram/dram_config.h"

using namespace rcsim;
using namespace rcsim::dram;

namespace {

std::string shipped(const std::string& name) {
  const std::string* t = embedded::find("dram/" + name + ".yaml");
  if (!t) throw InternalError("no embedded DRAM preset " + name);
  return *t;
}

std::string replace_once(std::string s, const std::string& from, const std::string& to) {
  const auto pos = s.find(from);
  if (pos == std::string::npos) throw InternalError("test text lacks '" + from + "'");
  return s.replace(pos, from.size(), to);
}

void expect_config_error(const std::string& text, const std::string& part) {
  try {
    parse_dram_config(text, "bad.yaml");
    ADD_FAILURE() << "no error; expected one containing: " << part;
  } catch (const ConfigError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind("bad.yaml", 0), 0u) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    EXPECT_NE(msg.find(part), std::string::npos) << msg;
  }
}

}  // namespace

TEST(DramConfig, EveryShippedPresetLoadsWithSources) {
  const auto names = builtin_dram_config_names();
  ASSERT_EQ(names, (std::vector<std::string>{"ddr4-3200", "lpddr4-3200"}));
  std::size_t rail_entries = 0, other_entries = 0;
  for (const auto& s : dram_schema()) (std::string(s.group) == "rail" ? rail_entries : other_entries)++;
  for (const auto& n : names) {
    const DramConfig c = load_dram_config(n);
    EXPECT_EQ(c.name, n);
    EXPECT_EQ(c.sources.size(), other_entries + rail_entries * c.rails.size()) << n;
    for (const auto& [key, source] : c.sources) {
      EXPECT_FALSE(source.empty()) << n << " " << key;
      EXPECT_EQ(source.front(), '[') << n << " " << key << ": source must start with a tag: " << source;
    }
  }
}

// --show lists every value once, in file order, with the source given in the file.
TEST(DramConfig, ValuesListCoversTheSchema) {
  for (const auto& n : builtin_dram_config_names()) {
    const DramConfig c = load_dram_config(n);
    const auto values = dram_config_values(c);
    EXPECT_EQ(values.size(), c.sources.size()) << n;
    for (const auto& v : values) {
      EXPECT_EQ(v.source, c.sources.at(v.key)) << v.key;
      EXPECT_FALSE(v.value.empty()) << v.key;
    }
  }
  const auto d = dram_config_values(load_dram_config("ddr4-3200"));
  EXPECT_EQ(d.front().key, "organization.channels");
  const auto trfc = std::find_if(d.begin(), d.end(), [](const ConfigValue& v) { return v.key == "timing.trfc_ck"; });
  ASSERT_NE(trfc, d.end());
  EXPECT_EQ(trfc->value, "560");
  const auto vpp = std::find_if(d.begin(), d.end(), [](const ConfigValue& v) { return v.key == "power.vpp.voltage_v"; });
  ASSERT_NE(vpp, d.end());
  EXPECT_EQ(vpp->value, "2.5");
}

TEST(DramConfig, PresetValuesAndPeakBandwidth) {
  const DramConfig d = load_dram_config("ddr4-3200");
  EXPECT_EQ(d.org.bytes_per_burst(), 64);
  EXPECT_EQ(d.org.capacity_bytes(), 4LL << 30);
  EXPECT_EQ(d.timing.tck_ps, 625);
  EXPECT_EQ(d.timing.trc, d.timing.tras + d.timing.trp);
  EXPECT_DOUBLE_EQ(d.peak_bytes_per_s(), 25.6e9);  // 3200 MT/s x 8 B
  ASSERT_EQ(d.rails.size(), 2u);
  EXPECT_EQ(d.rails[0].name, "vdd");
  EXPECT_EQ(d.rails[1].name, "vpp");
  const DramConfig l = load_dram_config("lpddr4-3200");
  EXPECT_EQ(l.org.bytes_per_burst(), 32);
  EXPECT_DOUBLE_EQ(l.peak_bytes_per_s(), 12.8e9);  // 2 channels x 3200 MT/s x 2 B
  EXPECT_EQ(l.timing.trc, l.timing.tras + l.timing.trp);
}

TEST(DramConfig, UnknownPresetIsAnInputError) {
  try {
    load_dram_config("ddr9");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("ddr4-3200"), std::string::npos) << e.what();
  }
}

TEST(DramConfig, MalformedPresetsAreOneLineErrors) {
  const std::string ok = shipped("ddr4-3200");
  expect_config_error(replace_once(ok, "  trcd_ck:", "  trcd_ns:"), "timing.trcd_ns: unit 'ns' not accepted (expected 'trcd_ck')");
  expect_config_error(replace_once(ok, "  trcd_ck:", "  tRCD:"), "tRCD");
  expect_config_error(replace_once(ok, "  trcd_ck: {value: 22, source: \"[P] tRCD 13.75 ns [R] = 22 tCK (R2 nRCD = 22; D3 tRCD = 22)\"}\n", ""),
                      "timing.trcd_ck: missing required entry");
  expect_config_error(replace_once(ok, "  trcd_ck: {value: 22, source: \"[P] tRCD 13.75 ns [R] = 22 tCK (R2 nRCD = 22; D3 tRCD = 22)\"}",
                                   "  trcd_ck: 22"),
                      "timing.trcd_ck: no source");
  expect_config_error(replace_once(ok, "rows: {value: 65536", "rows: {value: 60000"), "organization.rows: 60000 is not a positive power of two");
  expect_config_error(replace_once(ok, "trcd_ck: {value: 22", "trcd_ck: {value: 2.5"), "timing.trcd_ck: 2.5 is not a positive integer");
  expect_config_error(replace_once(ok, "idd0_ma: {value: 95", "idd0_ma: {value: 50"), "power.vdd.idd0_ma (50 mA) is below idd3n_ma (56 mA)");
  expect_config_error(replace_once(ok, "idd2p_ma: {value: 25", "idd2p_ma: {value: -1"), "power.vdd.idd2p_ma: negative current");
  expect_config_error(replace_once(ok, "rorabacobgch", "rorabacobgcx"), "controller.address_mapping: 'rorabacobgcx': unknown field 'cx'");
  expect_config_error(replace_once(ok, "rorabacobgch", "rorabacobgco"), "field 'co' appears twice");
  expect_config_error(replace_once(ok, "page_policy: open", "page_policy: lazy"), "controller.page_policy: 'lazy' is not one of open, closed");
  expect_config_error(replace_once(ok, "trfc_ck: {value: 560", "trfc_ck: {value: 20000"), "trfc_ck (20000) must be < trefi_ck");
  expect_config_error(replace_once(ok, "\ncontroller:", "\nspeed: 3200\ncontroller:"), "speed");
  expect_config_error("name: x\nstandard: DDR4\norganization: {}\n", "organization.channels: missing required entry");
  expect_config_error(ok.substr(0, ok.find("\npower:")) + "\n", "controller: missing required section");
  expect_config_error("name: [", "bad.yaml:");
}

TEST(DramConfig, GroupSourceCoversPlainValues) {
  const DramConfig c = load_dram_config("ddr4-3200");
  EXPECT_EQ(c.sources.at("controller.page_policy"), "[J] controller policy, not a device property; see docs/dram.md");
  EXPECT_EQ(c.controller.page_policy, PagePolicy::Open);
  EXPECT_EQ(c.controller.scheduler, Scheduler::FrFcfs);
}

TEST(AddressMapping, FieldsFollowDramsim3Notation) {
  const DramConfig c = load_dram_config("ddr4-3200");
  // DRAMsim3's default "rochrababgco" on 8Gb x16 x4 (64 B bursts): 6 offset bits, then column
  // (1024 / 8 = 128 bursts: 7 bits), bank group (1), bank (2), rank (0), channel (0), row (16).
  const AddressMapping m("rochrababgco", c.org);
  const std::uint64_t a = (std::uint64_t(12345) << 16) | (3u << 14) | (1u << 13) | (77u << 6) | 5u;
  const DramAddress d = m.decode(a);
  EXPECT_EQ(d.row, 12345);
  EXPECT_EQ(d.bank, 3);
  EXPECT_EQ(d.bank_group, 1);
  EXPECT_EQ(d.column, 77);
  EXPECT_EQ(d.channel, 0);
  EXPECT_EQ(d.rank, 0);
  EXPECT_EQ(m.encode(d), a & ~std::uint64_t(63));
  // The preset's mapping puts the bank group lowest: consecutive bursts alternate groups.
  const AddressMapping p(c.controller.address_mapping, c.org);
  EXPECT_EQ(p.decode(0).bank_group, 0);
  EXPECT_EQ(p.decode(64).bank_group, 1);
  EXPECT_EQ(p.decode(128).column, 1);
  EXPECT_EQ(p.decode(128).bank_group, 0);
  EXPECT_EQ(p.decode(128 * 128).bank, 1);
  EXPECT_EQ(p.decode(128 * 128 * 4).row, 1);
  // Bits above the capacity are ignored.
  EXPECT_EQ(p.decode(std::uint64_t(c.org.capacity_bytes()) + 64), p.decode(64));
}

TEST(AddressMapping, EncodeInvertsDecode) {
  for (const auto& n : builtin_dram_config_names()) {
    const DramConfig c = load_dram_config(n);
    const AddressMapping m(c.controller.address_mapping, c.org);
    std::mt19937_64 rng(3);
    std::uniform_int_distribution<std::uint64_t> pick(0, std::uint64_t(c.org.capacity_bytes()) - 1);
    for (int i = 0; i < 1000; ++i) {
      const std::uint64_t a = pick(rng);
      const DramAddress d = m.decode(a);
      EXPECT_EQ(m.encode(d), a / std::uint64_t(c.org.bytes_per_burst()) * std::uint64_t(c.org.bytes_per_burst()));
      EXPECT_LT(d.channel, c.org.channels);
      EXPECT_LT(d.row, c.org.rows);
      EXPECT_LT(d.column, c.org.columns / c.org.burst_length);
    }
  }
}

TEST(ClockRatio, ExactBothWays) {
  const ClockRatio g(1e9, 625);  // 1 GHz accelerator, DDR4-3200
  EXPECT_EQ(g.to_dram(0), 0);
  EXPECT_EQ(g.to_dram(1), 2);   // 1000 ps -> first DRAM edge at or after: 1250 ps
  EXPECT_EQ(g.to_dram(5), 8);   // 5000 ps = 8 x 625 exactly
  EXPECT_EQ(g.to_accel(8), 5);
  EXPECT_EQ(g.to_accel(9), 6);  // 5625 ps -> 6000 ps
  const ClockRatio t(300e6, 625);  // 3333.33... ps: not an integer number of ps
  EXPECT_EQ(t.to_dram(3), 16);     // 10 ns = 16 x 625 ps exactly
  EXPECT_EQ(t.to_dram(1), 6);      // 3333.3 ps -> 3750 ps
  EXPECT_EQ(t.to_accel(16), 3);
  EXPECT_EQ(t.to_accel(17), 4);
  // Round trip never goes back in time, for large counts too (128-bit intermediate).
  for (std::int64_t c : {1LL, 7LL, 123456789LL, 1LL << 40}) {
    EXPECT_GE(t.to_accel(t.to_dram(c)), c);
    EXPECT_LE(t.to_accel(t.to_dram(c)), c + 1);
  }
  EXPECT_THROW(ClockRatio(1.5e9 + 0.5, 625), ConfigError);
  EXPECT_THROW(ClockRatio(0, 625), ConfigError);
}
