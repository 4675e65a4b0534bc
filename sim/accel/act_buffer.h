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
#include <systemc>
#include <unordered_map>
#include <vector>

#include "core/errors.h"

namespace rcsim {

class IActBuffer : public virtual sc_core::sc_interface {
 public:
  /// A new image: every tensor released, the image (CHW) written as tensor kNetworkInput.
  virtual void load_input(const std::vector<std::int32_t>& image) = 0;
  /// Tensor t (active-width CHW; empty in timing-only runs).
  virtual const std::vector<std::int32_t>& tensor(int t) const = 0;
  /// The space node t's results are written to.
  virtual std::vector<std::int32_t>& output(int t) = 0;
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
    for (auto& [t, v] : tensors_) keep_spare(std::move(v));
    tensors_.clear();
    alias_.clear();
    output(-1).assign(image.begin(), image.end());
  }
  const std::vector<std::int32_t>& tensor(int t) const override {
    const auto a = alias_.find(t);
    const auto it = tensors_.find(a == alias_.end() ? t : a->second);
    if (it == tensors_.end()) throw InternalError("activation buffer: tensor " + std::to_string(t) + " is not resident");
    return it->second;
  }
  /// An empty vector, with the storage of a released tensor when there is one: fast mode runs the
  /// same tensors image after image, so after the first image its outputs allocate nothing.
  std::vector<std::int32_t>& output(int t) override {
    const auto [it, inserted] = tensors_.try_emplace(t);
    if (inserted && !spare_.empty()) {
      it->second = std::move(spare_.back());
      spare_.pop_back();
      it->second.clear();
    }
    return it->second;
  }
  void alias(int t, int src) override {
    const auto a = alias_.find(src);
    alias_[t] = a == alias_.end() ? src : a->second;
  }
  void release(int t) override {
    const auto it = tensors_.find(t);
    if (it == tensors_.end()) return;
    keep_spare(std::move(it->second));
    tensors_.erase(it);
  }
  std::vector<std::int32_t> take(int t) override {
    const auto it = tensors_.find(t);
    if (it == tensors_.end()) return {};
    std::vector<std::int32_t> v = std::move(it->second);
    tensors_.erase(it);
    return v;
  }

 private:
  void keep_spare(std::vector<std::int32_t>&& v) {
    if (v.capacity() > 0 && spare_.size() < kMaxSpare) spare_.push_back(std::move(v));
  }
  static constexpr std::size_t kMaxSpare = 16;
  std::vector<std::vector<std::int32_t>> spare_;  ///< storage of released tensors, for output()
  std::unordered_map<int, std::vector<std::int32_t>> tensors_;
  std::unordered_map<int, int> alias_;  ///< flatten outputs → the tensor they read
};

}  // namespace rcsim
