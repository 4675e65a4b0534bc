#include "sweep/width_table_builder.h"

#include "core/errors.h"
#include "energy/arch_energy.h"
#include "energy/reconfig_cost.h"
#include "eval/reference_accuracy.h"
#include "host/dataset.h"
#include "host/weights_source.h"
#include "mapper/weight_layout.h"

namespace rcsim::sweep {

namespace {

eval::EvalRequest request_of(const WidthTableSource& src) {
  eval::EvalRequest r;
  r.network = src.net;
  r.arch = src.arch;
  r.arch_sets = src.sets;
  r.weights = src.weights;
  r.seed = 1;
  r.calibration.dataset = src.dataset;  // an imported model's own weights: its training split
  return r;
}

}  // namespace

std::shared_ptr<const QuantizedNetwork> load_source_weights(eval::Evaluator& ev, const WidthTableSource& src) {
  return ev.prepare(request_of(src)).weights;
}

WidthTable build_width_table(eval::Evaluator& ev, const WidthTableSource& src) {
  eval::EvalRequest req = request_of(src);
  const eval::PreparedRun prepared = ev.prepare(req);
  const Network& net = *prepared.network;
  const ArchParams& arch = prepared.arch;
  const int G = net.width_groups;

  // Accuracy per width from the integer reference (bit-identical to the accelerator).
  std::vector<double> accuracy(std::size_t(G), 0);
  if (src.weights != "random") {
    const std::string ds_name = src.dataset.empty() ? default_dataset(net.name) : src.dataset;
    if (ds_name.empty())
      throw InputError("network '" + net.name + "' has no default dataset for its accuracy: give --dataset");
    accuracy = eval::reference_accuracy(*prepared.weights,
                                        load_dataset(ds_name, "", Split::Test).head(std::size_t(src.images)));
  }
  // Timing and counters only (they do not depend on the data; tests/unit/test_eval.cpp).
  req.accel.mode = ExecMode::Fast;
  req.accel.compute_outputs = false;
  req.check_outputs = false;
  req.images = eval::ImageSpec::zeros(1);
  WidthTable t;
  for (int k = 1; k <= G; ++k) {
    req.width = k;
    const eval::EvalResult run = ev.evaluate(req);
    t.widths.push_back({k, run.cycles(), run.latency_s(), run.energy.energy_j, run.energy.avg_power_w,
                        accuracy[std::size_t(k - 1)]});
  }
  // Reconfiguration costs from the mapper's bank layout.
  const energy::EnergyHardware hw = energy::energy_hardware_of(arch);
  const energy::EnergyTable& etable = ev.energy_table(hw.tech);
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
