#pragma once
// Cost of switching the width configuration between inferences (for the governor). Narrowing or
// keeping the width costs one width-register write. Widening wakes the weight-SRAM banks of the
// added groups: from retention a short wake; from off (power-gated, contents lost) a power-up
// plus reloading the banks' weights from DRAM (DRAM bits + SRAM word writes).
#include <cstdint>
#include <vector>

#include "core/network.h"
#include "energy/energy_hardware.h"
#include "energy/energy_table.h"

namespace rcsim::energy {

/// Which width group's weights each weight-SRAM bank holds (each group in its own banks, mapper/weight_layout.h).
struct WeightBankLayout {
  std::vector<int> bank_group;               ///< per bank: width group 1..G, 0 = unused (always off)
  std::vector<std::int64_t> bank_used_bytes;  ///< per bank: weight bytes stored in it
};

/// The mapper's rule (sim/mapper/weight_layout.h): banks split evenly among the G groups
/// (banks/G each, bank b → group b/(banks/G)+1); the bytes group g adds (weight_bytes(g) −
/// weight_bytes(g−1) at hw.precision_bits) spread evenly over its banks, capped at the bank size
/// (the rest is streamed from DRAM every inference, not reloaded). InputError if banks is not a
/// multiple of G. With the accelerator linked, fill WeightBankLayout from WeightLayout instead.
WeightBankLayout group_bank_layout(const Network& net, const EnergyHardware& hw);

struct ReconfigCost {
  int from_k = 0;
  int to_k = 0;
  double reconfig_cost_j = 0;
  std::int64_t reconfig_cycles = 0;
  int banks_woken = 0;
  std::int64_t reload_bytes = 0;  ///< from DRAM (policy off only)
  std::int64_t sram_writes = 0;   ///< weight-SRAM word writes of the reload
};

/// Cost of switching from width k_from to k_to under hw.gating. InputError for a layout whose
/// size differs from hw.wsram_banks or a width outside 1..max group in the layout.
ReconfigCost reconfig_cost(const EnergyTable& t, const EnergyHardware& hw, const WeightBankLayout& layout,
                           int k_from, int k_to);

}  // namespace rcsim::energy
