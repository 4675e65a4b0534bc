// Architecture YAML: defaults, --set overrides, and one-line errors naming the field.
#include <gtest/gtest.h>

#include <set>

#include "core/arch_fields.h"
#include "core/arch_params.h"
#include "core/embedded_workloads.h"
#include "core/errors.h"
#include "core/yaml_util.h"

namespace rcsim {
namespace {

std::string config_error(const std::string& yaml, const std::vector<std::string>& sets = {}) {
  try {
    parse_arch(yaml, "t.yaml", sets);
  } catch (const ConfigError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << "multi-line: " << msg;
    return msg;
  }
  ADD_FAILURE() << "no ConfigError for: " << yaml;
  return "";
}

TEST(Arch, ShippedDefaultIs16x16WsOverlappedInt8) {
  const ArchParams a = load_arch("default");
  EXPECT_EQ(a.rows, 16);
  EXPECT_EQ(a.cols, 16);
  EXPECT_EQ(a.dataflow, Dataflow::WS);
  EXPECT_EQ(a.timing, TimingMode::Overlapped);
  EXPECT_EQ(a.precision, 8);
  for (const char* n : {"scalesim16", "os16", "small4x16", "big32"}) EXPECT_NO_THROW(load_arch(n)) << n;
}

TEST(Arch, SetOverridesAnyField) {
  const ArchParams a = load_arch("default", {"array.rows=8", "array.dataflow=os", "timing=scalesim",
                                             "weight_sram.gating=off", "dram.latency_cycles=7"});
  EXPECT_EQ(a.rows, 8);
  EXPECT_EQ(a.cols, 16);
  EXPECT_EQ(a.dataflow, Dataflow::OS);
  EXPECT_EQ(a.timing, TimingMode::ScaleSim);
  EXPECT_EQ(a.gating, BankGating::Off);
  EXPECT_EQ(a.dram_latency_cycles, 7);
}

TEST(Arch, ErrorsNameTheField) {
  EXPECT_NE(config_error("array: {rows: 0}").find("array.rows"), std::string::npos);
  EXPECT_NE(config_error("array: {dataflow: rs}").find("array.dataflow"), std::string::npos);
  EXPECT_NE(config_error("timing: exact").find("timing"), std::string::npos);
  EXPECT_NE(config_error("array: {rows: 16, cols: 16}\nweight_sram: {size_bytes: 100}").find("weight_sram.size_bytes"),
            std::string::npos);
  EXPECT_NE(config_error("precision: 4").find("precision"), std::string::npos);
  EXPECT_NE(config_error("array: {rows: many}").find("array.rows"), std::string::npos);
  EXPECT_NE(config_error("weight_sram: {gating: sleepy}").find("weight_sram.gating"), std::string::npos);
  EXPECT_NE(config_error("dram: {bandwidth_bytes_per_cycle: 0}").find("dram.bandwidth_bytes_per_cycle"), std::string::npos);
  EXPECT_NE(config_error("array: {dataflow: is}").find("array.dataflow"), std::string::npos);  // is: scalesim only
  const std::string unknown = config_error("array: {rowz: 4}");
  EXPECT_NE(unknown.find("array.rowz"), std::string::npos) << unknown;
  EXPECT_NE(config_error("array: [1, 2").find("t.yaml"), std::string::npos);  // malformed YAML
}

TEST(Arch, SetErrors) {
  EXPECT_NE(config_error("", {"array.rows"}).find("path=value"), std::string::npos);
  EXPECT_NE(config_error("", {"array.depth=3"}).find("array.depth"), std::string::npos);
  EXPECT_NE(config_error("", {"array.rows=0"}).find("array.rows"), std::string::npos);
}

// The struct's defaults are declared once (RCSIM_ARCH_FIELDS) and must be the shipped default.
TEST(Arch, DefaultsAreTheShippedDefaultYaml) {
  const ArchParams shipped = load_arch("default");
  const ArchParams defaults;
  for (const auto& f : arch_fields()) EXPECT_EQ(f.text(defaults), f.text(shipped)) << f.path;
  EXPECT_TRUE(defaults == shipped);
  EXPECT_EQ(defaults.wsram_bytes, 1024 * 1024);
  EXPECT_TRUE(parse_arch("", "empty.yaml") == defaults);  // an empty file is the default arch
  // default.yaml spells out every field (equal because omitted would prove nothing).
  const std::string* text = embedded::find("arch/default.yaml");
  ASSERT_NE(text, nullptr);
  const YAML::Node root = yaml::parse(*text, "default.yaml");
  for (const auto& f : arch_fields()) {
    const std::string path = f.path;
    const auto dot = path.find('.');
    const YAML::Node top = root[path.substr(0, dot)];
    const bool has = dot == std::string::npos ? top.IsDefined() && top.IsScalar()
                                              : top.IsDefined() && top.IsMap() && top[path.substr(dot + 1)].IsDefined();
    EXPECT_TRUE(has) << "workloads/arch/default.yaml lacks " << path;
  }
}

TEST(Arch, FieldTableFollowsTheDeclaration) {
  std::set<std::string> paths;
  for (const auto& f : arch_fields()) {
    EXPECT_TRUE(paths.insert(f.path).second) << "declared twice: " << f.path;
    EXPECT_FALSE(std::string(f.description).empty()) << f.path;
    EXPECT_EQ(f.choices.empty(), f.type != ArchFieldType::Choice) << f.path;
    EXPECT_EQ(find_arch_field(f.path), &f);
  }
  for (const auto& r : arch_cross_rules()) EXPECT_NE(find_arch_field(r.path), nullptr) << r.path;
  EXPECT_EQ(find_arch_field("array.depth"), nullptr);
  // The shipped archs use every field, and YAML and --set read each the same way.
  for (const char* name : {"default", "scalesim16", "os16", "small4x16", "big32"}) {
    const ArchParams a = load_arch(name);
    std::vector<std::string> sets;
    for (const auto& f : arch_fields()) sets.push_back(std::string(f.path) + "=" + f.text(a));
    EXPECT_TRUE(parse_arch("", "t.yaml", sets) == a) << name;
    for (const auto& f : arch_fields()) {  // canonical text reads back to itself
      ArchParams b;
      f.read(b, f.text(a), "t.yaml");
      EXPECT_EQ(f.text(b), f.text(a)) << f.path;
    }
  }
}

TEST(Arch, SizesAcceptUnitsInYamlAndSet) {
  EXPECT_EQ(parse_arch("weight_sram: {size_bytes: 128KiB}", "t.yaml").wsram_bytes, 128 * 1024);
  EXPECT_EQ(parse_arch("weight_sram: {size_bytes: 1MiB}", "t.yaml").wsram_bytes, 1024 * 1024);
  EXPECT_EQ(parse_arch("weight_sram: {size_bytes: 64K}", "t.yaml").wsram_bytes, 64 * 1024);
  EXPECT_EQ(parse_arch("weight_sram: {size_bytes: 65536}", "t.yaml").wsram_bytes, 65536);
  EXPECT_EQ(parse_arch("act_buffer: {size_bytes: 1 MiB}", "t.yaml").act_bytes, 1024 * 1024);
  EXPECT_EQ(load_arch("default", {"weight_sram.size_bytes=256KiB"}).wsram_bytes, 256 * 1024);
  EXPECT_EQ(load_arch("default", {"act_buffer.size_bytes=64K"}).act_bytes, 64 * 1024);
  EXPECT_EQ(parse_arch("weight_sram: {size_bytes: 2.0e6}", "t.yaml").wsram_bytes, 2000000);
}

TEST(Arch, BadValuesAreOneLineErrorsNamingTheField) {
  for (const char* v : {"-5", ".nan", ".inf", "nan", "1e30", "99999999999999999999", "1MB", "100.5", "lots", "[1]", "~"})
    EXPECT_NE(config_error(std::string("weight_sram: {size_bytes: ") + v + "}").find("t.yaml: weight_sram.size_bytes: "),
              std::string::npos) << v;
  for (const char* v : {"-5", "nan", "inf", "1e30", "99999999999999999999", "1MB", "100.5", "lots", ""})
    EXPECT_NE(config_error("", {std::string("weight_sram.size_bytes=") + v}).find("weight_sram.size_bytes: "),
              std::string::npos) << v;
  for (const char* v : {"1e30", ".nan", ".inf", "16.5", "0x10", "99999999999", "[16]"})
    EXPECT_NE(config_error(std::string("array: {rows: ") + v + "}").find("t.yaml: array.rows: "), std::string::npos) << v;
  for (const char* v : {".nan", ".inf", "-.inf", "1e400", "fast"})
    EXPECT_NE(config_error(std::string("clock_hz: ") + v).find("t.yaml: clock_hz: "), std::string::npos) << v;
  EXPECT_NE(config_error("clock_hz: 0").find("clock_hz: must be in 1000..1000000000000 (got 0)"), std::string::npos);
  EXPECT_NE(config_error("dram: {latency_cycles: -1}").find("dram.latency_cycles: must not be negative"), std::string::npos);
  EXPECT_NE(config_error("act_buffer: {word_bits: 12}").find("act_buffer.word_bits: must be a positive multiple of 8 (got 12)"),
            std::string::npos);
  EXPECT_NE(config_error("weight_sram: {word_bits: 12}").find("weight_sram.word_bits: must be a positive multiple of the precision"),
            std::string::npos);
  EXPECT_NE(config_error("", {"array.rows=0"}).find("array.rows: must be in 1..1024 (got 0)"), std::string::npos);
  EXPECT_NE(config_error("", {"array.rowz=3"}).find("did you mean 'array.rows'?"), std::string::npos);
  EXPECT_NE(config_error("array: 5", {"array.rows=3"}).find("t.yaml: array: expected a map"), std::string::npos);
}

TEST(Arch, DuplicateKeysAreErrorsNamingTheKey) {
  EXPECT_NE(config_error("array: {rows: 8, rows: 16}").find("t.yaml: array.rows: duplicate key"), std::string::npos);
  EXPECT_NE(config_error("name: a\nprecision: 8\nname: b\n").find("t.yaml: name: duplicate key (at 1:1 and 3:1)"),
            std::string::npos);
  EXPECT_NE(config_error("array: {rows: 8}\narray: {cols: 8}\n").find("t.yaml: array: duplicate key"), std::string::npos);
}

TEST(Arch, UnknownShippedNameOrMissingFile) {
  EXPECT_THROW(load_arch("no_such_arch"), ConfigError);
  EXPECT_THROW(load_arch("/nonexistent/dir/arch.yaml"), ConfigError);
}

}  // namespace
// Hardening (issue 16): yaml-cpp exceptions never escape, duplicate keys are errors, absurd values
// are refused.
TEST(ArchHardening, MalformedTreesAreConfigErrors) {
  EXPECT_THROW(parse_arch("5\n", "a.yaml", {"array.rows=4"}), ConfigError);  // BadSubscript before
  EXPECT_THROW(parse_arch("[1, 2]\n", "a.yaml", {"array.rows=4"}), ConfigError);
  EXPECT_THROW(parse_arch("name: a\narray: 5\n", "a.yaml", {"array.rows=4"}), ConfigError);
  EXPECT_THROW(parse_arch("{a: 1}: 2\n", "a.yaml"), ConfigError);  // TypedBadConversion before
  EXPECT_THROW(parse_arch("name: a\nname: b\n", "a.yaml"), ConfigError);
  EXPECT_THROW(parse_arch("array: {rows: 4, rows: 8}\n", "a.yaml"), ConfigError);
}

TEST(ArchHardening, AbsurdNumbersAreRejected) {
  for (const char* set : {"clock_hz=1e-300", "clock_hz=nan", "clock_hz=inf", "clock_hz=1e300",
                          "dram.bandwidth_bytes_per_cycle=1e-300", "weight_sram.size_bytes=1e30",
                          "weight_sram.size_bytes=nan", "act_buffer.size_bytes=inf"})
    EXPECT_THROW(parse_arch("", "a.yaml", {set}), ConfigError) << set;
  EXPECT_EQ(parse_arch("", "a.yaml", {"clock_hz=5e8"}).clock_hz, 5e8);
}

TEST(ArchHardening, NonRegularFilesAreRefused) {
  EXPECT_THROW(load_arch("/dev/zero"), ConfigError);
  EXPECT_THROW(load_arch("/tmp"), ConfigError);
  EXPECT_THROW(yaml::load_file("/dev/zero"), ConfigError);
}

TEST(YamlHardening, AliasBombsAreRefused) {
  std::string doc = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  std::string prev = "a";
  for (const char* n : {"b", "c", "d", "e", "f", "g", "h"}) {
    doc += std::string(n) + ": &" + n + " [";
    for (int i = 0; i < 10; ++i) doc += (i ? ", *" : "*") + prev;
    doc += "]\n";
    prev = n;
  }
  EXPECT_THROW(yaml::parse(doc, "bomb.yaml"), ConfigError);
}

// Found by fuzz_network_yaml (tests/fuzz/corpus/network_yaml/crash_self_alias.yaml): an alias
// inside its own anchor is a cycle; walking it overflowed the stack.
TEST(YamlHardening, SelfReferentialAliasesAndDeepNestingAreRefused) {
  try {
    yaml::parse("a: &a [x, *a, *a]\nname: n\n", "cycle.yaml");
    FAIL() << "a cyclic document was accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("cycle.yaml: nested more than 100 levels deep"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(yaml::parse(std::string(150, '[') + std::string(150, ']'), "deep.yaml"), ConfigError);
  EXPECT_NO_THROW(yaml::parse(std::string(50, '[') + std::string(50, ']'), "ok.yaml"));
}

}  // namespace rcsim

