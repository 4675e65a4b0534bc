#pragma once
// Tiling through DRAM at width k: which activation tensors live in DRAM instead of the
// activation buffer, and how each node is split into tiles whose transfers the DMA overlaps with
// compute (docs/accelerator.md, "Tiling and DMA").
//
// Residence. The image arrives from DRAM and the network's output (the logits) leaves through
// it; every other tensor stays in the activation buffer unless the tensors live at some node
// (ActivationPlan::live, sized at width k) plus that node's smallest staging area do not fit
// act_buffer.size_bytes — then the largest buffer-resident tensor live there is moved to DRAM
// (spilled: its producer writes it out, each reader loads it back), until every node fits.
//
// Tiles. A node touching DRAM-resident tensors stages them in the buffer space its resident
// tensors leave free, double-buffered (tile t+1 loads while tile t computes; one tile needs a
// single buffer): output-row tiles, each loading the input rows its windows read (halo: a conv's
// or pool's kernel rows beyond the tile's stride · rows) and storing its output rows. The fewest
// row tiles that fit are chosen (every extra tile re-reads a halo). Weights whose width-group
// chunk is not resident in the weight SRAM (mapper/weight_layout.h) stream through the SRAM's
// staging area in weight tiles (ranges of output channels; for grouped/depthwise convs ranges of
// their channel-group jobs). With both row and weight tiles, the loop order with less DRAM traffic
// is taken: weight tiles outer (each weight tile once, the input rows re-read per weight tile) or
// row tiles outer (the weights re-fetched per row tile, the input once).
//
// Width-aware: sizes are those of width k (compact tensors, only the active groups' weights), so a
// narrow width moves less and keeps more tensors on chip. No SystemC here: the accelerator's
// controller turns each tile's transfers into DRAM requests (accel/dram.h).
#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "core/arch_params.h"
#include "core/network.h"
#include "mapper/activation_plan.h"
#include "mapper/weight_layout.h"

namespace rcsim {

/// DRAM bytes of a node or tile by tensor role.
struct DramBytes {
  std::int64_t weights = 0;    ///< non-resident weights
  std::int64_t inputs = 0;     ///< the node's first input (the image, or a spilled/tiled tensor)
  std::int64_t outputs = 0;    ///< the node's output written to DRAM (spilled/tiled tensor, logits)
  std::int64_t residuals = 0;  ///< further inputs read back from DRAM (a shortcut, a concat branch)
  std::int64_t reads() const { return weights + inputs + residuals; }
  std::int64_t total() const { return reads() + outputs; }
  DramBytes& operator+=(const DramBytes& o) {
    weights += o.weights, inputs += o.inputs, outputs += o.outputs, residuals += o.residuals;
    return *this;
  }
};

/// One contiguous DMA transfer (DRAM byte address; a write moves buffer → DRAM).
struct DmaTransfer {
  std::uint64_t addr = 0;
  std::int64_t bytes = 0;
  bool write = false;
};

struct NodeTile {
  int row_tile = 0, weight_tile = 0;
  int oy0 = 0, oy1 = 1;  ///< output rows [oy0, oy1) (nodes without spatial tiling: all rows)
  DramBytes bytes;
  std::vector<DmaTransfer> loads;   ///< issued before the tile computes (double-buffered)
  std::vector<DmaTransfer> stores;  ///< issued when it finished
};

struct NodeTiling {
  int row_tiles = 1;
  int weight_tiles = 1;
  bool weights_outer = false;  ///< loop order (only matters when both counts exceed 1)
  int weight_fetches = 0;      ///< times the non-resident weights are fetched (0: none)
  std::int64_t staging_bytes = 0;  ///< buffer bytes the tiles need (double-buffered when > 1 tile)
  std::vector<NodeTile> tiles;     ///< execution order
  DramBytes dram;                  ///< sum over tiles
  bool tiled() const { return tiles.size() > 1; }
};

class TilePlan {
 public:
  /// ConfigError naming the node if even one-row tiles with every tensor in DRAM do not fit.
  TilePlan(const Network& net, const ArchParams& arch, const WeightLayout& layout, const ActivationPlan& act, int k);

  int width() const { return k_; }
  const NodeTiling& node(std::size_t i) const { return nodes_.at(i); }
  /// Whether storage tensor t (a node index or kNetworkInput) lives in DRAM at this width.
  bool in_dram(int t) const { return dram_.at(std::size_t(t + 1)); }
  /// Range [n0, n1) of share wt of n items split into `tiles` nearly equal shares.
  static std::pair<std::int64_t, std::int64_t> split(std::int64_t n, int tiles, int wt) {
    return {n * wt / tiles, n * (wt + 1) / tiles};
  }
  /// Output channels [n0, n1) of weight tile wt of a dense node with n active outputs: whole
  /// groups of `cols` channels (one array fold's columns), so tiling adds no partial folds.
  static std::pair<std::int64_t, std::int64_t> column_range(std::int64_t n, int cols, int tiles, int wt) {
    const std::int64_t folds = (n + cols - 1) / cols;
    const auto [f0, f1] = split(folds, tiles, wt);
    return {std::min(n, f0 * cols), std::min(n, f1 * cols)};
  }

 private:
  std::int64_t tensor_bytes(int t) const;
  std::int64_t row_bytes(int t) const;  ///< one row of tensor t (all active channels)
  /// Input rows [r0, r1) of input j node i reads for output rows [oy0, oy1).
  std::pair<int, int> input_rows(std::size_t i, std::size_t j, int oy0, int oy1) const;
  bool row_tileable(std::size_t i) const;
  std::int64_t resident_bytes(std::size_t i) const;
  /// Largest staging bytes over the row tiles of `rows_per_tile` rows (double-buffered if > 1 tile).
  std::int64_t staging(std::size_t i, int rows_per_tile) const;
  void plan_node(std::size_t i);
  /// Bytes [b0, b1) of `bytes` (a node's weights or an output row tile) weight tile wt covers.
  std::pair<std::int64_t, std::int64_t> weight_share(std::size_t i, std::int64_t bytes, int tiles, int wt) const;

  const Network& net_;
  const ArchParams& arch_;
  const WeightLayout& layout_;
  const ActivationPlan& act_;
  int k_;
  std::vector<bool> dram_;  ///< per storage tensor, index t + 1
  std::vector<std::uint64_t> act_base_, weight_base_;
  std::vector<NodeTiling> nodes_;
};

}  // namespace rcsim
