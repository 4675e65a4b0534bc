#pragma once
// Post-processing unit on the array's output stream: bias is the accumulator's initial value;
// this unit requantizes (shift, ReLU, saturate; core/int_arith.h) and max-pools, writing its
// results into the activation buffer's output half.
//
// A SystemC module reached through `port`; it drives the activation buffer through `act_out`.
// The controller hands it a layer's finished accumulators once, when the last fold drained:
// post-processing has no pipeline latency of its own (results are requantized as they leave the
// array), so streaming them per column per cycle through a channel would cost ~15-30 ns per
// value and change no cycle count.
#include <cstdint>
#include <systemc>
#include <vector>

#include "accel/act_buffer.h"
#include "core/layer_counters.h"
#include "core/network.h"

namespace rcsim {

class IPostProc : public virtual sc_core::sc_interface {
 public:
  /// acc[m·N + n] (int32, bias included) → output CHW [n][m]: requantized, or int32 logits for
  /// the classifier; empty `acc` (timing-only run) → empty output.
  virtual void finish_layer(const std::vector<std::int32_t>& acc, std::int64_t M, std::int64_t N, int shift,
                            bool relu, bool classifier) = 0;
  /// Max-pool of the activation buffer's input (active-width CHW) into its output; counts
  /// reads, compares and writes. An empty input (timing-only run) is counted as zeros.
  virtual void pool(const Layer& l, const Shape3& in, const Shape3& out, LayerCounters& c) = 0;
  /// Pool cycles: `lanes` windows in parallel, one window element per cycle.
  virtual std::int64_t pool_cycles(const Layer& l, const Shape3& out) const = 0;
};

class PostProc final : public sc_core::sc_module, public IPostProc {
 public:
  sc_core::sc_export<IPostProc> port;      ///< the controller's access
  sc_core::sc_port<IActBuffer> act_out;    ///< results go to the activation buffer

  explicit PostProc(const sc_core::sc_module_name& name)
      : sc_core::sc_module(name), port("port"), act_out("act_out") {
    port.bind(*this);
  }
  /// Per accelerator configuration: operand precision and parallel pool lanes (= array columns).
  void configure(int bits, int lanes) { bits_ = bits, lanes_ = lanes; }

  void finish_layer(const std::vector<std::int32_t>& acc, std::int64_t M, std::int64_t N, int shift, bool relu,
                    bool classifier) override;
  void pool(const Layer& l, const Shape3& in, const Shape3& out, LayerCounters& c) override;
  std::int64_t pool_cycles(const Layer& l, const Shape3& out) const override {
    return (out.size() + lanes_ - 1) / lanes_ * l.kernel_h * l.kernel_h;
  }

 private:
  int bits_ = 8;
  int lanes_ = 16;
};

}  // namespace rcsim
