#pragma once
// Activation buffer, ping-pong: a layer reads its input from one half while the
// post-processing unit writes its output into the other; swap() at the layer boundary turns the
// output into the next layer's input without a copy.
//
// A SystemC module reached through `port`. Reads are issued by the controller's operand
// streaming and writes by the post-processing unit, both in the cycle they happen (counted by
// their issuers: act_reads, act_writes), so plain interface methods carry them; the swap is one
// command per layer.
#include <cstdint>
#include <systemc>
#include <utility>
#include <vector>

namespace rcsim {

class IActBuffer : public virtual sc_core::sc_interface {
 public:
  /// The host writes an image (CHW) into the input half.
  virtual void load_input(const std::vector<std::int32_t>& image) = 0;
  /// The half the current layer reads (empty in timing-only runs).
  virtual const std::vector<std::int32_t>& input() const = 0;
  /// The half the current layer's results are written to.
  virtual std::vector<std::int32_t>& output() = 0;
  /// Layer boundary: the output half becomes the next layer's input.
  virtual void swap() = 0;
};

class ActBuffer final : public sc_core::sc_module, public IActBuffer {
 public:
  sc_core::sc_export<IActBuffer> port;  ///< controller (reads) and post-processing (writes)

  explicit ActBuffer(const sc_core::sc_module_name& name) : sc_core::sc_module(name), port("port") {
    port.bind(*this);
  }
  void load_input(const std::vector<std::int32_t>& image) override { half_[sel_] = image; }
  const std::vector<std::int32_t>& input() const override { return half_[sel_]; }
  std::vector<std::int32_t>& output() override { return half_[sel_ ^ 1]; }
  void swap() override { sel_ ^= 1; }

 private:
  std::vector<std::int32_t> half_[2];
  int sel_ = 0;  ///< half holding the current layer's input
};

}  // namespace rcsim
