#pragma once
// Event counters of one layer at one width: the contract between the accelerator model (which
// increments them) and the energy model (which multiplies them by table entries). Plain integers
// incremented on the hot path.
//
// Each counter is declared ONCE, in RCSIM_LAYER_COUNTERS: the struct members, +=, ==,
// counter_descriptions(), the JSON object (core/layer_counters_json.h, hence `rcsim run --json`
// and the sweep's count.* columns) and the docs table (`rcsim info --fields counters --markdown`)
// are generated from it. tests/unit/test_energy_table.cpp fails until a new counter has a row in
// sim/energy/counter_charges.cpp (charged, or explicitly not). Renaming or removing a counter
// changes JSON keys, CSV columns and the energy map.
#include <cstdint>
#include <string>
#include <vector>

namespace rcsim {

/// Scalar: one number per layer. PerBank: one number per weight-SRAM bank.
enum class CounterKind { Scalar, PerBank };

// X(name, kind, unit, description), in report order.
#define RCSIM_LAYER_COUNTERS(X)                                                                                  \
  X(cycles, Scalar, "cycles", "clock cycles from layer start to last output written")                            \
  X(macs, Scalar, "ops", "useful multiply-accumulates (active channels only)")                                   \
  X(pe_active_cycles, Scalar, "PE-cycles",                                                                       \
    "PE-cycles doing a MAC (incl. zero-padding operands) in the fold's used rows/columns")                       \
  X(pe_idle_cycles, Scalar, "PE-cycles", "PE-cycles of enabled PEs not doing a MAC (fill, drain, stall)")        \
  X(pe_gated_cycles, Scalar, "PE-cycles", "PE-cycles of clock-gated PEs (rows/columns unused by a fold)")         \
  X(pe_weight_loads, Scalar, "writes", "writes of a stationary operand into a PE register")                       \
  X(link_operand_transfers, Scalar, "hops", "operand hops between neighbouring PEs")                              \
  X(link_psum_transfers, Scalar, "hops", "partial-sum hops between neighbouring PEs")                             \
  X(wsram_reads, PerBank, "words/bank", "weight-SRAM word reads, per bank")                                       \
  X(wsram_writes, PerBank, "words/bank", "weight-SRAM word writes, per bank (DRAM refills)")                      \
  X(act_reads, Scalar, "words", "activation-buffer word reads")                                                   \
  X(act_writes, Scalar, "words", "activation-buffer word writes")                                                 \
  X(accum_reads, Scalar, "words", "partial-sum accumulator reads (int32; row folds after the first)")             \
  X(accum_writes, Scalar, "words", "partial-sum accumulator writes (int32; every psum leaving the array)")         \
  X(dram_read_bytes, Scalar, "bytes", "off-chip bytes read (weights, inputs and residuals the DMA loads)")        \
  X(dram_write_bytes, Scalar, "bytes", "off-chip bytes written (spilled or tiled outputs, logits)")               \
  X(dram_activates, Scalar, "commands", "DRAM row activations (ACT) during the layer")                           \
  X(dram_precharges, Scalar, "commands", "DRAM precharges (PRE, incl. auto-precharge) during the layer")         \
  X(dram_read_bursts, Scalar, "bursts", "DRAM read bursts (RD) during the layer")                                \
  X(dram_write_bursts, Scalar, "bursts", "DRAM write bursts (WR) during the layer")                              \
  X(dram_refreshes, Scalar, "commands", "DRAM refresh commands (REF) during the layer")                          \
  X(dram_active_standby_cycles, Scalar, "DRAM rank-cycles", "DRAM rank-cycles in active standby (incl. refreshing)") \
  X(dram_precharge_standby_cycles, Scalar, "DRAM rank-cycles", "DRAM rank-cycles in precharge standby")          \
  X(dram_active_powerdown_cycles, Scalar, "DRAM rank-cycles", "DRAM rank-cycles in active power-down")          \
  X(dram_precharge_powerdown_cycles, Scalar, "DRAM rank-cycles", "DRAM rank-cycles in precharge power-down")    \
  X(dram_self_refresh_cycles, Scalar, "DRAM rank-cycles", "DRAM rank-cycles in self-refresh")                    \
  X(postproc_ops, Scalar, "ops", "requantizations (bias add + shift + ReLU + saturate)")                          \
  X(pool_compares, Scalar, "ops", "max-pool comparisons")                                                         \
  X(pool_adds, Scalar, "ops", "average-pool additions (window sums)")                                             \
  X(pool_divides, Scalar, "ops", "average-pool divisions (rounded window sum / count)")                           \
  X(eltwise_adds, Scalar, "ops", "element-wise additions of add nodes (align, add, rescale, clamp)")              \
  X(postproc_mults, Scalar, "ops", "per-channel multiplies of the affine post-processing (acc x mult)")           \
  X(controller_cycles, Scalar, "cycles", "cycles the controller sequences this layer")                            \
  X(bank_conflict_stalls, Scalar, "cycles", "cycles lost to weight-SRAM bank conflicts")                          \
  X(dram_stall_cycles, Scalar, "cycles", "cycles lost waiting for DRAM")                                          \
  X(compute_cycles, Scalar, "cycles", "cycles the array or post-processing computes (cycles - dram_stall_cycles)") \
  X(row_tiles, Scalar, "tiles", "output-row tiles of the layer (1: untiled)")                                    \
  X(weight_tiles, Scalar, "tiles", "weight (output-channel) tiles of the layer (1: untiled)")                   \
  X(bank_active_cycles, PerBank, "cycles/bank", "per weight-SRAM bank: cycles powered on")                        \
  X(bank_retention_cycles, PerBank, "cycles/bank", "per bank: cycles in retention (drowsy)")                      \
  X(bank_off_cycles, PerBank, "cycles/bank", "per bank: cycles power-gated off")

template <CounterKind K>
struct CounterStorage {
  using type = std::int64_t;
};
template <>
struct CounterStorage<CounterKind::PerBank> {
  using type = std::vector<std::int64_t>;
};

struct LayerCounters {
  std::string layer;  ///< network YAML layer name
#define RCSIM_COUNTER_MEMBER(name, kind, unit, description) CounterStorage<CounterKind::kind>::type name{};
  RCSIM_LAYER_COUNTERS(RCSIM_COUNTER_MEMBER)
#undef RCSIM_COUNTER_MEMBER

  /// Adds every counter of `o` into this one (per-bank vectors element-wise, the shorter padded).
  LayerCounters& operator+=(const LayerCounters& o);
  /// Same layer name and every counter equal.
  bool operator==(const LayerCounters& o) const;
};

struct CounterDescription {
  const char* name;
  const char* unit;
  const char* description;
  CounterKind kind;
};

/// One entry per counter of RCSIM_LAYER_COUNTERS, in declaration order (reports, docs, checks).
const std::vector<CounterDescription>& counter_descriptions();

/// Calls f(description, value) for every counter of `c` in declaration order; `value` is the
/// member itself (std::int64_t or std::vector<std::int64_t>, const when `c` is).
template <class Counters, class F>
void for_each_counter(Counters& c, F&& f) {
  std::size_t i = 0;
  const auto& d = counter_descriptions();
#define RCSIM_COUNTER_VISIT(name, kind, unit, description) f(d[i++], c.name);
  RCSIM_LAYER_COUNTERS(RCSIM_COUNTER_VISIT)
#undef RCSIM_COUNTER_VISIT
}

}  // namespace rcsim
