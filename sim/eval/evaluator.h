#pragma once
// The evaluation pipeline, one implementation for every command (`rcsim run`, `report`,
// `bench`, the governor's width table) and the sweep's worker processes:
//
//   network YAML ─► weights (trained | random | file, quantized) ─► AcceleratorSim (SystemC)
//        ─► per image: outputs vs the integer reference, argmax vs the label ─► first image's
//        counters ─► energy model ─► EvalResult
//
// An Evaluator owns the caches a process reuses across evaluations — loaded network specs (YAML,
// shipped names, imported .onnx models: eval/model_source.h), quantized weights per (network,
// weights spec, precision, seed for random weights, calibration for an imported model's own
// weights), energy and area tables per technology — so they live exactly as long as the Evaluator. Not thread-safe, like the
// SystemC kernel underneath: one Evaluator per process (or per thread that never runs the accelerator concurrently).
// The accelerator's SystemC module tree is elaborated once per process and serves every
// evaluation in turn (accel/accelerator_top.h), so any number of evaluate() calls may follow.
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "core/arch_params.h"
#include "core/network.h"
#include "area/area_table.h"
#include "core/quantized_network.h"
#include "energy/energy_table.h"
#include "eval/eval_request.h"
#include "eval/eval_result.h"
#include "eval/model_source.h"

namespace rcsim::eval {

/// A request with everything loaded and checked, before any simulation.
struct PreparedRun {
  std::shared_ptr<const Network> network;
  ArchParams arch;
  int width = 0;  ///< the resolved k
  std::shared_ptr<const QuantizedNetwork> weights;
  std::string weights_label;
};

class Evaluator {
 public:
  /// Loads and checks (network, architecture, width, weights; InputError/ConfigError naming
  /// the culprit) without simulating. For callers that drive the accelerator themselves
  /// (`rcsim bench` times repeated runs).
  PreparedRun prepare(const EvalRequest& r);

  /// The whole pipeline. Throws InputError/ConfigError for bad input or an architecture that
  /// cannot run the network.
  EvalResult evaluate(const EvalRequest& r);

  /// Cached loaders (a name or a path is loaded once per Evaluator).
  std::shared_ptr<const LoadedModel> model(const std::string& spec);
  std::shared_ptr<const Network> network(const std::string& spec) { return model(spec)->net; }
  /// `spec` as EvalRequest::weights; `calib` matters only for an imported model's own weights
  /// (spec ""); `label` receives where they came from.
  std::shared_ptr<const QuantizedNetwork> weights(const std::string& network_spec, const std::string& spec, int bits,
                                                  std::uint64_t seed, std::string* label = nullptr,
                                                  const CalibrationSpec& calib = {});
  const energy::EnergyTable& energy_table(const std::string& tech);
  const area::AreaTable& area_table(const std::string& tech);

 private:
  struct Weights {
    std::shared_ptr<const QuantizedNetwork> qn;
    std::string label;
  };
  std::map<std::string, std::shared_ptr<const LoadedModel>> models_;
  /// (network spec, weights spec, bits, seed of random weights, calibration of imported ones)
  std::map<std::tuple<std::string, std::string, int, std::uint64_t, std::string>, Weights> weights_;
  std::map<std::string, energy::EnergyTable> energy_tables_;
  std::map<std::string, area::AreaTable> area_tables_;
};

}  // namespace rcsim::eval
