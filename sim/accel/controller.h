#pragma once
// The controller: sequences a network's layers on the PE array, the SRAMs, the post-processing
// unit and DRAM, and counts every event (core/layer_counters.h). A SystemC module with the
// accelerator's one sequencing thread; it reaches the other modules through its ports
// (accel/accelerator_top.h wires them; docs/accelerator.md explains each channel).
//
// Dataflow-independent: a conv/fc node is one GEMM job, or one per channel group for grouped and
// depthwise convs (layer_operands.h), each handed to the configuration's dataflow plug-in
// (accel/dataflow/dataflow.h), which plans and schedules its folds and, per cycle, drives the
// array (per-cycle mode) or gives its counters in closed form (fast mode, outputs from
// FastGemm); a node's jobs run one after the other. The controller adds what every dataflow
// shares: DRAM refills, gating and idle PE-cycles, post-processing, bank states; nodes without
// weights (pools, add, concat, activations, flatten) run in the post-processing unit.
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <systemc>
#include <vector>

#include "accel/accelerator.h"
#include "accel/act_buffer.h"
#include "accel/cycle_observer.h"
#include "accel/dataflow/dataflow.h"
#include "accel/dram.h"
#include "accel/fast_gemm.h"
#include "accel/grouped_conv_kernel.h"
#include "accel/layer_operands.h"
#include "accel/pe_array/pe_array_module.h"
#include "accel/post_proc.h"
#include "accel/weight_sram.h"
#include "mapper/activation_plan.h"
#include "mapper/tile_plan.h"

namespace rcsim {

/// One accelerator configuration as the controller sees it (one per AcceleratorSim; the SystemC
/// modules are elaborated once per process and serve each configuration in turn): network,
/// architecture, options, the dataflow plug-in, the PE-array backend and the per-(layer, width)
/// programs.
struct ControllerSetup {
  /// Validates the network against the architecture (precision, activation-buffer halves) and,
  /// in per-cycle mode, the backend against the dataflow's array family.
  /// Plans the tiling at every width (ConfigError if the activation buffer cannot stage a node).
  ControllerSetup(const QuantizedNetwork& qn, const ArchParams& arch, const AccelOptions& opts,
                  const WeightLayout& layout);
  const QuantizedNetwork& qn;
  ArchParams arch;
  AccelOptions opts;
  const IDataflow& dataflow;
  ActivationPlan act_plan;              ///< tensors live per node (full width; releases)
  std::vector<std::unique_ptr<TilePlan>> tile_plans;  ///< per width k (index k − 1): residence and tiles
  std::unique_ptr<IPeArrayBackend> pe;  ///< per-cycle mode only
  // Per (layer, width), built on first use: preparing them is per-layer setup, not per-inference work.
  struct JobProgram {
    GemmProgram prog;
    std::unique_ptr<FastGemm> fast_gemm;           ///< fast mode's output GEMM
    /// Fast mode: the job's output channels are consecutive, so its GEMM writes them in place.
    bool fast_in_place = false;
    std::int64_t gated_cycles = -1;                ///< PE-cycles gated by the folds (-1: not yet summed)
  };
  /// One tile's jobs (a tiled node): slices of the node's jobs (accel/layer_operands.h).
  struct TileJobs {
    std::vector<GemmJob> jobs;
    std::vector<JobProgram> progs;
    std::int64_t m0 = 0;  ///< first output pixel of the tile
  };
  /// Fast mode, per tile of a node (one for an untiled node): what its jobs add, summed once.
  /// Closed-form timing and counters do not depend on the data, so an image adds one sum per
  /// tile instead of one per job (a depthwise conv has a job per channel and tile).
  struct FastTile {
    /// The jobs' closed-form counters, gated PE-cycles and MACs; shared with the node's tiles
    /// that have the same sum (row tiles of equal height).
    std::shared_ptr<const LayerCounters> counters;
    std::int64_t cycles = 0;   ///< array cycles the tile's jobs take (as the timing mode counts them)
    std::int64_t advance = 0;  ///< SystemC time they take: last cycle + 1 per job
    std::int64_t jobs = 0;
  };
  struct LayerProgram {
    LayerOperands op;
    std::vector<JobProgram> jobs;  ///< one per op.jobs entry
    std::vector<TileJobs> tiles;   ///< per tile of a tiled node (empty: one tile = op.jobs)
    // Fast mode (prepared with the program): per-tile sums and, for a grouped conv computing
    // outputs, the node's kernel; a grouped node then drops its jobs and tiles (the kernel holds
    // its weights compactly), and a timing-only node every job.
    bool fast_ready = false;
    std::vector<FastTile> fast_tiles;
    std::unique_ptr<GroupedConvKernel> grouped;
    std::vector<std::int32_t> fast_bias;  ///< a dense node's bias per output channel (the GEMMs leave it out)
  };
  std::map<std::pair<std::size_t, int>, std::unique_ptr<LayerProgram>> programs;
  /// Per node: the distinct per-tile counter sums (fast mode), searched before storing a copy.
  std::map<std::size_t, std::vector<std::shared_ptr<const LayerCounters>>> fast_counter_pool;
  static constexpr std::size_t kCounterPoolSize = 16;
  CycleObserver* observer = nullptr;
  std::size_t observed_layer = 0;
  double dram_peak_bytes_per_cycle = 0;  ///< the DRAM's peak (0: not yet asked; constant per configuration)
};

class Controller final : public sc_core::sc_module {
 public:
  sc_core::sc_port<IPeArraySlot> pe_array;     ///< driven every cycle (per-cycle mode)
  sc_core::sc_port<IWeightSram> weight_sram;   ///< row reads, refill writes, bank-state commands
  sc_core::sc_port<IActBuffer> act_buffer;     ///< operand reads, resident tensors per node
  sc_core::sc_port<IPostProc> post_proc;       ///< finished accumulators, activation-path nodes
  sc_core::sc_port<IDram> dram;                ///< DMA transfers per tile, their completion

