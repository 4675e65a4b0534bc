#pragma once
// Event counters of one layer at one width: the contract between the accelerator model (which
// increments them) and the energy model (which multiplies them by table entries). Plain integers
// incremented on the hot path; each is described once in counter_descriptions().
// The accelerator may add counters; renaming or removing one breaks the energy tables.
#include <cstdint>
#include <string>
#include <vector>

namespace rcsim {

struct LayerCounters {
  std::string layer;                       ///< network YAML layer name
  std::int64_t cycles = 0;                 ///< clock cycles from layer start to last output written
  std::int64_t macs = 0;                   ///< useful multiply-accumulates (active channels only)
  std::int64_t pe_active_cycles = 0;       ///< PE-cycles doing a MAC (incl. zero-padding operands)
  std::int64_t pe_idle_cycles = 0;         ///< PE-cycles of enabled PEs not doing a MAC (fill, drain, stall)
  std::int64_t pe_gated_cycles = 0;        ///< PE-cycles of clock-gated PEs (rows/columns unused by a fold)
  std::int64_t pe_weight_loads = 0;        ///< writes of a stationary operand into a PE register
  std::int64_t link_operand_transfers = 0; ///< operand hops between neighbouring PEs
  std::int64_t link_psum_transfers = 0;    ///< partial-sum hops between neighbouring PEs
  std::vector<std::int64_t> wsram_reads;   ///< weight-SRAM word reads, per bank
  std::vector<std::int64_t> wsram_writes;  ///< weight-SRAM word writes, per bank (DRAM refills)
  std::int64_t act_reads = 0;              ///< activation-buffer word reads
  std::int64_t act_writes = 0;             ///< activation-buffer word writes
  std::int64_t accum_reads = 0;            ///< partial-sum accumulator reads (int32; row folds after the first)
  std::int64_t accum_writes = 0;           ///< partial-sum accumulator writes (int32; every psum leaving the array)
  std::int64_t dram_read_bytes = 0;        ///< off-chip bytes read (weights that do not fit on chip)
  std::int64_t dram_write_bytes = 0;       ///< off-chip bytes written
  std::int64_t postproc_ops = 0;           ///< requantizations (bias add + shift + ReLU + saturate)
  std::int64_t pool_compares = 0;          ///< max-pool comparisons
  std::int64_t controller_cycles = 0;      ///< cycles the controller sequences this layer
  std::int64_t bank_conflict_stalls = 0;   ///< cycles lost to weight-SRAM bank conflicts
  std::int64_t dram_stall_cycles = 0;      ///< cycles lost waiting for DRAM
  std::vector<std::int64_t> bank_active_cycles;     ///< per weight-SRAM bank: cycles powered on
  std::vector<std::int64_t> bank_retention_cycles;  ///< per bank: cycles in retention (drowsy)
  std::vector<std::int64_t> bank_off_cycles;        ///< per bank: cycles power-gated off

  /// Adds every counter of `o` into this one (vectors element-wise).
  LayerCounters& operator+=(const LayerCounters& o);
  bool operator==(const LayerCounters& o) const;
};

struct CounterDescription {
  const char* name;
  const char* unit;
  const char* description;
};

/// One entry per scalar/vector counter above, in declaration order (for reports and docs).
const std::vector<CounterDescription>& counter_descriptions();

}  // namespace rcsim
