#pragma once
// Measures the governor's per-width table through the evaluation pipeline (eval/evaluator.h):
// the accelerator (fast mode, one image per width — timing and counters do not depend on the
// data) gives cycles and counters, the energy model turns them into joules and average power
// and prices every width switch (energy::reconfig_cost), and the integer reference over a test
// set gives accuracy.
#include <string>
#include <vector>

#include "core/quantized_network.h"
#include "core/arch_params.h"
#include "energy/energy_hardware.h"
#include "eval/evaluator.h"
#include "sweep/governor.h"

namespace rcsim::sweep {

struct WidthTableSource {
  std::string net = "mnist_lenet";
  std::string arch = "default";
  std::vector<std::string> sets;  ///< --set path=value overrides of the architecture
  std::string weights;            ///< "" = the trained default (.onnx: its own); "random" = seeded random weights
  std::string dataset;            ///< "" = the network's default dataset (.onnx: also calibrates its own weights)
  int images = 0;                 ///< test images for accuracy (0 = all)
};

/// Weights per `src` (random: seed 1 at the arch's precision), from `ev`'s cache.
std::shared_ptr<const QuantizedNetwork> load_source_weights(eval::Evaluator& ev, const WidthTableSource& src);

WidthTable build_width_table(eval::Evaluator& ev, const WidthTableSource& src);

}  // namespace rcsim::sweep
