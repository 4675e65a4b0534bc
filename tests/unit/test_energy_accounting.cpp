// Energy accounting: totals equal a hand computation of Σ counts × table entries; energy grows
// with width; gated banks leak the documented fraction; reconfiguration and storage costs.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

#include "core/arch_params.h"
#include "core/errors.h"
#include "core/network_yaml.h"
#include "energy/arch_energy.h"
#include "energy/counter_charges.h"
#include "energy/energy_accounting.h"
#include "energy/reconfig_cost.h"
#include "energy/storage_report.h"

using namespace rcsim;
using namespace rcsim::energy;

namespace {

// Round numbers so the hand computation below is readable. One SRAM point = constant energy
// (10 pJ read, 20 pJ write per access, 100 uW per KB leakage) for every size and word.
const char* kHandTable = R"(
node: hand
voltage_v: 1.0
pe:
  source: "test"
  mac_int8_pj: 0.5
  mac_int16_pj: 2
  idle_fraction: 0.1
  gated_fraction: 0.02
  register_pj_per_bit: 0.01
  leakage_int8_uw: 10
  leakage_int16_uw: 30
array: {source: "test", link_pj_per_bit: 0.02}
sram:
  source: "test"
  access: {source: "test", points: [{capacity_kb: 1, word_bits: 64, read_pj: 10, write_pj: 20}]}
  leakage: {source: "test", points: [{capacity_kb: 1, uw_per_kb: 100}]}
  retention_wake_pj_per_kb: 1.5
  retention_wake_cycles: 3
  off_wake_pj_per_kb: 2.5
  off_wake_ns: 50
leakage_state: {source: "test", active_factor: 1, clock_gated_factor: 1, retention_factor: 0.25, off_factor: 0.05}
dram: {source: "test", lpddr4_pj_per_bit: 8, ddr4_pj_per_bit: 15, ddr3_pj_per_bit: 25, horowitz_pj_per_bit: 20}
postproc: {source: "test", requant_pj: 0.4, pool_compare_pj: 0.05, add_pj: 0.11, divide_pj: 3.3, eltwise_add_pj: 0.6,
           mult_pj: 2.9, lane_leakage_uw: 5}
controller: {source: "test", pj_per_cycle: 1.0, leakage_uw: 20}
)";

EnergyHardware hand_hw() {
  EnergyHardware hw;
  hw.array_rows = 2;
  hw.array_cols = 2;
  hw.precision_bits = 8;
  hw.psum_bits = 32;
  hw.clock_hz = 1e9;  // 1 ns per cycle
  hw.wsram_banks = 2;
  hw.wsram_bank_bytes = 4 * 1024;
  hw.wsram_word_bits = 64;
  hw.act_buffers = 2;
  hw.act_buffer_bytes = 2 * 1024;
  hw.act_word_bits = 64;
  hw.accum_bytes = 1024;
  hw.accum_word_bits = 32;
  hw.dram = "lpddr4";
  return hw;
}

LayerCounters hand_counters() {
  LayerCounters c;
  c.layer = "hand";
  c.cycles = 100;
  c.macs = 290;
  c.pe_active_cycles = 300;
  c.pe_idle_cycles = 60;
  c.pe_gated_cycles = 40;
  c.pe_weight_loads = 8;
  c.link_operand_transfers = 200;
  c.link_psum_transfers = 150;
  c.wsram_reads = {10, 5};
  c.wsram_writes = {0, 2};
  c.act_reads = 30;
  c.act_writes = 20;
  c.accum_reads = 7;
  c.accum_writes = 9;
  c.dram_read_bytes = 64;
  c.postproc_ops = 12;
  c.pool_compares = 6;
  c.pool_adds = 5;
  c.pool_divides = 2;
  c.eltwise_adds = 4;
  c.postproc_mults = 3;
  c.controller_cycles = 100;
  c.bank_conflict_stalls = 3;
  c.bank_active_cycles = {100, 60};
  c.bank_retention_cycles = {0, 40};
  c.bank_off_cycles = {0, 0};
  return c;
}

