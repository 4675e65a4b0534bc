#pragma once
// The controller: executes a layer's fold program (mapper/fold_plan.h) on the PE array, the
// SRAMs, the post-processing unit and DRAM, and counts every event (accel/counters.h).
//
// One source of truth for timing: fold_schedule() gives, for every fold, the cycle its weight
// preload starts and the cycle its first operand enters row 0. Per-cycle mode drives the PE
// array (IPeArray) every cycle from that schedule and collects outputs when the array delivers
// them (checking psum_valid); fast mode computes the same outputs and counters in closed form and
// advances time by the layer's cycle count in one step. Tests prove both identical.
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "accel/accelerator.h"
#include "accel/dram.h"
#include "accel/layer_operands.h"
#include "accel/pe_array/i_pe_array.h"
#include "accel/post_proc.h"
#include "accel/weight_sram.h"
#include "mapper/fold_plan.h"

namespace rcsim {

/// How the controller lets simulated time pass (SystemC wait() in the accelerator; a plain
/// counter in unit tests).
class CycleClock {
 public:
  virtual ~CycleClock() = default;
  virtual void tick() = 0;                      ///< one clock cycle
  virtual void advance(std::int64_t cycles) = 0;  ///< many cycles at once
};

/// Per-fold schedule relative to the layer's first array cycle.
struct FoldSchedule {
  std::vector<std::int64_t> load_start;  ///< WS: first preload cycle
  std::vector<std::int64_t> load_cycles; ///< WS: preload length (R + bank-conflict stalls)
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

class Controller {
 public:
  Controller(const QuantizedNetwork& qn, const ArchParams& arch, const AccelOptions& opts);
  /// Runs one image at width k, letting time pass on `clock`.
  InferenceRun run_image(const std::vector<std::int32_t>& image, int k, CycleClock& clock);
  void set_observer(CycleObserver* o, std::size_t layer) { observer_ = o, observed_layer_ = layer; }

 private:
  LayerRun run_gemm_layer(std::size_t i, int k, const std::vector<std::int32_t>& in, CycleClock& clock);
  /// Per-cycle executors return the cycle in which the array delivered the layer's last result.
  std::int64_t ws_per_cycle(const LayerOperands& op, const FoldPlan& p, const FoldSchedule& s,
                            const std::vector<std::vector<std::int16_t>>& seq,
                    const std::vector<std::int32_t>& in, std::vector<std::int32_t>& acc,
                    LayerCounters& c, CycleClock& clock);
  std::int64_t os_per_cycle(const LayerOperands& op, const FoldPlan& p, const FoldSchedule& s,
                    const std::vector<std::int32_t>& in, std::vector<std::int32_t>& acc,
                    LayerCounters& c, CycleClock& clock);
  /// The array's counters of a layer in closed form.
  void closed_form_counters(const LayerOperands& op, const FoldPlan& p, LayerCounters& c);
  /// The layer's accumulators (bias + Σ w·x) without the array.
  void closed_form_outputs(const LayerOperands& op, const std::vector<std::int32_t>& in,
                           std::vector<std::int32_t>& acc);

  const QuantizedNetwork& qn_;
  ArchParams arch_;
  AccelOptions opts_;
  WeightSram wsram_;
  Dram dram_;
  PostProc post_;
  std::unique_ptr<IPeArray> pe_;
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
  LayerProgram& program(std::size_t i, int k);
  std::map<std::pair<std::size_t, int>, std::unique_ptr<LayerProgram>> programs_;
  CycleObserver* observer_ = nullptr;
  std::size_t observed_layer_ = 0;
};

}  // namespace rcsim
