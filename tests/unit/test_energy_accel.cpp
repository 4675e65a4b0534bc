// The energy model on real accelerator counters (fast mode, random weights): the counters meet
// the energy model's contract (per-bank states cover every cycle), and energy per inference grows
// with width under both gating policies. Built only when rcsim_accel exists.
#include <gtest/gtest.h>

#include "accel/accelerator.h"
#include "core/network_yaml.h"
#include "core/quantized_network.h"
#include "energy/energy_accounting.h"
#include "mapper/arch_params.h"

using namespace rcsim;

namespace {

// The energy model's view of an arch (the same assignments as sweep::energy_hardware).
energy::EnergyHardware hardware_of(const ArchParams& a) {
  energy::EnergyHardware hw;
  hw.array_rows = a.rows;
  hw.array_cols = a.cols;
  hw.precision_bits = a.precision;
  hw.clock_hz = a.clock_hz;
  hw.wsram_banks = a.wsram_banks;
  hw.wsram_bank_bytes = a.wsram_bytes / a.wsram_banks;
  hw.wsram_word_bits = a.wsram_word_bits;
  hw.act_buffers = 2;
  hw.act_buffer_bytes = a.act_bytes / 2;
  hw.act_word_bits = a.act_word_bits;
  hw.dram_bytes_per_cycle = a.dram_bytes_per_cycle;
  hw.tech = a.technology;
  hw.gating = a.gating == BankGating::Off ? energy::GatingPolicy::Off : energy::GatingPolicy::Retention;
  return hw;
}

void expect_energy_grows_with_width(const std::string& gating) {
  const Network net = load_network("mnist_lenet");
  const ArchParams arch = load_arch("default", {"weight_sram.gating=" + gating});
  const QuantizedNetwork qn = random_quantized_network(net, arch.precision, 1);
  AccelOptions opts;
  opts.mode = ExecMode::Fast;
  AcceleratorSim sim(qn, arch, opts);
  const energy::EnergyHardware hw = hardware_of(arch);
  const energy::EnergyTable t = energy::load_energy_table(hw.tech);
  const std::vector<std::int32_t> image(std::size_t(net.input.size()), 0);
  double prev = 0;
  for (int k = 1; k <= net.width_groups; ++k) {
    const InferenceRun run = sim.run({image}, k).front();
    std::vector<LayerCounters> counters;
    for (const auto& l : run.layers) counters.push_back(l.counters);
    const energy::EnergyReport r = energy::account_energy(t, hw, counters);  // throws if the contract breaks
    EXPECT_EQ(r.cycles, run.cycles);
    EXPECT_GT(r.energy_j, prev) << "width " << k << ", gating " << gating;
    for (const auto& [name, e] : r.components) {
      EXPECT_GE(e.dynamic_j, 0) << name;
      EXPECT_GE(e.static_j, 0) << name;
    }
    prev = r.energy_j;
  }
}

}  // namespace

TEST(EnergyOfAccelerator, LenetEnergyGrowsWithWidthRetention) { expect_energy_grows_with_width("retention"); }
TEST(EnergyOfAccelerator, LenetEnergyGrowsWithWidthOff) { expect_energy_grows_with_width("off"); }
