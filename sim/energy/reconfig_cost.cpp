#include "energy/reconfig_cost.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/errors.h"
#include "energy/sram_model.h"
#include "energy/storage_report.h"

namespace rcsim::energy {

namespace {
constexpr int kWidthRegisterBits = 32;  // the controller's width-configuration register
}

WeightBankLayout group_bank_layout(const Network& net, const EnergyHardware& hw) {
  hw.validate();
  const int G = net.width_groups;
  if (hw.wsram_banks % G != 0)
    throw InputError("network " + net.name + ": " + std::to_string(hw.wsram_banks) +
                     " weight-SRAM banks are not a multiple of its " + std::to_string(G) + " width groups");
  const int bpg = hw.wsram_banks / G;
  WeightBankLayout l;
  for (int g = 1; g <= G; ++g) {
    // Group 1 also holds what every width shares (first-layer inputs, classifier biases).
    const std::int64_t added = weight_bytes(net, g, hw.precision_bits) -
                               (g == 1 ? 0 : weight_bytes(net, g - 1, hw.precision_bits));
    for (int j = 0; j < bpg; ++j) {
      // Bank j of the group gets its share of the group's bytes (the first banks take the remainder).
      const std::int64_t share = added / bpg + (j < added % bpg ? 1 : 0);
      l.bank_group.push_back(g);
      l.bank_used_bytes.push_back(std::min(share, hw.wsram_bank_bytes));
    }
  }
  return l;
}

ReconfigCost reconfig_cost(const EnergyTable& t, const EnergyHardware& hw, const WeightBankLayout& layout,
                           int k_from, int k_to) {
  hw.validate();
  if (static_cast<int>(layout.bank_group.size()) != hw.wsram_banks ||
      layout.bank_used_bytes.size() != layout.bank_group.size())
    throw InputError("reconfiguration: bank layout has " + std::to_string(layout.bank_group.size()) +
                     " banks, the hardware has " + std::to_string(hw.wsram_banks));
  const int groups = layout.bank_group.empty() ? 0 : *std::max_element(layout.bank_group.begin(), layout.bank_group.end());
  for (int k : {k_from, k_to})
    if (k < 1 || k > std::max(groups, 1))
      throw InputError("reconfiguration: width " + std::to_string(k) + " outside 1.." + std::to_string(std::max(groups, 1)));

  ReconfigCost r;
  r.from_k = k_from;
  r.to_k = k_to;
  r.reconfig_cycles = 1;
  r.reconfig_cost_j = kWidthRegisterBits * t.at("pe.register_pj_per_bit") * 1e-12;
  if (k_to <= k_from) return r;  // narrowing: banks of dropped groups just enter retention/off

  const SramMacroEnergy bank = sram_macro_energy(t, hw.wsram_bank_bytes, hw.wsram_word_bits);
  const double bank_kb = double(hw.wsram_bank_bytes) / 1024.0;
  std::int64_t max_bank_writes = 0;
  for (std::size_t b = 0; b < layout.bank_group.size(); ++b) {
    const int g = layout.bank_group[b];
    if (g <= k_from || g > k_to) continue;
    ++r.banks_woken;
    if (hw.gating == BankGating::Retention) {
      r.reconfig_cost_j += bank_kb * t.at("sram.retention_wake_pj_per_kb") * 1e-12;
    } else {
      const std::int64_t bytes = layout.bank_used_bytes[b];
      const std::int64_t writes = (bytes * 8 + hw.wsram_word_bits - 1) / hw.wsram_word_bits;
      r.reload_bytes += bytes;
      r.sram_writes += writes;
      max_bank_writes = std::max(max_bank_writes, writes);
      r.reconfig_cost_j += (bank_kb * t.at("sram.off_wake_pj_per_kb") + double(bytes) * 8.0 * t.at(hw.dram_entry()) +
                            double(writes) * bank.write_pj) * 1e-12;
    }
  }
  if (r.banks_woken == 0) return r;
  if (hw.gating == BankGating::Retention) {
    r.reconfig_cycles += static_cast<std::int64_t>(t.at("sram.retention_wake_cycles"));
  } else {
    // Banks power up together, then the reload streams at DRAM bandwidth; banks are written in
    // parallel, so the slower of DRAM streaming and the busiest bank's writes bounds it.
    // (ns × GHz is not exact in binary: round away a last-bit excess before taking the ceiling)
    const auto wake = static_cast<std::int64_t>(std::ceil(t.at("sram.off_wake_ns") * hw.clock_hz / 1e9 - 1e-9));
    const auto stream = static_cast<std::int64_t>(std::ceil(double(r.reload_bytes) / hw.dram_bytes_per_cycle));
    r.reconfig_cycles += wake + std::max(stream, max_bank_writes);
  }
  return r;
}

}  // namespace rcsim::energy