// A synthetic layer at width k of G: work, active banks and SRAM traffic scale with k.
LayerCounters synthetic(const EnergyHardware& hw, int k, int G) {
  LayerCounters c;
  c.layer = "synthetic";
  const std::int64_t pes = std::int64_t(hw.array_rows) * hw.array_cols;
  c.cycles = 1000;
  c.pe_active_cycles = pes * c.cycles * k / G;
  c.pe_gated_cycles = pes * c.cycles - c.pe_active_cycles;
  c.macs = c.pe_active_cycles;
  c.pe_weight_loads = 64 * k;
  c.link_operand_transfers = 2 * c.pe_active_cycles;
  c.link_psum_transfers = c.pe_active_cycles;
  c.act_reads = 100 * k;
  c.act_writes = 50 * k;
  c.accum_writes = 40 * k;
  c.postproc_ops = 40 * k;
  c.controller_cycles = c.cycles;
  const int bpg = hw.wsram_banks / G;
  c.wsram_reads.assign(hw.wsram_banks, 0);
  c.bank_active_cycles.assign(hw.wsram_banks, 0);
  c.bank_retention_cycles.assign(hw.wsram_banks, 0);
  c.bank_off_cycles.assign(hw.wsram_banks, 0);
  for (int b = 0; b < hw.wsram_banks; ++b) {
    if (b / bpg < k) {
      c.wsram_reads[b] = 200;
      c.bank_active_cycles[b] = c.cycles;
    } else if (hw.gating == BankGating::Retention) {
      c.bank_retention_cycles[b] = c.cycles;
    } else {
      c.bank_off_cycles[b] = c.cycles;
    }
  }
  return c;
}

}  // namespace

TEST(EnergyAccounting, TotalsEqualHandComputation) {
  const EnergyTable t = parse_energy_table(kHandTable, "hand.yaml");
  const EnergyReport r = account_energy(t, hand_hw(), {hand_counters()});
  const double pJ = 1e-12;
  // PE array: 300 MACs x 0.5 + 60 idle x 0.5 x 0.1 + 40 gated x 0.5 x 0.02 + 8 loads x 8 bits x 0.01;
  // leakage 10 uW x (300 + 60 + 40) PE-cycles x 1 ns.
  const double pe_dyn = 300 * 0.5 + 60 * 0.5 * 0.1 + 40 * 0.5 * 0.02 + 8 * 8 * 0.01;
  const double pe_stat = 10e-6 * 400e-9 / pJ;
  // Links: (200 operand hops x 8 bits + 150 psum hops x 32 bits) x 0.02.
  const double links = (200 * 8 + 150 * 32) * 0.02;
  // Weight SRAM: 15 reads x 10 + 2 writes x 20; bank leak 100 uW/KB x 4 KB = 400 uW:
  // bank 0 active 100 ns, bank 1 active 60 ns + retention 40 ns x 0.25.
  const double ws_dyn = 15 * 10 + 2 * 20;
  const double ws_stat = 400e-6 * (100 + 60 + 40 * 0.25) * 1e-9 / pJ;
  // Activation buffers: 30 x 10 + 20 x 20; 2 halves x 200 uW x 100 ns.
  const double act_dyn = 30 * 10 + 20 * 20;
  const double act_stat = 2 * 200e-6 * 100e-9 / pJ;
  // Accumulator (1 KB, 32-bit words charged as the 64-bit point): 7 x 10 + 9 x 20; 100 uW x 100 ns.
  const double acc_dyn = 7 * 10 + 9 * 20;
  const double acc_stat = 100e-6 * 100e-9 / pJ;
  const double dram = 64 * 8 * 8.0;                                 // bytes x 8 x LPDDR4 pJ/bit
  // requantizations, max-pool compares, avg-pool adds and divides, element-wise adds, per-channel multiplies
  const double pp_dyn = 12 * 0.4 + 6 * 0.05 + 5 * 0.11 + 2 * 3.3 + 4 * 0.6 + 3 * 2.9, pp_stat = 2 * 5e-6 * 100e-9 / pJ;  // 2 lanes
  const double ct_dyn = 100 * 1.0, ct_stat = 20e-6 * 100e-9 / pJ;

  const auto& c = r.components;
  EXPECT_NEAR(c.at("pe_array").dynamic_j / pJ, pe_dyn, 1e-9);
  EXPECT_NEAR(c.at("pe_array").static_j / pJ, pe_stat, 1e-9);
  EXPECT_NEAR(c.at("array_links").dynamic_j / pJ, links, 1e-9);
  EXPECT_NEAR(c.at("weight_sram").dynamic_j / pJ, ws_dyn, 1e-9);
  EXPECT_NEAR(c.at("weight_sram").static_j / pJ, ws_stat, 1e-9);
  EXPECT_NEAR(c.at("act_buffer").dynamic_j / pJ, act_dyn, 1e-9);
  EXPECT_NEAR(c.at("act_buffer").static_j / pJ, act_stat, 1e-9);
  EXPECT_NEAR(c.at("accumulator").dynamic_j / pJ, acc_dyn, 1e-9);
  EXPECT_NEAR(c.at("accumulator").static_j / pJ, acc_stat, 1e-9);
  EXPECT_NEAR(c.at("dram").dynamic_j / pJ, dram, 1e-9);
  EXPECT_NEAR(c.at("postproc").dynamic_j / pJ, pp_dyn, 1e-9);
  EXPECT_NEAR(c.at("postproc").static_j / pJ, pp_stat, 1e-9);
  EXPECT_NEAR(c.at("controller").dynamic_j / pJ, ct_dyn, 1e-9);
  EXPECT_NEAR(c.at("controller").static_j / pJ, ct_stat, 1e-9);
  const double dyn = pe_dyn + links + ws_dyn + act_dyn + acc_dyn + dram + pp_dyn + ct_dyn;
  const double stat = pe_stat + ws_stat + act_stat + acc_stat + pp_stat + ct_stat;
  EXPECT_NEAR(r.dynamic_j / pJ, dyn, 1e-8);
  EXPECT_NEAR(r.static_j / pJ, stat, 1e-8);
  EXPECT_NEAR(r.energy_j / pJ, dyn + stat, 1e-8);
  EXPECT_NEAR(r.time_s, 100e-9, 1e-18);
  EXPECT_NEAR(r.avg_power_w, r.energy_j / 100e-9, 1e-12);
  EXPECT_NEAR(r.edp_js, r.energy_j * 100e-9, 1e-30);
}

