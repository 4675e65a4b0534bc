#pragma once
// Banked weight SRAM: each width group in its own banks (mapper/weight_layout.h). Counts word
// reads/writes per bank and the cycles each bank spends active / in retention / off: banks of
// groups ≤ k are active; the others sit in the arch's gating state for the whole inference.
//
// A SystemC module reached through `port` (an sc_export of IWeightSram): the controller sends
// it row reads (per preload cycle in per-cycle mode), DRAM refill writes and one bank-state
// command per layer. Interface method calls, not signals: a read returns in the cycle it is
// issued (a bank delivers one word per cycle; the multi-word stalls are in the controller's
// preload schedule), so a channel with a delta cycle would add kernel cost and no timing.
#include <cstdint>
#include <systemc>
#include <vector>

#include "core/layer_counters.h"
#include "mapper/weight_layout.h"

namespace rcsim {

/// What the controller may ask of the weight SRAM. Counts go into the layer's counters given to
/// begin_layer() (stats live next to the state they count).
class IWeightSram : public virtual sc_core::sc_interface {
 public:
  virtual const WeightLayout& layout() const = 0;
  /// Sizes the per-bank vectors of `c` and counts this layer's events into it.
  virtual void begin_layer(LayerCounters& c) = 0;
  /// One stationary-operand row (reduction row kidx of a job whose weights lie as `rows` says,
  /// columns n0..n0+sc−1) read.
  virtual void read_row(const JobWeightRows& rows, std::int64_t kidx, std::int64_t n0, int sc) = 0;
  /// Layer i's non-resident active chunks (width k) written from DRAM.
  virtual void refill(std::size_t i, int k) = 0;
  /// Bank-state command: the layer ran `cycles` at width k (banks of groups ≤ k active).
  virtual void hold_bank_states(int k, std::int64_t cycles) = 0;
};

class WeightSram final : public sc_core::sc_module, public IWeightSram {
 public:
  sc_core::sc_export<IWeightSram> port;  ///< the controller's access

  explicit WeightSram(const sc_core::sc_module_name& name) : sc_core::sc_module(name), port("port") {
    port.bind(*this);
  }
  /// Per accelerator configuration (the module outlives AcceleratorSim objects).
  void configure(const WeightLayout* layout, BankGating gating) { layout_ = layout, gating_ = gating; }

  const WeightLayout& layout() const override { return *layout_; }
  void begin_layer(LayerCounters& c) override {
    init_counters(*layout_, c);
    c_ = &c;
  }
  void read_row(const JobWeightRows& rows, std::int64_t kidx, std::int64_t n0, int sc) override {
    layout_->add_row_reads(rows, kidx, n0, sc, c_->wsram_reads);
  }
  void refill(std::size_t i, int k) override { layout_->add_refill_writes(i, k, c_->wsram_writes); }
  void hold_bank_states(int k, std::int64_t cycles) override {
    for (int b = 0; b < layout_->banks(); ++b) {
      if (layout_->bank_group(b) <= k) c_->bank_active_cycles[b] += cycles;
      else if (gating_ == BankGating::Retention) c_->bank_retention_cycles[b] += cycles;
      else c_->bank_off_cycles[b] += cycles;
    }
  }

  /// Sizes the per-bank vectors of a layer's counters.
  static void init_counters(const WeightLayout& l, LayerCounters& c) {
    const std::size_t b = std::size_t(l.banks());
    c.wsram_reads.assign(b, 0);
    c.wsram_writes.assign(b, 0);
    c.bank_active_cycles.assign(b, 0);
    c.bank_retention_cycles.assign(b, 0);
    c.bank_off_cycles.assign(b, 0);
  }

 private:
  const WeightLayout* layout_ = nullptr;
  BankGating gating_ = BankGating::Retention;
  LayerCounters* c_ = nullptr;
};

}  // namespace rcsim
