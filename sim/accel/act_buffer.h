#pragma once
// Activation buffer: holds the tensors the current node reads and writes, and those a later
// node still needs (a residual's shortcut, a concat's other inputs). What is resident when is
// the mapper's ActivationPlan (mapper/activation_plan.h), which also checks the bytes against
// act_buffer.size_bytes; for a chain it is the classic ping-pong: a node reads its input from
// one half while the post-processing unit writes its output into the other, and the input's
// space is released when the node finished.
//
// A SystemC module reached through `port`. Reads are issued by the controller's operand
// streaming and the post-processing unit, writes by the post-processing unit, both in the cycle
// they happen (counted by their issuers: act_reads, act_writes), so plain interface methods
// carry them. Tensors are identified by the node that produced them (kNetworkInput: the image).
#include <cstdint>
#include <deque>
#include <systemc>
#include <vector>

#include "core/errors.h"
#include "core/network.h"

namespace rcsim {

class IActBuffer : public virtual sc_core::sc_interface {
 public:
  /// A new image: every tensor released, the image (CHW) written as tensor kNetworkInput.
  virtual void load_input(const std::vector<std::int32_t>& image) = 0;
  /// Tensor t (active-width CHW; empty in timing-only runs).
  virtual const std::vector<std::int32_t>& tensor(int t) const = 0;
  /// The space node t's results are written to.
  virtual std::vector<std::int32_t>& output(int t) = 0;
  /// output(t) already n values long, its values unspecified: for a writer of every value (the
  /// storage is not zeroed first; fast mode wrote ~10 MB of zeros per MobileNetV2 image).
  virtual std::vector<std::int32_t>& output_overwritten(int t, std::size_t n) = 0;
  /// Tensor t is tensor `src` read in another order (flatten): no data moves.
  virtual void alias(int t, int src) = 0;
  /// Tensor t's last reader finished: its space is free.
  virtual void release(int t) = 0;
  /// release(t), handing the tensor's values to the caller instead of keeping its storage for a
  /// later output (empty when t is not resident: an alias, or already released).
  virtual std::vector<std::int32_t> take(int t) = 0;
};

class ActBuffer final : public sc_core::sc_module, public IActBuffer {
 public:
  sc_core::sc_export<IActBuffer> port;  ///< controller (reads) and post-processing (reads, writes)

  explicit ActBuffer(const sc_core::sc_module_name& name) : sc_core::sc_module(name), port("port") {
    port.bind(*this);
  }
  void load_input(const std::vector<std::int32_t>& image) override {
    for (std::size_t i = 0; i < slots_.size(); ++i) release(int(i) - 1);
    alias_.clear();
    output(kNetworkInput).assign(image.begin(), image.end());
  }
  const std::vector<std::int32_t>& tensor(int t) const override {
    const int src = source(t);
    if (std::size_t(src + 1) >= slots_.size() || !slots_[std::size_t(src + 1)].resident)
      throw InternalError("activation buffer: tensor " + std::to_string(t) + " is not resident");
    return slots_[std::size_t(src + 1)].values;
  }
  /// An empty vector, with the storage of a released tensor when there is one: the smallest that
  /// holds as many values as tensor t had in the previous image. Fast mode runs the same tensors
  /// image after image, so after the first image its outputs allocate nothing (storage of the
  /// wrong size, reallocated and freed per image, was a visible share of its time).
  std::vector<std::int32_t>& output(int t) override {
    bool fresh = false;
    Slot& slot = claim(t, fresh);
    if (fresh) slot.values.clear();
    return slot.values;
  }
  std::vector<std::int32_t>& output_overwritten(int t, std::size_t n) override {
    bool fresh = false;
    Slot& slot = claim(t, fresh);
    slot.values.resize(n);  // a spare's earlier values stay: only a longer tail is zeroed
    return slot.values;
  }
  void alias(int t, int src) override {
    if (std::size_t(t + 1) >= alias_.size()) alias_.resize(std::size_t(t + 2), kNoAlias);
    alias_[std::size_t(t + 1)] = source(src);
  }
  void release(int t) override {
    if (std::size_t(t + 1) >= slots_.size() || !slots_[std::size_t(t + 1)].resident) return;
    Slot& slot = slots_[std::size_t(t + 1)];
    slot.resident = false;
    slot.last_size = slot.values.size();
    keep_spare(std::move(slot.values));
  }
  std::vector<std::int32_t> take(int t) override {
    if (std::size_t(t + 1) >= slots_.size() || !slots_[std::size_t(t + 1)].resident) return {};
    Slot& slot = slots_[std::size_t(t + 1)];
    slot.resident = false;
    slot.last_size = slot.values.size();
    return std::move(slot.values);
  }

 private:
  static constexpr int kNoAlias = -2;
  static constexpr std::size_t kMaxSpare = 16;
  /// The tensor whose values t reads (t itself unless t is an alias).
  int source(int t) const {
    const int a = std::size_t(t + 1) < alias_.size() ? alias_[std::size_t(t + 1)] : kNoAlias;
    return a == kNoAlias ? t : a;
  }
  /// The spare storage that best fits `size` values (the smallest large enough, else the largest).
  std::vector<std::int32_t> take_spare(std::size_t size) {
    if (spare_.empty()) return {};
    std::size_t best = 0;
    for (std::size_t i = 1; i < spare_.size(); ++i) {
      const std::size_t c = spare_[i].capacity(), b = spare_[best].capacity();
      if (b >= size ? c >= size && c < b : c > b) best = i;
    }
    std::vector<std::int32_t> v = std::move(spare_[best]);
    spare_[best] = std::move(spare_.back());
    spare_.pop_back();
    return v;
  }
  void keep_spare(std::vector<std::int32_t>&& v) {
    if (v.capacity() > 0 && spare_.size() < kMaxSpare) spare_.push_back(std::move(v));
  }
  struct Slot {
    std::vector<std::int32_t> values;
    bool resident = false;
    std::size_t last_size = 0;  ///< values it held when last released (the next image's size)
  };
  /// Tensor t's slot, made resident with spare storage if it was not (`fresh`).
  Slot& claim(int t, bool& fresh) {
    if (std::size_t(t + 1) >= slots_.size()) slots_.resize(std::size_t(t + 2));
    Slot& slot = slots_[std::size_t(t + 1)];
    fresh = !slot.resident;
    if (fresh) {
      slot.resident = true;
      slot.values = take_spare(slot.last_size);
    }
    return slot;
  }
  /// [t + 1]: tensor t (t = kNetworkInput … last node). A deque: growing it keeps the tensors
  /// already handed out in place (a node reads its inputs while its output is created).
  std::deque<Slot> slots_;
  std::vector<int> alias_;                        ///< [t + 1]: the tensor flatten output t reads (kNoAlias: none)
  std::vector<std::vector<std::int32_t>> spare_;  ///< storage of released tensors, for output()
};

}  // namespace rcsim
