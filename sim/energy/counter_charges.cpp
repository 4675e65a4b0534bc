#include "energy/counter_charges.h"

namespace rcsim::energy {

const std::vector<CounterCharge>& counter_charges() {
  static const std::vector<CounterCharge> rows = {
      {"cycles", "(all)", {"controller.leakage_uw", "postproc.lane_leakage_uw", "sram.leakage", "leakage_state.active_factor"},
       "time t = cycles / clock_hz; controller, post-processing lanes (one per column), activation buffers and accumulator leak for t"},
      {"macs", "-", {}, "statistic only (useful MACs); the array is charged on pe_active_cycles"},
      {"pe_active_cycles", "pe_array", {"pe.mac_int8_pj", "pe.mac_int16_pj", "pe.leakage_int8_uw", "pe.leakage_int16_uw"},
       "x mac_<precision>_pj + PE leakage x active_factor x cycles / clock_hz"},
      {"pe_idle_cycles", "pe_array", {"pe.idle_fraction"},
       "x idle_fraction x mac_<precision>_pj + PE leakage x active_factor x cycles / clock_hz"},
      {"pe_gated_cycles", "pe_array", {"pe.gated_fraction", "leakage_state.clock_gated_factor"},
       "x gated_fraction x mac_<precision>_pj + PE leakage x clock_gated_factor x cycles / clock_hz"},
      {"pe_weight_loads", "pe_array", {"pe.register_pj_per_bit"}, "x precision_bits x register_pj_per_bit"},
      {"link_operand_transfers", "array_links", {"array.link_pj_per_bit"}, "x precision_bits x link_pj_per_bit"},
      {"link_psum_transfers", "array_links", {"array.link_pj_per_bit"}, "x psum_bits x link_pj_per_bit"},
      {"wsram_reads", "weight_sram", {"sram.access"}, "per bank: x read_pj(bank bytes, word bits)"},
      {"wsram_writes", "weight_sram", {"sram.access"}, "per bank: x write_pj(bank bytes, word bits)"},
      {"act_reads", "act_buffer", {"sram.access"}, "x read_pj(buffer bytes, word bits)"},
      {"act_writes", "act_buffer", {"sram.access"}, "x write_pj(buffer bytes, word bits)"},
      {"accum_reads", "accumulator", {"sram.access"}, "x read_pj(accum bytes, accum word bits)"},
      {"accum_writes", "accumulator", {"sram.access"}, "x write_pj(accum bytes, accum word bits)"},
      {"dram_read_bytes", "dram", {"dram.lpddr4_pj_per_bit", "dram.ddr4_pj_per_bit", "dram.ddr3_pj_per_bit", "dram.horowitz_pj_per_bit"},
       "x 8 x <dram>_pj_per_bit"},
      {"dram_write_bytes", "dram", {"dram.lpddr4_pj_per_bit", "dram.ddr4_pj_per_bit", "dram.ddr3_pj_per_bit", "dram.horowitz_pj_per_bit"},
       "x 8 x <dram>_pj_per_bit"},
      {"postproc_ops", "postproc", {"postproc.requant_pj"}, "x requant_pj"},
      {"pool_compares", "postproc", {"postproc.pool_compare_pj"}, "x pool_compare_pj"},
      {"pool_adds", "postproc", {"postproc.add_pj"}, "x add_pj"},
      {"pool_divides", "postproc", {"postproc.divide_pj"}, "x divide_pj"},
      {"eltwise_adds", "postproc", {"postproc.eltwise_add_pj"}, "x eltwise_add_pj"},
      {"postproc_mults", "postproc", {"postproc.mult_pj"}, "x mult_pj"},
      {"controller_cycles", "controller", {"controller.pj_per_cycle"}, "x pj_per_cycle"},
      {"bank_conflict_stalls", "-", {}, "included in cycles (charged as leakage time only)"},
      {"dram_stall_cycles", "-", {}, "included in cycles (charged as leakage time only)"},
      {"bank_active_cycles", "weight_sram", {"sram.leakage", "leakage_state.active_factor"},
       "per bank: leakage_uw(bank) x active_factor x cycles / clock_hz"},
      {"bank_retention_cycles", "weight_sram", {"sram.leakage", "leakage_state.retention_factor"},
       "per bank: leakage_uw(bank) x retention_factor x cycles / clock_hz"},
      {"bank_off_cycles", "weight_sram", {"sram.leakage", "leakage_state.off_factor"},
       "per bank: leakage_uw(bank) x off_factor x cycles / clock_hz"},
      {"(reconfiguration)", "weight_sram",
       {"sram.retention_wake_pj_per_kb", "sram.retention_wake_cycles", "sram.off_wake_pj_per_kb", "sram.off_wake_ns"},
       "reconfig_cost(): waking banks of the added width groups (+ DRAM reload after 'off')"},
  };
  return rows;
}

}  // namespace rcsim::energy
