// Width truncation works as hardware: cycles, MACs and weight-SRAM reads fall as k falls; banks
// of inactive groups are never read and sit in the arch's gating state; power-gated arrays
// stream non-resident weights from DRAM.
#include <gtest/gtest.h>

#include <numeric>

#include "mapper/weight_layout.h"
#include "support/accel_test_util.h"

namespace rcsim {
namespace {

std::int64_t sum(const std::vector<std::int64_t>& v) { return std::accumulate(v.begin(), v.end(), std::int64_t(0)); }

void check_truncation(const char* net_name, const std::vector<std::string>& sets) {
  const QuantizedNetwork qn = random_quantized_network(load_network(net_name), 8, 11);
  const ArchParams arch = test::arch_with(sets);
  AccelOptions opts;
  opts.mode = ExecMode::Fast;
  AcceleratorSim sim(qn, arch, opts);
  const auto image = test::random_image(qn, 12);
  const WeightLayout layout(qn.net, arch);
  std::int64_t prev_cycles = 0, prev_macs = 0, prev_reads = 0;
  for (int k = 1; k <= qn.net.width_groups; ++k) {
    const InferenceRun run = sim.run({image}, k).at(0);
    std::int64_t reads = 0;
    for (const LayerRun& l : run.layers) {
      reads += sum(l.counters.wsram_reads);
      for (int b = 0; b < layout.banks(); ++b) {
        const bool active = layout.bank_group(b) <= k;
        if (!active) EXPECT_EQ(l.counters.wsram_reads[b], 0) << l.counters.layer << " bank " << b << " k=" << k;
        EXPECT_EQ(l.counters.bank_active_cycles[b], active ? l.counters.cycles : 0);
        const std::int64_t parked = active ? 0 : l.counters.cycles;
        EXPECT_EQ(l.counters.bank_retention_cycles[b] + l.counters.bank_off_cycles[b], parked);
        EXPECT_EQ(arch.gating == BankGating::Off ? l.counters.bank_retention_cycles[b] : l.counters.bank_off_cycles[b], 0);
      }
      // Energy bookkeeping: every PE-cycle is active, idle or gated.
      EXPECT_EQ(l.counters.pe_active_cycles + l.counters.pe_idle_cycles + l.counters.pe_gated_cycles,
                std::int64_t(arch.rows) * arch.cols * l.counters.cycles);
    }
    EXPECT_EQ(run.macs, qn.net.total_macs(k));
    EXPECT_GT(run.cycles, prev_cycles) << "k=" << k;
    EXPECT_GT(run.macs, prev_macs) << "k=" << k;
    EXPECT_GT(reads, prev_reads) << "k=" << k;
    prev_cycles = run.cycles, prev_macs = run.macs, prev_reads = reads;
  }
}

TEST(WidthTruncation, LenetDefaultArch) { check_truncation("mnist_lenet", {}); }
TEST(WidthTruncation, CifarOutputStationary) { check_truncation("cifar10_quick", {"array.dataflow=os"}); }
TEST(WidthTruncation, SvhnPowerGatedSmallArray) {
  check_truncation("svhn", {"array.rows=4", "weight_sram.gating=off"});
}

TEST(WidthTruncation, NonResidentWeightsComeFromDram) {
  const QuantizedNetwork qn = random_quantized_network(load_network("mnist_lenet"), 8, 11);
  const ArchParams arch = test::arch_with({"weight_sram.size_bytes=65536"});
  AccelOptions opts;
  opts.mode = ExecMode::Fast;
  AcceleratorSim sim(qn, arch, opts);
  const InferenceRun run = sim.run({test::random_image(qn, 1)}, 4).at(0);
  const LayerCounters& fc1 = run.layers[4].counters;
  const WeightLayout layout(qn.net, arch);
  EXPECT_GT(fc1.dram_read_bytes, 0);
  EXPECT_EQ(fc1.dram_read_bytes, layout.dram_bytes(4, 4));  // one row tile: fetched once
  EXPECT_GT(fc1.dram_stall_cycles, 0);  // its first weight tile is not hidden behind compute
  EXPECT_EQ(sum(fc1.wsram_writes) * arch.wsram_word_bits / 8, fc1.dram_read_bytes);
  EXPECT_EQ(run.layers[0].counters.dram_read_bytes, 28 * 28);  // the image
}

}  // namespace
}  // namespace rcsim

namespace rcsim {
namespace {

// A 32-column fold row of int8 weights is 256 bits: with 128-bit bank words one bank delivers it
// in two cycles, so every used preload row stalls once; with 256-bit words nothing stalls.
TEST(BankConflicts, NarrowWordsStallThePreload) {
  const QuantizedNetwork qn = random_quantized_network(load_network("mnist_lenet"), 8, 11);
  const auto image = test::random_image(qn, 1);
  AccelOptions opts;
  opts.mode = ExecMode::Fast;
  AcceleratorSim narrow(qn, test::arch_with({"array.rows=32", "array.cols=32", "weight_sram.word_bits=128"}), opts);
  AcceleratorSim wide(qn, test::arch_with({"array.rows=32", "array.cols=32", "weight_sram.word_bits=256"}), opts);
  const InferenceRun a = narrow.run({image}, 4).at(0), b = wide.run({image}, 4).at(0);
  // fc1's 32-column rows lie inside one width group (125 outputs each), i.e. in one bank.
  std::int64_t stalls = 0;
  for (const LayerRun& l : a.layers) stalls += l.counters.bank_conflict_stalls;
  EXPECT_GT(a.layers[4].counters.bank_conflict_stalls, 0);
  EXPECT_GT(stalls, 0);
  for (const LayerRun& l : b.layers) EXPECT_EQ(l.counters.bank_conflict_stalls, 0) << l.counters.layer;
  EXPECT_GT(a.cycles, b.cycles);
  for (std::size_t i = 0; i < a.layers.size(); ++i) EXPECT_EQ(a.layers[i].output, b.layers[i].output);
}

}  // namespace
}  // namespace rcsim
