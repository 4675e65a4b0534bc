#pragma once
// Post-processing unit: `lanes` parallel lanes (one per array column) between the array's output
// and the activation buffer. It finishes a weighted node's accumulators (bias is the
// accumulator's initial value; per output channel: acc·mult + add, rounding shift, ReLU/ReLU6
// clamp, saturation — core/int_arith.h requantize_affine) and runs every node without weights
// (the activation path): max/avg pools, element-wise adds, concats (rescaling copies),
// stand-alone ReLU/ReLU6 clamps. Each of those reads its operands from the activation buffer and
// writes its result there; each returns its cycles and counts its events.
//
// Timing of the activation-path nodes (docs/accelerator.md): each lane handles one output
// element at a time; a pool reads one window element per cycle (kh·kw cycles per window) and an
// average pool spends one more cycle per window in its divider; add, concat and clamp move one
// element per lane per cycle (an add reads its two operands in the same cycle). A flatten moves
// no data (the buffer aliases its input) and takes no cycle.
//
// A SystemC module reached through `port`; it reaches the activation buffer through `act_out`.
// The controller hands it a node's finished accumulators once, when the last fold drained:
// post-processing of GEMM outputs has no pipeline latency of its own (results are requantized as
// they leave the array), so streaming them per column per cycle through a channel would cost
// ~15-30 ns per value and change no cycle count.
#include <cstdint>
#include <systemc>
#include <vector>

#include "accel/act_buffer.h"
#include "accel/layer_operands.h"
#include "core/layer_counters.h"
#include "core/network.h"

namespace rcsim {

/// One input of an element-wise node: its tensor, its scale exponent (2^-shift).
struct ScaledTensor {
  int tensor = kNetworkInput;
  int shift = 0;
  std::int64_t elements = 0;  ///< active-width element count
};

class IPostProc : public virtual sc_core::sc_interface {
 public:
  /// acc[m·N + n] (int32, bias included: the array's accumulators) of weighted node `node` → its
  /// output tensor CHW [n][m]: finished as `op` says, or int32 logits for the classifier; empty
  /// `acc` (timing-only run) → empty output.
  virtual void finish(int node, const std::vector<std::int32_t>& acc, std::int64_t M, std::int64_t N,
                      const PostOp& op) = 0;
  /// finish() for sums already in the node's output tensor, channel-major [n][m] (fast mode's
  /// kernels write them there, accel/fast_gemm.h, accel/grouped_conv_kernel.h): `bias` ([N], null
  /// when the sums include it) added to channel n's run (int32 wrap-around), then finished in place.
  virtual void finish_in_place(int node, std::int64_t M, std::int64_t N, const PostOp& op,
                               const std::int32_t* bias) = 0;
  /// Max or average pool of tensor `in_t` (active shape `in`) into node `node` (shape `out`);
  /// counts reads, compares / adds and divides, writes; returns the cycles. An empty input
  /// (timing-only run) is counted, not computed.
  virtual std::int64_t pool(int node, const Layer& l, int in_t, const Shape3& in, const Shape3& out,
                            LayerCounters& c) = 0;
  /// Element-wise add a + b → node (scale 2^-out_shift, clamped to [lo, hi]); returns the cycles.
  virtual std::int64_t add(int node, const ScaledTensor& a, const ScaledTensor& b, int out_shift, std::int32_t lo,
                           std::int32_t hi, LayerCounters& c) = 0;
  /// Channel concatenation of `inputs`, each rescaled to 2^-out_shift and saturated; returns the cycles.
  virtual std::int64_t concat(int node, const std::vector<ScaledTensor>& inputs, int out_shift, LayerCounters& c) = 0;
  /// Stand-alone ReLU / ReLU6: clamp of tensor `in` to [lo, hi]; returns the cycles.
  virtual std::int64_t clamp(int node, const ScaledTensor& in, std::int32_t lo, std::int32_t hi, LayerCounters& c) = 0;
};

class PostProc final : public sc_core::sc_module, public IPostProc {
 public:
  sc_core::sc_export<IPostProc> port;      ///< the controller's access
  sc_core::sc_port<IActBuffer> act_out;    ///< operands and results live in the activation buffer

  explicit PostProc(const sc_core::sc_module_name& name)
      : sc_core::sc_module(name), port("port"), act_out("act_out") {
    port.bind(*this);
  }
  /// Per accelerator configuration: operand precision and parallel lanes (= array columns).
  void configure(int bits, int lanes) { bits_ = bits, lanes_ = lanes; }

  void finish(int node, const std::vector<std::int32_t>& acc, std::int64_t M, std::int64_t N,
              const PostOp& op) override;
  void finish_in_place(int node, std::int64_t M, std::int64_t N, const PostOp& op, const std::int32_t* bias) override;
  std::int64_t pool(int node, const Layer& l, int in_t, const Shape3& in, const Shape3& out,
                    LayerCounters& c) override;
  std::int64_t add(int node, const ScaledTensor& a, const ScaledTensor& b, int out_shift, std::int32_t lo,
                   std::int32_t hi, LayerCounters& c) override;
  std::int64_t concat(int node, const std::vector<ScaledTensor>& inputs, int out_shift, LayerCounters& c) override;
  std::int64_t clamp(int node, const ScaledTensor& in, std::int32_t lo, std::int32_t hi, LayerCounters& c) override;

 private:
  /// Cycles of `n` elements spread over the lanes, `per` cycles each.
  std::int64_t lane_cycles(std::int64_t n, std::int64_t per) const { return (n + lanes_ - 1) / lanes_ * per; }
  int bits_ = 8;
  int lanes_ = 16;
};

}  // namespace rcsim
