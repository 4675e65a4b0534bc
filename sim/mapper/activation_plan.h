#pragma once
// Which activation tensors the activation buffer holds while each node runs, and what that
// costs in bytes. A tensor is resident from its production to its last consumer: a chain needs
// two (the ping-pong halves: the node's input and output), a graph also keeps the tensors a
// residual or a concat still needs ("kept alive"). A flatten's output is its input read in CHW
// order: an alias, no bytes of its own (it extends its source's lifetime to its own readers).
//
// Sizes are the full-width ones. Which of these tensors actually stay in the buffer at a width,
// and which are spilled to DRAM or streamed through it in tiles, is mapper/tile_plan.h's decision
// (it sizes them at that width).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/arch_params.h"
#include "core/network.h"

namespace rcsim {

class ActivationPlan {
 public:
  struct Tensor {
    int id = kNetworkInput;       ///< node index, or kNetworkInput (the image)
    int storage = kNetworkInput;  ///< the tensor whose bytes it uses (itself, or a flatten's source)
    int last_use = -1;            ///< last node that reads it (directly or through aliases); −1: the network output
    std::int64_t bytes = 0;       ///< full-width bytes of its own storage (0 for an alias)
  };

  ActivationPlan(const Network& net, int bits);

  /// The image (index 0) and every node's output (index i + 1).
  const Tensor& tensor(int t) const { return tensors_.at(std::size_t(t + 1)); }
  /// Storage tensors resident while node i runs: its inputs, its output and those kept alive for
  /// later nodes, in increasing id order.
  const std::vector<int>& live(std::size_t i) const { return live_[i]; }
  std::int64_t live_bytes(std::size_t i) const { return live_bytes_[i]; }
  /// Storage tensors whose last reader is node i (their space is free once it finished).
  const std::vector<int>& released_after(std::size_t i) const { return released_[i]; }

 private:
  std::vector<Tensor> tensors_;
  std::vector<std::vector<int>> live_;
  std::vector<std::int64_t> live_bytes_;
  std::vector<std::vector<int>> released_;
};

}  // namespace rcsim
