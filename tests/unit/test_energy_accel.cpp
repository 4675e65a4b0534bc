// The energy model on real accelerator counters (fast mode, random weights): the counters meet
// the energy model's contract (per-bank states cover every cycle), and energy per inference grows
// with width under both gating policies; `rcsim run --json` carries the energy fields.
#include <gtest/gtest.h>

#include "accel/accelerator.h"
#include "accel/run_report.h"
#include "core/network_yaml.h"
#include "core/quantized_network.h"
#include "energy/arch_energy.h"
#include "energy/counter_charges.h"
#include "energy/energy_accounting.h"
#include "core/arch_params.h"
#include "eval/eval_json.h"
#include "eval/run_energy.h"

using namespace rcsim;

namespace {

void expect_energy_grows_with_width(const std::string& gating) {
  const Network net = load_network("mnist_lenet");
  const ArchParams arch = load_arch("default", {"weight_sram.gating=" + gating});
  const QuantizedNetwork qn = random_quantized_network(net, arch.precision, 1);
  AccelOptions opts;
  opts.mode = ExecMode::Fast;
  AcceleratorSim sim(qn, arch, opts);
  const energy::EnergyHardware hw = energy::energy_hardware_of(arch);
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

TEST(EnergyOfAccelerator, RunJsonCarriesTheEnergyReport) {
  const Network net = load_network("mnist_lenet");
  const ArchParams arch = load_arch("default");
  const QuantizedNetwork qn = random_quantized_network(net, arch.precision, 1);
  AccelOptions opts;
  opts.mode = ExecMode::Fast;
  AcceleratorSim sim(qn, arch, opts);
  const InferenceRun run = sim.run({std::vector<std::int32_t>(std::size_t(net.input.size()), 0)}, 2).front();
  const energy::EnergyReport e = eval::energy_of_run(arch, run);
  RunInfo info;
  info.network = net.name;
  info.width = 2;
  nlohmann::json j = run_to_json(info, arch, net, run);
  eval::add_energy_to_json(e, j);
  EXPECT_EQ(j["energy_j"].get<double>(), e.energy_j);
  EXPECT_EQ(j["edp_js"].get<double>(), e.edp_js);
  EXPECT_EQ(j["energy_by_component_j"].size(), energy::component_names().size());
  ASSERT_EQ(j["layers"].size(), run.layers.size());
  double layers = 0;
  for (const auto& l : j["layers"]) layers += l["energy_j"].get<double>();
  EXPECT_NEAR(layers, e.energy_j, 1e-18);
  EXPECT_EQ(j["energy_table"]["node"], arch.technology);
}
