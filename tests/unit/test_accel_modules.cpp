// The accelerator's SystemC structure (accel/accelerator_top.h): the module tree exists under the
// names docs/accelerator.md gives, the DRAM module's completions are the sim/dram model's (a DMA
// transfer completes at the model's last data beat, converted to the accelerator clock), and a
// whole run advances SystemC time by exactly the cycles it reports (overlapped timing, where the
// report is a count), in both execution modes — DRAM stalls included.
#include <gtest/gtest.h>

#include <systemc>

#include "accel/accelerator.h"
#include "accel/dram.h"
#include "core/network_yaml.h"
#include "core/quantized_network.h"
#include "core/arch_params.h"
#include "dram/clock_ratio.h"
#include "dram/dram_controller.h"

namespace rcsim {
namespace {

TEST(AccelModules, TreeAndChannelsAreElaborated) {
  const Network net = load_network("mnist_lenet");
  const ArchParams arch = load_arch("default");
  const QuantizedNetwork qn = random_quantized_network(net, arch.precision, 1);
  AccelOptions o;
  o.mode = ExecMode::Fast;
  AcceleratorSim sim(qn, arch, o);
  for (const char* m : {"accel", "accel.controller", "accel.pe_array", "accel.weight_sram", "accel.act_buffer",
                        "accel.post_proc", "accel.dram"}) {
    sc_core::sc_object* obj = sc_core::sc_find_object(m);
    ASSERT_NE(obj, nullptr) << m;
    EXPECT_NE(dynamic_cast<sc_core::sc_module*>(obj), nullptr) << m;
  }
}

TEST(AccelModules, DramCompletionIsTheModelsLastDataBeat) {
  for (const char* type : {"lpddr4-3200", "ddr4-3200"}) {
    const ArchParams arch = load_arch("default", {std::string("dram.type=") + type, "clock_hz=7e8"});
    Dram d("dram_under_test");
    d.configure(arch);
    d.begin_image();
    // Two transfers at cycle 100 (a read of 1000 bytes, a write of 200), a read at cycle 5000.
    const DmaTicket a = d.issue({{0, 1000, false}, {1 << 20, 200, true}}, 100);
    const std::int64_t done_a = d.completion(a, 100);
    const DmaTicket b = d.issue({{4096, 64, false}}, 5000);
    const std::int64_t done_b = d.completion(b, 5000);
    EXPECT_EQ(d.completion({}, 77), 77);  // nothing to move: no wait
    // The same requests on the model directly.
    const dram::DramConfig cfg = dram::load_dram_config(type);
    const dram::ClockRatio ratio(arch.clock_hz, cfg.timing.tck_ps);
    dram::DramController m(cfg);
    const auto r1 = m.submit_bytes(0, 1000, false, ratio.to_dram(100));
    const auto w1 = m.submit_bytes(1 << 20, 200, true, ratio.to_dram(100));
    dram::Cycle last = 0;
    for (std::int64_t i = 0; i < r1.second; ++i) last = std::max(last, m.wait_for(r1.first + dram::RequestId(i)));
    for (std::int64_t i = 0; i < w1.second; ++i) last = std::max(last, m.wait_for(w1.first + dram::RequestId(i)));
    EXPECT_EQ(done_a, ratio.to_accel(last)) << type;
    EXPECT_GT(done_a, 100) << type;
    const auto r2 = m.submit_bytes(4096, 64, false, ratio.to_dram(5000));
    EXPECT_EQ(done_b, ratio.to_accel(m.wait_for(r2.first))) << type;
    d.settle(20000);
    m.advance(ratio.to_dram(20000));
    EXPECT_TRUE(d.stats() == m.stats()) << type;
  }
}

/// One image's DRAM calls: the transfers of `variant` 1 differ from variant 0's from the third call
/// on; every result and the statistics after every call, as seen by the controller.
struct DramCallResults {
  std::vector<std::int64_t> values;
  std::vector<dram::DramStats> stats;
};
DramCallResults run_dram_calls(Dram& d, int variant) {
  DramCallResults r;
  d.begin_image();
  r.stats.push_back(d.stats());
  auto note = [&](std::int64_t v) {
    r.values.push_back(v);
    r.stats.push_back(d.stats());
  };
  const DmaTicket a = d.issue({{0, 1000, false}, {1 << 20, 200, true}}, 100);
  note(std::int64_t(a.size()));
  note(d.completion(a, 100));
  const DmaTicket b = d.issue({{4096, variant ? 640 : 64, false}}, variant ? 3000 : 5000);
  for (const auto& [id, n] : b) note(std::int64_t(id)), note(n);
  note(d.completion(b, 5000));
  d.settle(20000);
  note(0);
  return r;
}

TEST(AccelModules, DramMemoOfCallsGivesTheLiveModelsResults) {
  // The module records an image's calls and replays them for the next images while they are the
  // same (accel/dram.h); each image here is compared with a fresh module, which runs it live.
  const ArchParams arch = load_arch("default");
  Dram d("dram_with_memo");
  d.configure(arch);
  int fresh = 0;
  for (const int variant : {0, 0, 1, 1, 0}) {
    Dram live(("dram_live_" + std::to_string(fresh++)).c_str());
    live.configure(arch);
    const DramCallResults got = run_dram_calls(d, variant), want = run_dram_calls(live, variant);
    EXPECT_EQ(got.values, want.values) << "image " << fresh << ", variant " << variant;
    ASSERT_EQ(got.stats.size(), want.stats.size());
    for (std::size_t i = 0; i < got.stats.size(); ++i)
      EXPECT_TRUE(got.stats[i] == want.stats[i]) << "image " << fresh << ", after call " << i;
  }
}

// small4x16 streams the fc weights from DRAM every inference (docs/accelerator.md).
void expect_time_equals_cycles(ExecMode mode) {
  const Network net = load_network("mnist_lenet");
  const ArchParams arch = load_arch("small4x16");
  ASSERT_EQ(arch.timing, TimingMode::Overlapped);
  const QuantizedNetwork qn = random_quantized_network(net, arch.precision, 3);
  AccelOptions o;
  o.mode = mode;
  AcceleratorSim sim(qn, arch, o);
  const std::vector<std::int32_t> image(net.input.size(), 1);
  const sc_core::sc_time before = sc_core::sc_time_stamp();
  const InferenceRun r = sim.run({image}, net.width_groups).at(0);
  std::int64_t stalls = 0;
  for (const LayerRun& l : r.layers) stalls += l.counters.dram_stall_cycles;
  ASSERT_GT(stalls, 0) << "the image load and small4x16's streamed fc weights wait for DRAM";
  const sc_core::sc_time period(1.0 / arch.clock_hz, sc_core::SC_SEC);
  EXPECT_EQ(sc_core::sc_time_stamp() - before, period * double(r.cycles));
}

TEST(AccelModules, PerCycleRunAdvancesTimeByItsCyclesIncludingDramStalls) {
  expect_time_equals_cycles(ExecMode::PerCycle);
}
TEST(AccelModules, FastRunAdvancesTimeByItsCyclesIncludingDramStalls) { expect_time_equals_cycles(ExecMode::Fast); }

}  // namespace
}  // namespace rcsim
