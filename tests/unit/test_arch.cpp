// Architecture YAML: defaults, --set overrides, and one-line errors naming the field.
#include <gtest/gtest.h>

#include "core/errors.h"
#include "core/arch_params.h"

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

TEST(Arch, UnknownShippedNameOrMissingFile) {
  EXPECT_THROW(load_arch("no_such_arch"), ConfigError);
  EXPECT_THROW(load_arch("/nonexistent/dir/arch.yaml"), ConfigError);
}

}  // namespace
}  // namespace rcsim