  SC_HAS_PROCESS(Controller);
  explicit Controller(const sc_core::sc_module_name& name);

  /// Runs `job` inside the controller thread, in one sc_start, for configuration `setup`
  /// (installed by the caller into the other modules); rethrows what the job threw.
  void execute(ControllerSetup& setup, std::function<void()> job);
  /// Runs one image at width k (call from a job).
  InferenceRun run_image(const std::vector<std::int32_t>& image, int k);
  /// Prepares every weighted node at width k as its first run would (call from a job).
  void prepare_width(int k);

 private:
  using LayerProgram = ControllerSetup::LayerProgram;
  using JobProgram = ControllerSetup::JobProgram;
  void thread();
  void tick() { sc_core::wait(period_); }
  /// Moves SystemC time on by `cycles`. Fast mode has no clocked process to interleave with (its
  /// timing is closed-form and the DMA model keeps its own cycle count), so its waits are summed
  /// and taken once per image: a wait per tile, job and node was a visible share of its time.
  void advance(std::int64_t cycles) {
    if (cycles <= 0) return;
    if (defer_waits_) deferred_cycles_ += cycles;
    else sc_core::wait(period_ * double(cycles));
  }
  void flush_deferred_waits() {
    const std::int64_t cycles = deferred_cycles_;
    deferred_cycles_ = 0;
    if (cycles > 0) sc_core::wait(period_ * double(cycles));
  }
  LayerRun run_gemm_layer(std::size_t i, int k);
  /// Per-cycle mode: runs one job of node i on the array; adds its counters to `c`, its
  /// accumulators into `node_acc` (when `outputs`); returns its cycles.
  std::int64_t run_job(std::size_t i, const GemmJob& job, JobProgram& jp, bool first_job,
                       const std::vector<std::int32_t>& in, bool outputs, std::vector<std::int32_t>& node_acc,
                       std::int64_t node_M, std::int64_t node_N, std::int64_t m0, LayerCounters& c);
  /// Fast mode: one job's sums (FastGemm, no bias) into the node's channel-major output y
  /// ([N][node_M]), its pixels from m0.
  void fast_job_outputs(const GemmJob& job, const JobProgram& jp, const std::vector<std::int32_t>& in, std::int32_t* y,
                        std::int64_t node_M, std::int64_t m0);
  /// Writes one job's accumulators `a` [M][N] into the node's columns out_pos at pixel m0.
  static void scatter_job(const GemmJob& job, const std::vector<std::int32_t>& a, std::vector<std::int32_t>& node_acc,
                          std::int64_t node_N, std::int64_t m0);
  /// Runs node i's tiles with double-buffered DMA (tile t+1 loads while tile t computes; tile t's
  /// outputs store while tile t+1 computes): compute(t) runs tile t and returns its cycles. Adds
  /// the DRAM counters of the node's time window to `c`; returns the node's cycles.
  /// (A template, not a std::function: a node's lambda captures too much for std::function's
  /// small buffer, which allocated once per node and image.)
  template <class Compute> std::int64_t run_tiles(const NodeTiling& nt, LayerCounters& c, const Compute& compute);
  const NodeTiling& tiling(std::size_t i, int k) const { return s_->tile_plans[std::size_t(k - 1)]->node(i); }
  void build_tiles(std::size_t i, int k, LayerProgram& prog);
  LayerRun run_postproc_node(std::size_t i, int k);
  LayerProgram& program(std::size_t i, int k);
  /// Fast mode's preparation of node i at width k (with its program): the per-tile sums of the
  /// jobs' closed-form counters and cycles, and what computing outputs needs (the dense jobs'
  /// GEMMs, or a grouped conv's kernel); then drops what fast mode no longer reads.
  void prepare_fast(std::size_t i, int k, LayerProgram& prog);
  /// jp.gated_cycles from the fold plan, once.
  void sum_gated_cycles(JobProgram& jp);
  /// Fast mode, once a job's counters are summed: frees its weight-row map and padding counts.
  static void release_per_cycle_operands(GemmJob& job);
  double peak_bytes_per_cycle() {
    if (s_->dram_peak_bytes_per_cycle == 0) s_->dram_peak_bytes_per_cycle = dram->peak_bytes_per_cycle();
    return s_->dram_peak_bytes_per_cycle;
  }

  ControllerSetup* s_ = nullptr;  ///< the configuration being executed
  std::int64_t now_ = 0;          ///< accelerator cycle of the current image (the DMA's clock)
  sc_core::sc_time period_;
  sc_core::sc_event start_;
  std::function<void()> job_;  ///< runs inside the thread; may call wait()
  std::exception_ptr error_;
  bool pending_ = false;  ///< a job was set; the thread may not be waiting yet at the first sc_start
  // Scratch reused by every layer of every image (fast mode runs in well under a millisecond: an
  // allocation per layer or job was a visible share of it).
  bool defer_waits_ = false;          ///< fast mode: advance() sums its cycles (flush_deferred_waits)
  std::int64_t deferred_cycles_ = 0;
  std::vector<std::int32_t> acc_;      ///< a GEMM node's accumulators
  std::vector<std::int32_t> job_acc_;  ///< one job's accumulators when the node has several
  std::vector<DmaTicket> loads_, stores_;  ///< run_tiles' DMA tickets per tile
};

}  // namespace rcsim