TEST(EnergyAccounting, ReportSumsAgreeAndJsonHasTheFields) {
  const EnergyTable t = parse_energy_table(kHandTable, "hand.yaml");
  LayerCounters a = hand_counters(), b = hand_counters();
  b.layer = "second";
  b.macs = b.pe_active_cycles = 100;
  const EnergyReport r = account_energy(t, hand_hw(), {a, b});
  ASSERT_EQ(r.energy_by_layer_j.size(), 2u);
  EXPECT_NEAR(r.energy_by_layer_j[0] + r.energy_by_layer_j[1], r.energy_j, 1e-20);
  double by_comp = 0;
  for (const auto& [n, e] : r.energy_by_component_j) by_comp += e;
  EXPECT_NEAR(by_comp, r.energy_j, 1e-20);
  EXPECT_EQ(r.energy_by_component_j.size(), component_names().size());
  const nlohmann::json j = r.to_json();
  for (const char* k : {"energy_j", "dynamic_j", "static_j", "avg_power_w", "edp_js", "energy_by_component_j",
                        "energy_by_layer_j", "layers", "table"})
    EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_FALSE(j.contains("energy_uj"));  // SI units only (docs/outputs.md)
  EXPECT_EQ(j["table"]["sources"]["pe.mac_int8_pj"], "test");
  EXPECT_FALSE(j["table"]["sources"].contains("pe.mac_int16_pj"));  // only entries this hardware uses
}

TEST(EnergyAccounting, EnergyIsMonotoneInWidth) {
  const EnergyTable t = load_energy_table("45nm");
  for (BankGating policy : {BankGating::Retention, BankGating::Off}) {
    EnergyHardware hw;
    hw.gating = policy;
    const int G = 4;
    double prev = 0, prev_dyn = 0;
    for (int k = 1; k <= G; ++k) {
      const EnergyReport r = account_energy(t, hw, {synthetic(hw, k, G)});
      EXPECT_GT(r.energy_j, prev) << "k=" << k << " policy " << to_string(policy);
      EXPECT_GT(r.dynamic_j, prev_dyn) << "k=" << k;
      prev = r.energy_j;
      prev_dyn = r.dynamic_j;
    }
  }
}

