#pragma once
// The controller: executes a layer's fold program (mapper/fold_plan.h) on the PE array, the
// SRAMs, the post-processing unit and DRAM, and counts every event (core/layer_counters.h). A SystemC
// module with the accelerator's one sequencing thread; it reaches the other modules through its
// ports (accel/accelerator_top.h wires them; docs/accelerator.md explains each channel).
//
// One source of truth for timing: fold_schedule() gives, for every fold, the cycle its weight
// preload starts and the cycle its first operand enters row 0. Per-cycle mode drives the PE
// array (IPeArray) every cycle from that schedule and collects outputs when the array delivers
// them (checking psum_valid); fast mode computes the same outputs and counters in closed form and
// advances time by the layer's cycle count in one step. Tests prove both identical.
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <systemc>
#include <vector>

#include "accel/accelerator.h"
#include "accel/act_buffer.h"
#include "accel/layer_operands.h"
#include "accel/pe_array/pe_array_module.h"
#include "accel/post_proc.h"
#include "accel/weight_sram.h"
#include "mapper/fold_plan.h"

namespace rcsim {

/// Per-fold schedule relative to the layer's first array cycle.
struct FoldSchedule {
  std::vector<std::int64_t> load_start;  ///< WS, IS: first preload cycle
  std::vector<std::int64_t> load_cycles; ///< WS, IS: preload length (R + bank-conflict stalls)
  std::vector<std::int64_t> t0;          ///< first operand enters row 0
  std::int64_t last_cycle = 0;           ///< index of the cycle latching the layer's last result
};
/// `load_stalls[f]`: bank-conflict stall cycles of fold f's preload (null = none; WS overlapped
/// only — SCALE-Sim's model has an SRAM that delivers a whole row per cycle).
FoldSchedule fold_schedule(const FoldPlan& p, TimingMode timing,
                           const std::vector<std::int64_t>* load_stalls = nullptr);

/// Optional per-cycle observer (the VCD writer).
class CycleObserver {
 public:
  virtual ~CycleObserver() = default;
  virtual void on_cycle(std::int64_t cycle, const PeArrayInputs& in, const IPeArray& pe) = 0;
};

/// One accelerator configuration as the controller sees it (one per AcceleratorSim; the SystemC
/// modules are elaborated once per process and serve each configuration in turn): network,
/// architecture, options, the PE-array backend and the per-(layer, width) programs.
struct ControllerSetup {
  /// Validates the network against the architecture (precision, activation-buffer halves).
  ControllerSetup(const QuantizedNetwork& qn, const ArchParams& arch, const AccelOptions& opts);
  const QuantizedNetwork& qn;
  ArchParams arch;
  AccelOptions opts;
  std::unique_ptr<IPeArray> pe;      ///< per-cycle WS and IS (IS: operand roles swapped)
  std::unique_ptr<OsPeArray> os_pe;  ///< per-cycle OS only
  // Operand tables per (layer, width), built on first use: preparing them is per-layer setup,
  // not per-inference work.
  struct LayerProgram {
    LayerOperands op;
    FoldPlan plan;
    FoldSchedule schedule;
    /// WS overlapped: per fold, the preload sequence — reduction-row offset j shifted in that
    /// cycle, or −1 for a stall while a bank delivers a row's further words (empty = R shifts).
    std::vector<std::vector<std::int16_t>> load_sequence;
    std::unique_ptr<LayerCounters> fast_counters;  ///< closed-form array counters (data-independent)
  };
  std::map<std::pair<std::size_t, int>, std::unique_ptr<LayerProgram>> programs;
  CycleObserver* observer = nullptr;
  std::size_t observed_layer = 0;
};

class Controller final : public sc_core::sc_module {
 public:
  sc_core::sc_port<IPeArraySlot> pe_array;     ///< driven every cycle (per-cycle mode)
  sc_core::sc_port<IWeightSram> weight_sram;   ///< row reads, refill writes, bank-state commands
  sc_core::sc_port<IActBuffer> act_buffer;     ///< operand reads, ping-pong swap per layer
  sc_core::sc_port<IPostProc> post_proc;       ///< finished accumulators, max-pool layers
  sc_core::sc_fifo_out<std::int64_t> dram_req;  ///< refill request (bytes)
  sc_core::sc_fifo_in<std::int64_t> dram_done;  ///< refill completion (stall cycles)

  SC_HAS_PROCESS(Controller);
  explicit Controller(const sc_core::sc_module_name& name);

  /// Runs `job` inside the controller thread, in one sc_start, for configuration `setup`
  /// (installed by the caller into the other modules); rethrows what the job threw.
  void execute(ControllerSetup& setup, std::function<void()> job);
  /// Runs one image at width k (call from a job).
  InferenceRun run_image(const std::vector<std::int32_t>& image, int k);

 private:
  using LayerProgram = ControllerSetup::LayerProgram;
  void thread();
  void tick() { sc_core::wait(period_); }
  void advance(std::int64_t cycles) {
    if (cycles > 0) sc_core::wait(period_ * double(cycles));
  }
  LayerRun run_gemm_layer(std::size_t i, int k);
  /// Per-cycle executors return the cycle in which the array delivered the layer's last result.
  std::int64_t ws_per_cycle(const LayerOperands& op, const FoldPlan& p, const FoldSchedule& s,
                            const std::vector<std::vector<std::int16_t>>& seq,
                            const std::vector<std::int32_t>& in, std::vector<std::int32_t>& acc,
                            LayerCounters& c);
  std::int64_t os_per_cycle(const LayerOperands& op, const FoldPlan& p, const FoldSchedule& s,
                            const std::vector<std::int32_t>& in, std::vector<std::int32_t>& acc,
                            LayerCounters& c);
  /// The array's counters of a layer in closed form.
  void closed_form_counters(const LayerOperands& op, const FoldPlan& p, LayerCounters& c);
  /// The layer's accumulators (bias + Σ w·x) without the array.
  void closed_form_outputs(const LayerOperands& op, const std::vector<std::int32_t>& in,
                           std::vector<std::int32_t>& acc);
  LayerProgram& program(std::size_t i, int k);

  ControllerSetup* s_ = nullptr;  ///< the configuration being executed
  sc_core::sc_time period_;
  sc_core::sc_event start_;
  std::function<void()> job_;  ///< runs inside the thread; may call wait()
  std::exception_ptr error_;
  bool pending_ = false;  ///< a job was set; the thread may not be waiting yet at the first sc_start
};

}  // namespace rcsim
