#pragma once
// A dataflow as a plug-in: how a GEMM job is folded onto the R×C array and when each fold runs
// (plan, schedule, SCALE-Sim's closed form), what the array does in closed form (fast mode's
// counters), and how the array is driven cycle by cycle (per-cycle mode), on the PE-array
// family it names. The controller sequences layers and calls only this interface; `ws`, `os`
// and `is` are implementations in their own files, registered by name in dataflow_registry.cpp.
// Names, descriptions and arch constraints are in core/dataflow_catalog.h (the arch loader
// checks them); docs/architecture.md, "Adding a dataflow", lists every file a new one touches.
//
// Both execution modes come from the same plan and schedule: per-cycle mode measures the job's
// end (the cycle the array delivered its last result) and counts what it drives; fast mode
// takes FoldSchedule::last_cycle and closed_form_counters(). Tests prove the two identical
// (tests/e2e/test_fast_equivalence.cpp).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/layer_counters.h"
#include "accel/cycle_observer.h"
#include "accel/gemm_job.h"
#include "accel/pe_array/pe_array_backend.h"
#include "accel/weight_sram.h"
#include "core/arch_params.h"
#include "mapper/fold_plan.h"
#include "mapper/weight_layout.h"

namespace rcsim {

/// Everything data-independent about one job on one architecture (computed once, cached).
struct GemmProgram {
  FoldPlan plan;
  FoldSchedule schedule;
  /// Dataflows that preload: per fold, the preload sequence — reduction-row offset j shifted in
  /// that cycle, or −1 for a stall while a bank delivers a row's further words (empty = R
  /// shifts per fold, no stalls).
  std::vector<std::vector<std::int16_t>> load_sequence;
};

/// The controller's clock: tick() waits one period (per-cycle mode).
class CycleClock {
 public:
  virtual ~CycleClock() = default;
  virtual void tick() = 0;
};

/// What a dataflow drives during one per-cycle job.
struct ArrayPorts {
  IPeArrayBackend& array;               ///< the installed backend, of the dataflow's array family
  IWeightSram& wsram;                   ///< weight reads (counted per bank by the SRAM)
  const std::vector<std::int32_t>& in;  ///< the activation buffer's input half
  CycleClock& clock;
  CycleObserver* observer;              ///< null = this job is not traced
};

/// Names of a fold's axes for messages: array rows, array columns, the streamed index.
struct FoldAxes {
  const char* row0;      ///< e.g. "k0"
  const char* col0;      ///< e.g. "n0"
  const char* streamed;  ///< e.g. "pixel"
};

class IDataflow {
 public:
  virtual ~IDataflow() = default;
  virtual Dataflow id() const = 0;

  // Mapping and timing (data-independent).
  /// The job's folds on an R×C array, in execution order.
  virtual FoldPlan plan(const GemmView& g, int rows, int cols) const = 0;
  /// When each fold preloads and streams; `load_stalls[f]` lengthens fold f's preload.
  virtual FoldSchedule schedule(const FoldPlan& p, TimingMode timing,
                                const std::vector<std::int64_t>* load_stalls) const = 0;
  /// SCALE-Sim v2's compute cycles (CALC bandwidth mode) as it reports them (last cycle's index).
  virtual std::int64_t scalesim_cycles(const GemmView& g, int rows, int cols) const = 0;
  /// The job's program on this architecture (default: plan and schedule without stalls).
  virtual GemmProgram program(const GemmJob& job, const ArchParams& arch, const WeightLayout& layout) const;
  virtual FoldAxes axes() const = 0;

  // Fast mode.
  /// Adds the array's counters of the job (PE, link, SRAM-read and accumulator events) in closed
  /// form; the controller adds the dataflow-independent rest (gating, post-processing, ...).
  virtual void closed_form_counters(const GemmJob& job, const GemmProgram& prog, const WeightLayout& layout,
                                    LayerCounters& c) const = 0;

  // Per-cycle mode.
  /// The PE-array family it drives, for messages ("weight-stationary array").
  virtual std::string array_family() const = 0;
  /// Backends registered for that family (`--backend`).
  virtual std::vector<std::string> backends() const = 0;
  virtual std::unique_ptr<IPeArrayBackend> make_array(const std::string& backend, const PeArrayOptions& o) const = 0;
  /// Drives the array every cycle of the job (one tick per cycle), writes each result into
  /// acc[m·N + n] (bias first, then accumulated), counts the events it drives into `c`; returns
  /// the cycle in which the array delivered the job's last result.
  virtual std::int64_t run_per_cycle(const GemmJob& job, const GemmProgram& prog, ArrayPorts& hw,
                                     std::vector<std::int32_t>& acc, LayerCounters& c) const = 0;
};

/// The plug-in of a catalogued dataflow (InternalError if the catalog names one that is not
/// registered: tests/e2e/test_dataflow_plugins.cpp checks both lists agree).
const IDataflow& dataflow_plugin(Dataflow df);
/// Every registered plug-in, in registration order.
std::vector<const IDataflow*> dataflow_plugins();

/// The plug-ins' mapping and timing by dataflow (for callers holding a name, not a plug-in).
FoldPlan plan_folds(const GemmView& g, Dataflow df, int R, int C);
FoldSchedule fold_schedule(const FoldPlan& p, TimingMode timing, const std::vector<std::int64_t>* load_stalls = nullptr);
std::int64_t scalesim_cycles(const GemmView& g, Dataflow df, int R, int C);

/// `backend` as the array interface a plug-in drives (InternalError if it is another family's).
template <class Array>
Array& array_as(IPeArrayBackend& backend) {
  auto* a = dynamic_cast<Array*>(&backend);
  if (!a) throw InternalError("PE-array backend '" + backend.backend() + "' is not of the array family this dataflow drives");
  return *a;
}

}  // namespace rcsim
