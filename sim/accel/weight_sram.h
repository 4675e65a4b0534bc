#pragma once
// Banked weight SRAM: each width group in its own banks (mapper/weight_layout.h). Counts word
// reads/writes per bank and the cycles each bank spends active / in retention / off: banks of
// groups ≤ k are active; the others sit in the arch's gating state for the whole inference.
#include <cstdint>
#include <vector>

#include "accel/counters.h"
#include "mapper/weight_layout.h"

namespace rcsim {

class WeightSram {
 public:
  WeightSram(const Network& net, const ArchParams& arch) : layout_(net, arch), gating_(arch.gating) {}
  const WeightLayout& layout() const { return layout_; }

  /// Sizes the per-bank vectors of a layer's counters.
  void init_counters(LayerCounters& c) const {
    const std::size_t b = std::size_t(layout_.banks());
    c.wsram_reads.assign(b, 0);
    c.wsram_writes.assign(b, 0);
    c.bank_active_cycles.assign(b, 0);
    c.bank_retention_cycles.assign(b, 0);
    c.bank_off_cycles.assign(b, 0);
  }
  /// Power state of every bank over a layer of `cycles` at width k.
  void account_bank_states(std::int64_t cycles, int k, LayerCounters& c) const {
    for (int b = 0; b < layout_.banks(); ++b) {
      if (layout_.bank_group(b) <= k) c.bank_active_cycles[b] += cycles;
      else if (gating_ == BankGating::Retention) c.bank_retention_cycles[b] += cycles;
      else c.bank_off_cycles[b] += cycles;
    }
  }

 private:
  WeightLayout layout_;
  BankGating gating_;
};

}  // namespace rcsim
