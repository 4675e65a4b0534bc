#include "core/layer_counters.h"

#include <algorithm>

namespace rcsim {

namespace {

void add_vec(std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b) {
  if (a.size() < b.size()) a.resize(b.size(), 0);
  for (std::size_t i = 0; i < b.size(); ++i) a[i] += b[i];
}

}  // namespace

LayerCounters& LayerCounters::operator+=(const LayerCounters& o) {
  cycles += o.cycles;
  macs += o.macs;
  pe_active_cycles += o.pe_active_cycles;
  pe_idle_cycles += o.pe_idle_cycles;
  pe_gated_cycles += o.pe_gated_cycles;
  pe_weight_loads += o.pe_weight_loads;
  link_operand_transfers += o.link_operand_transfers;
  link_psum_transfers += o.link_psum_transfers;
  add_vec(wsram_reads, o.wsram_reads);
  add_vec(wsram_writes, o.wsram_writes);
  act_reads += o.act_reads;
  act_writes += o.act_writes;
  accum_reads += o.accum_reads;
  accum_writes += o.accum_writes;
  dram_read_bytes += o.dram_read_bytes;
  dram_write_bytes += o.dram_write_bytes;
  postproc_ops += o.postproc_ops;
  pool_compares += o.pool_compares;
  controller_cycles += o.controller_cycles;
  bank_conflict_stalls += o.bank_conflict_stalls;
  dram_stall_cycles += o.dram_stall_cycles;
  add_vec(bank_active_cycles, o.bank_active_cycles);
  add_vec(bank_retention_cycles, o.bank_retention_cycles);
  add_vec(bank_off_cycles, o.bank_off_cycles);
  return *this;
}

bool LayerCounters::operator==(const LayerCounters& o) const {
  return layer == o.layer && cycles == o.cycles && macs == o.macs &&
         pe_active_cycles == o.pe_active_cycles && pe_idle_cycles == o.pe_idle_cycles &&
         pe_gated_cycles == o.pe_gated_cycles && pe_weight_loads == o.pe_weight_loads &&
         link_operand_transfers == o.link_operand_transfers &&
         link_psum_transfers == o.link_psum_transfers && wsram_reads == o.wsram_reads &&
         wsram_writes == o.wsram_writes && act_reads == o.act_reads && act_writes == o.act_writes &&
         accum_reads == o.accum_reads && accum_writes == o.accum_writes &&
         dram_read_bytes == o.dram_read_bytes && dram_write_bytes == o.dram_write_bytes &&
         postproc_ops == o.postproc_ops && pool_compares == o.pool_compares &&
         controller_cycles == o.controller_cycles &&
         bank_conflict_stalls == o.bank_conflict_stalls &&
         dram_stall_cycles == o.dram_stall_cycles && bank_active_cycles == o.bank_active_cycles &&
         bank_retention_cycles == o.bank_retention_cycles && bank_off_cycles == o.bank_off_cycles;
}

const std::vector<CounterDescription>& counter_descriptions() {
  static const std::vector<CounterDescription> d{
      {"cycles", "cycles", "clock cycles from layer start to last output written"},
      {"macs", "ops", "useful multiply-accumulates (active channels only)"},
      {"pe_active_cycles", "PE-cycles", "PE-cycles doing a MAC (incl. zero-padding operands) in the fold's used rows/columns"},
      {"pe_idle_cycles", "PE-cycles", "PE-cycles of enabled PEs not doing a MAC (fill, drain, stall)"},
      {"pe_gated_cycles", "PE-cycles", "PE-cycles of clock-gated PEs (rows/columns unused by a fold)"},
      {"pe_weight_loads", "writes", "writes of a stationary operand into a PE register"},
      {"link_operand_transfers", "hops", "operand hops between neighbouring PEs"},
      {"link_psum_transfers", "hops", "partial-sum hops between neighbouring PEs"},
      {"wsram_reads", "words/bank", "weight-SRAM word reads, per bank"},
      {"wsram_writes", "words/bank", "weight-SRAM word writes, per bank (DRAM refills)"},
      {"act_reads", "words", "activation-buffer word reads"},
      {"act_writes", "words", "activation-buffer word writes"},
      {"accum_reads", "words", "partial-sum accumulator reads (int32; row folds after the first)"},
      {"accum_writes", "words", "partial-sum accumulator writes (int32; every psum leaving the array)"},
      {"dram_read_bytes", "bytes", "off-chip bytes read (weights that do not fit on chip)"},
      {"dram_write_bytes", "bytes", "off-chip bytes written"},
      {"postproc_ops", "ops", "requantizations (bias add + shift + ReLU + saturate)"},
      {"pool_compares", "ops", "max-pool comparisons"},
      {"controller_cycles", "cycles", "cycles the controller sequences this layer"},
      {"bank_conflict_stalls", "cycles", "cycles lost to weight-SRAM bank conflicts"},
      {"dram_stall_cycles", "cycles", "cycles lost waiting for DRAM"},
      {"bank_active_cycles", "cycles/bank", "per weight-SRAM bank: cycles powered on"},
      {"bank_retention_cycles", "cycles/bank", "per bank: cycles in retention (drowsy)"},
      {"bank_off_cycles", "cycles/bank", "per bank: cycles power-gated off"},
  };
  return d;
}

}  // namespace rcsim
