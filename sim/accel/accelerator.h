#pragma once
// The accelerator as seen by its users (CLI, tests, sweeps): build once per process (SystemC
// allows one elaboration), then run images. SystemC stays inside accelerator.cpp.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "accel/pe_array/pe_array_backend.h"
#include "core/layer_counters.h"
#include "core/quantized_network.h"
#include "core/arch_params.h"

namespace rcsim {

enum class ExecMode {
  PerCycle,  ///< the reference: every clock edge simulated, the PE array driven every cycle
  Fast       ///< fold level: results and counters in closed form, time advanced in one step
};
const char* to_string(ExecMode m);
/// "per-cycle" | "fast" → mode; anything else is an InputError.
ExecMode parse_exec_mode(const std::string& s);

struct AccelOptions {
  ExecMode mode = ExecMode::PerCycle;
  std::string backend = "systolic";  ///< PE-array backend (per-cycle mode), of the dataflow's array family
  PeArrayFault fault;                ///< per-cycle mode: a fault the backend injects (cosim self-test)
  bool compute_outputs = true;       ///< fast mode: false = timing and counters only
  std::string vcd_path;              ///< per-cycle mode: VCD of this layer's array signals ("" = none)
  std::string vcd_layer;             ///< layer traced into vcd_path (default: the first conv)
};

struct LayerRun {
  LayerCounters counters;
  std::vector<std::int32_t> output;  ///< active-width CHW output (hidden: requantized; classifier: int32 logits)
  double utilization = 0;            ///< macs / (R·C·cycles)
};

struct InferenceRun {
  std::vector<LayerRun> layers;
  std::int64_t cycles = 0;
  std::int64_t macs = 0;
  const std::vector<std::int32_t>& logits() const { return layers.back().output; }
};

class AcceleratorSim {
 public:
  /// Validates the network against the architecture (ConfigError naming the arch field when an
  /// SRAM cannot hold what it must) and elaborates the SystemC model.
  AcceleratorSim(const QuantizedNetwork& qn, const ArchParams& arch, const AccelOptions& opts);
  ~AcceleratorSim();
  /// Runs quantized images (CHW, full input shape) at width k, one after another, in one
  /// sc_start. Each call may be repeated (the simulation continues).
  std::vector<InferenceRun> run(const std::vector<std::vector<std::int32_t>>& images, int k);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rcsim
