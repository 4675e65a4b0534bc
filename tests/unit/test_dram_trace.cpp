// Trace writers: each line has DRAMsim3's / Ramulator 2's trace syntax and reads back, the way
// those simulators parse it, to the submitted request.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>

#include "core/errors.h"
#include "dram/dram_controller.h"
#include "dram/dram_patterns.h"
#include "dram/dram_trace.h"

using namespace rcsim;
using namespace rcsim::dram;

namespace {

std::vector<DramRequest> write_trace(TraceFormat f, std::string& text) {
  const DramConfig c = load_dram_config("ddr4-3200");
  DramController ctrl(c);
  std::ostringstream out;
  TraceWriter w(out, f);
  ctrl.set_observer(&w);
  std::vector<DramRequest> reqs = make_pattern(Pattern::Random, 50, 64, c.org.capacity_bytes(), false, 7);
  for (std::size_t i = 0; i < reqs.size(); ++i) {
    reqs[i].is_write = i % 4 == 1;
    ctrl.submit(reqs[i]);
  }
  ctrl.submit_bytes(1000, 200, true, 400);  // 4 bursts: 960, 1024, 1088, 1152
  for (std::uint64_t a : {960u, 1024u, 1088u, 1152u}) reqs.push_back({a, true, 400});
  EXPECT_EQ(w.lines(), std::int64_t(reqs.size()));
  text = out.str();
  return reqs;
}

}  // namespace

// DRAMsim3 reads "<addr> <op> <cycle>" with `is >> std::hex >> addr >> op >> std::dec >> cycle`
// and treats WRITE as a write, anything else as a read (src/common.cc).
TEST(DramTrace, Dramsim3Format) {
  std::string text;
  const auto reqs = write_trace(TraceFormat::Dramsim3, text);
  std::istringstream in(text);
  std::string line;
  const std::regex syntax("0x[0-9A-F]+ (READ|WRITE) [0-9]+");
  std::size_t i = 0;
  while (std::getline(in, line)) {
    ASSERT_LT(i, reqs.size());
    EXPECT_TRUE(std::regex_match(line, syntax)) << line;
    std::istringstream ls(line);
    std::uint64_t addr = 0;
    std::string op;
    std::int64_t cycle = -1;
    ls >> std::hex >> addr >> op >> std::dec >> cycle;
    EXPECT_EQ(addr, reqs[i].addr) << line;
    EXPECT_EQ(op == "WRITE", reqs[i].is_write) << line;
    EXPECT_EQ(cycle, reqs[i].arrival) << line;
    ++i;
  }
  EXPECT_EQ(i, reqs.size());
  EXPECT_EQ(trace_line(TraceFormat::Dramsim3, {0x2000D5C0, false, 30}), "0x2000D5C0 READ 30");
}

// Ramulator 2's LoadStoreTrace: "LD|ST <addr>", the address decimal or 0x hex, parsed with stoll.
TEST(DramTrace, Ramulator2Format) {
  std::string text;
  const auto reqs = write_trace(TraceFormat::Ramulator2, text);
  std::istringstream in(text);
  std::string line;
  const std::regex syntax("(LD|ST) 0x[0-9A-F]+");
  std::size_t i = 0;
  while (std::getline(in, line)) {
    ASSERT_LT(i, reqs.size());
    EXPECT_TRUE(std::regex_match(line, syntax)) << line;
    const auto sp = line.find(' ');
    EXPECT_EQ(line.substr(0, sp) == "ST", reqs[i].is_write);
    EXPECT_EQ(std::uint64_t(std::stoll(line.substr(sp + 3), nullptr, 16)), reqs[i].addr);
    ++i;
  }
  EXPECT_EQ(i, reqs.size());
  EXPECT_EQ(trace_line(TraceFormat::Ramulator2, {4096, true, 0}), "ST 0x1000");
}

TEST(DramTrace, UnknownFormatIsAnInputError) {
  EXPECT_THROW(parse_trace_format("ramulator"), InputError);
  EXPECT_EQ(parse_trace_format("dramsim3"), TraceFormat::Dramsim3);
}
