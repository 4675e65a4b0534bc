#include "sweep/width_table_builder.h"


#include "accel/accelerator.h"
#include "core/errors.h"
#include "core/network_yaml.h"
#include "energy/arch_energy.h"
#include "energy/energy_accounting.h"
#include "energy/energy_table.h"
#include "energy/reconfig_cost.h"
#include "host/dataset.h"
#include "host/int_reference.h"
#include "host/weights_file.h"
#include "host/weights_source.h"
#include "mapper/weight_layout.h"

namespace rcsim::sweep {

QuantizedNetwork load_source_weights(const WidthTableSource& src, const Network& net, int precision) {
  return load_weights_spec(src.weights, net, precision, 1);
}

WidthTable build_width_table(const WidthTableSource& src) {
  const Network net = load_network(src.net);
  const ArchParams arch = load_arch(src.arch, src.sets);
  const QuantizedNetwork qn = load_source_weights(src, net, arch.precision);
  const energy::EnergyHardware hw = energy::energy_hardware_of(arch);
  const energy::EnergyTable etable = energy::load_energy_table(hw.tech);
  const int G = net.width_groups;

  // Accuracy per width from the integer reference (bit-identical to the accelerator).
  std::vector<double> accuracy(std::size_t(G), 0);
  std::vector<std::vector<std::int32_t>> first_image;
  if (src.weights != "random") {
    const std::string ds_name = src.dataset.empty() ? default_dataset(net.name) : src.dataset;
    const Dataset ds = load_dataset(ds_name, "", Split::Test).head(std::size_t(src.images));
    for (std::size_t i = 0; i < ds.size(); ++i) {
      const auto img = quantize_image(qn, ds.image(i));
      if (i == 0) first_image.push_back(img);
      for (int k = 1; k <= G; ++k)
        accuracy[std::size_t(k - 1)] += argmax(int_forward(qn, k, img).back()) == ds.labels[i];
    }
    for (auto& a : accuracy) a /= double(ds.size());
  } else {
    first_image.push_back(std::vector<std::int32_t>(std::size_t(net.input.size()), 0));
  }

  AccelOptions opts;
  opts.mode = ExecMode::Fast;
  // compute_outputs = false crashes in Controller::run_image (maxpool of an empty input) as of
  // commit 88b86d8; outputs in fast mode are cheap, so keep them on.
  opts.compute_outputs = true;
  AcceleratorSim sim(qn, arch, opts);
  WidthTable t;
  for (int k = 1; k <= G; ++k) {
    const InferenceRun run = sim.run(first_image, k).front();
    std::vector<LayerCounters> counters;
    for (const auto& l : run.layers) counters.push_back(l.counters);
    const energy::EnergyReport e = energy::account_energy(etable, hw, counters);
    t.widths.push_back({k, run.cycles, double(run.cycles) / arch.clock_hz, e.energy_j, e.avg_power_w,
                        accuracy[std::size_t(k - 1)]});
  }
  // Reconfiguration costs from the mapper's bank layout.
  const WeightLayout layout(net, arch);
  energy::WeightBankLayout banks = energy::group_bank_layout(net, hw);
  for (int b = 0; b < layout.banks() && b < int(banks.bank_group.size()); ++b) banks.bank_group[std::size_t(b)] = layout.bank_group(b);
  t.reconfig_j.assign(std::size_t(G), std::vector<double>(std::size_t(G), 0));
  t.reconfig_s.assign(std::size_t(G), std::vector<double>(std::size_t(G), 0));
  for (int a = 1; a <= G; ++a)
    for (int b = 1; b <= G; ++b) {
      const energy::ReconfigCost c = energy::reconfig_cost(etable, hw, banks, a, b);
      t.reconfig_j[std::size_t(a - 1)][std::size_t(b - 1)] = c.reconfig_cost_j;
      t.reconfig_s[std::size_t(a - 1)][std::size_t(b - 1)] = double(c.reconfig_cycles) / arch.clock_hz;
    }
  t.validate(src.net + " on " + src.arch);
  return t;
}

}  // namespace rcsim::sweep
