#pragma once
// The accelerator as seen by its users (CLI, tests, sweeps): build once per process (SystemC
// allows one elaboration), then run images. SystemC stays inside accelerator.cpp.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "accel/pe_array/pe_array_backend.h"
#include "core/layer_counters.h"
#include "core/quantized_network.h"
#include "core/arch_params.h"
#include "mapper/tile_plan.h"

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
  /// false: a run keeps only the last layer's output (the logits), the others' LayerRun::output
  /// stay empty (callers that check only the logits, or nothing, skip keeping every tensor).
  bool keep_layer_outputs = true;
  std::string vcd_path;              ///< per-cycle mode: VCD of this layer's array signals ("" = none)
  std::string vcd_layer;             ///< layer traced into vcd_path (default: the first conv)
  std::string dram_trace_path;       ///< the first image's DRAM requests ("" = none)
  std::string dram_trace_format = "dramsim3";  ///< dramsim3 | ramulator2
};

struct LayerRun {
  LayerCounters counters;
  /// Active-width CHW output (hidden: requantized; classifier: int32 logits); empty for all but
  /// the last layer when AccelOptions::keep_layer_outputs is false.
  std::vector<std::int32_t> output;
  double utilization = 0;            ///< macs / (R·C·cycles)
  int jobs = 0;                      ///< GEMM jobs on the array (a grouped conv: one per channel group; 0: no weights)
  DramBytes dram;                    ///< DRAM bytes by tensor role (mapper/tile_plan.h)
  bool weights_outer = false;        ///< tile loop order (weight tiles outer)
  /// Cycles the node's DRAM bytes take at the device's peak bandwidth: the memory time to set
  /// against compute_cycles (bound and by how much).
  std::int64_t dram_peak_cycles = 0;
};

struct InferenceRun {
  std::vector<LayerRun> layers;
  std::int64_t cycles = 0;
  std::int64_t macs = 0;
  /// What computed the array's work: the PE-array backend that was built ("systolic", "rtl",
  /// "lockstep", …) in per-cycle mode, "closed-form" in fast mode. Reports echo this, not the request.
  std::string backend;
  const std::vector<std::int32_t>& logits() const { return layers.back().output; }
};

class AcceleratorSim {
 public:
  /// Validates the network against the architecture (ConfigError naming the arch field when an
  /// SRAM cannot hold what it must) and elaborates the SystemC model. The simulator shares `qn`
  /// (its weight layout and layer programs point into it), so the caller may drop its pointer.
  AcceleratorSim(std::shared_ptr<const QuantizedNetwork> qn, const ArchParams& arch, const AccelOptions& opts);
  /// The same with a private copy of `qn`: safe with a temporary.
  AcceleratorSim(const QuantizedNetwork& qn, const ArchParams& arch, const AccelOptions& opts);
  ~AcceleratorSim();
  /// Runs quantized images (CHW, full input shape) at width k, one after another, in one
  /// sc_start. Each call may be repeated (the simulation continues).
  std::vector<InferenceRun> run(const std::vector<std::vector<std::int32_t>>& images, int k);

  /// Prepares every layer at width k now (operands, fold programs, tiles, closed-form counters
  /// and, in fast mode, the prepared GEMMs): what the first run() at width k would otherwise do.
  /// Results are the same either way; it separates preparation from inference (rcsim bench
  /// measures the memory of the prepared layers with it).
  void prepare(int k);

  /// Supplies image i (quantized CHW, full input shape) right before it runs.
  using ImageSource = std::function<std::vector<std::int32_t>(std::size_t i)>;
  /// Receives image i's run as soon as it finished. Called inside the simulation (on the
  /// controller thread's stack, 256 KB): keep it to plain computation, no SystemC calls.
  using RunSink = std::function<void(std::size_t i, InferenceRun&& run)>;
  /// Streaming form of run(): `count` images at width k in one sc_start, each image produced
  /// just before and handed to `sink` just after it runs, so nothing of a finished image stays
  /// in memory unless the sink keeps it. Identical results to run().
  void run_each(std::size_t count, int k, const ImageSource& image, const RunSink& sink);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rcsim