TEST(EnergyAccounting, GatedBankLeaksTheDocumentedFraction) {
  const EnergyTable t = load_energy_table("45nm");
  const EnergyHardware hw;
  auto bank_static = [&](const char* state) {
    LayerCounters c;
    c.layer = state;
    c.cycles = 5000;
    c.bank_active_cycles.assign(hw.wsram_banks, 0);
    c.bank_retention_cycles.assign(hw.wsram_banks, 0);
    c.bank_off_cycles.assign(hw.wsram_banks, 0);
    auto& v = std::string(state) == "active" ? c.bank_active_cycles
              : std::string(state) == "retention" ? c.bank_retention_cycles : c.bank_off_cycles;
    v.assign(hw.wsram_banks, c.cycles);
    return account_energy(t, hw, {c}).components.at("weight_sram").static_j;
  };
  const double active = bank_static("active");
  ASSERT_GT(active, 0);
  EXPECT_NEAR(bank_static("retention") / active, t.at("leakage_state.retention_factor"), 1e-12);
  EXPECT_NEAR(bank_static("off") / active, t.at("leakage_state.off_factor"), 1e-12);
  EXPECT_LT(t.at("leakage_state.off_factor"), t.at("leakage_state.retention_factor"));
}

TEST(EnergyAccounting, InconsistentBankCountersAreErrors) {
  const EnergyTable t = parse_energy_table(kHandTable, "hand.yaml");
  LayerCounters c = hand_counters();
  c.bank_active_cycles = {100};
  EXPECT_THROW(account_energy(t, hand_hw(), {c}), InputError);
  c = hand_counters();
  c.bank_retention_cycles = {0, 39};
  EXPECT_THROW(account_energy(t, hand_hw(), {c}), InputError);
  c = hand_counters();
  c.wsram_reads.clear();  // empty access vectors mean no accesses
  EXPECT_NO_THROW(account_energy(t, hand_hw(), {c}));
  EnergyHardware hw = hand_hw();
  hw.dram = "hbm9";
  EXPECT_THROW(account_energy(t, hw, {hand_counters()}), InputError);
}

// EnergyHardware's architecture-derived defaults are the default architecture's, mapped exactly as
// energy_hardware_of() maps any architecture (the two used to be maintained by hand, and drifted).
TEST(EnergyHardwareDefaults, AreTheDefaultArchitecture) {
  const EnergyHardware d;
  for (const ArchParams& a : {ArchParams{}, load_arch("default")}) {
    const EnergyHardware m = energy_hardware_of(a);
    EXPECT_EQ(d.array_rows, m.array_rows);
    EXPECT_EQ(d.array_cols, m.array_cols);
    EXPECT_EQ(d.precision_bits, m.precision_bits);
    EXPECT_EQ(d.psum_bits, m.psum_bits);
    EXPECT_EQ(d.clock_hz, m.clock_hz);
    EXPECT_EQ(d.wsram_banks, m.wsram_banks);
    EXPECT_EQ(d.wsram_bank_bytes, m.wsram_bank_bytes);
    EXPECT_EQ(d.wsram_word_bits, m.wsram_word_bits);
    EXPECT_EQ(d.act_buffers, m.act_buffers);
    EXPECT_EQ(d.act_buffer_bytes, m.act_buffer_bytes);
    EXPECT_EQ(d.act_word_bits, m.act_word_bits);
    EXPECT_EQ(d.accum_bytes, m.accum_bytes);
    EXPECT_EQ(d.accum_word_bits, m.accum_word_bits);
    EXPECT_EQ(d.dram, m.dram);
    EXPECT_EQ(d.dram_bytes_per_cycle, m.dram_bytes_per_cycle);
    EXPECT_EQ(d.tech, m.tech);
    EXPECT_EQ(d.gating, m.gating);
  }
  EXPECT_EQ(d.wsram_bank_bytes, 128 * 1024);  // 1 MiB in 8 banks (workloads/arch/default.yaml)
}

TEST(ReconfigCost, NarrowingIsARegisterWriteWideningWakesBanks) {
  const EnergyTable t = parse_energy_table(kHandTable, "hand.yaml");
  EnergyHardware hw = hand_hw();
  hw.wsram_banks = 4;  // one bank per group of a G = 4 layout
  WeightBankLayout l{{1, 2, 3, 4}, {1000, 2000, 3000, 4096}};
  const double reg = 32 * 0.01e-12;
  const ReconfigCost narrow = reconfig_cost(t, hw, l, 4, 1);
  EXPECT_NEAR(narrow.reconfig_cost_j, reg, 1e-24);
  EXPECT_EQ(narrow.reconfig_cycles, 1);
  EXPECT_EQ(narrow.banks_woken, 0);

  hw.gating = BankGating::Retention;
  const ReconfigCost ret = reconfig_cost(t, hw, l, 1, 3);  // wakes the banks of groups 2 and 3
  EXPECT_EQ(ret.banks_woken, 2);
  EXPECT_NEAR(ret.reconfig_cost_j, reg + 2 * 4 * 1.5e-12, 1e-24);  // 2 banks x 4 KB x 1.5 pJ/KB
  EXPECT_EQ(ret.reconfig_cycles, 1 + 3);
  EXPECT_EQ(ret.reload_bytes, 0);

  hw.gating = BankGating::Off;
  const ReconfigCost off = reconfig_cost(t, hw, l, 1, 3);
  EXPECT_EQ(off.reload_bytes, 2000 + 3000);
  EXPECT_EQ(off.sram_writes, 2000 * 8 / 64 + 3000 * 8 / 64);
  // Power-up 2 x 4 KB x 2.5 pJ + DRAM 5000 B x 8 x 8 pJ + writes x 20 pJ.
  EXPECT_NEAR(off.reconfig_cost_j, reg + (2 * 4 * 2.5 + 5000 * 8 * 8.0 + off.sram_writes * 20.0) * 1e-12, 1e-20);
  // 50 ns at 1 GHz, then max(5000 B / 16 B per cycle, busiest bank's 375 writes).
  EXPECT_EQ(off.reconfig_cycles, 1 + 50 + std::max<std::int64_t>((5000 + 15) / 16, 375));
  EXPECT_GT(off.reconfig_cost_j, ret.reconfig_cost_j);
  EXPECT_THROW(reconfig_cost(t, hw, l, 0, 2), InputError);
  EXPECT_THROW(reconfig_cost(t, hw, WeightBankLayout{{1}, {10}}, 1, 1), InputError);
}

TEST(Storage, IncrementalSetAgainstSeparateNetworksAndBigLittle) {
  const Network net = load_network("mnist_lenet");
  const StorageReport s = storage_report(net, 8);
  const int G = net.width_groups;
  std::vector<std::int64_t> bytes;
  for (int k = 1; k <= G; ++k) {
    std::int64_t w = 0, b = 0;
    for (std::size_t i = 0; i < net.layers.size(); ++i) w += net.weight_count(i, k), b += net.bias_count(i, k);
    bytes.push_back(w + 4 * b);  // int8 weights, int32 biases
  }
  EXPECT_EQ(s.bytes_per_width, bytes);
  EXPECT_EQ(s.incremental_bytes, bytes.back());
  EXPECT_EQ(s.separate_bytes, std::accumulate(bytes.begin(), bytes.end(), std::int64_t{0}));
  EXPECT_EQ(s.big_little_bytes, bytes.front() + bytes.back());
  EXPECT_NEAR(s.saving_vs_separate_pct, 100.0 * (1 - double(bytes.back()) / double(s.separate_bytes)), 1e-12);
  // Widths are nested, so one set is smaller than any collection that includes the full width.
  EXPECT_GT(s.saving_vs_separate_pct, 0);
  EXPECT_GT(s.saving_vs_big_little_pct, 0);
  EXPECT_EQ(storage_report(net, 16).incremental_bytes > s.incremental_bytes, true);
  EXPECT_THROW(storage_report(net, 4), InputError);
}

TEST(Storage, DefaultBankLayoutSplitsBanksEvenlyAmongGroups) {
  const Network net = load_network("mnist_lenet");
  EnergyHardware hw;  // 8 banks of 128 KB, G = 4: two banks per group
  const WeightBankLayout l = group_bank_layout(net, hw);
  ASSERT_EQ(l.bank_group.size(), 8u);
  EXPECT_EQ(l.bank_group, (std::vector<int>{1, 1, 2, 2, 3, 3, 4, 4}));
  // Everything fits: the banks hold exactly the full-width weight set.
  EXPECT_EQ(std::accumulate(l.bank_used_bytes.begin(), l.bank_used_bytes.end(), std::int64_t{0}),
            weight_bytes(net, net.width_groups, hw.precision_bits));
  hw.wsram_banks = 6;
  EXPECT_THROW(group_bank_layout(net, hw), InputError);
}
