#include "mapper/tile_plan.h"

#include <algorithm>
#include <tuple>

#include "core/errors.h"

namespace rcsim {

namespace {
constexpr std::uint64_t kActivationRegion = std::uint64_t(1) << 31;  ///< weights below, activations above
std::uint64_t align(std::uint64_t a, std::uint64_t to) { return (a + to - 1) / to * to; }
}  // namespace

TilePlan::TilePlan(const Network& net, const ArchParams& arch, const WeightLayout& layout, const ActivationPlan& act,
                   int k)
    : net_(net), arch_(arch), layout_(layout), act_(act), k_(k) {
  const std::size_t L = net.layers.size();
  dram_.assign(L + 1, false);
  dram_[0] = true;  // the image arrives from DRAM
  for (int t = 0; t < int(L); ++t)
    if (act.tensor(t).storage == t && act.tensor(t).last_use < 0) dram_[std::size_t(t + 1)] = true;  // logits leave
  // DRAM addresses: each node's full-width weights, then each storage tensor (full-width bytes).
  weight_base_.assign(L, 0);
  std::uint64_t a = 0;
  for (std::size_t i = 0; i < L; ++i) {
    weight_base_[i] = a;
    a = align(a + std::uint64_t(net.weight_count(i, net.width_groups) * arch.precision / 8), 64);
  }
  act_base_.assign(L + 1, 0);
  a = std::max<std::uint64_t>(kActivationRegion, align(a, 4096));
  for (int t = kNetworkInput; t < int(L); ++t) {
    act_base_[std::size_t(t + 1)] = a;
    a = align(a + std::uint64_t(act.tensor(t).bytes), 4096);
  }
  // Spill until every node's resident tensors and its smallest staging area fit. Spilling a
  // tensor grows its producer's and readers' staging, so the check repeats until nothing moves.
  for (bool moved = true; moved;) {
    moved = false;
    for (std::size_t i = 0; i < L; ++i) {
      if (net.layers[i].kind == LayerKind::Flatten) continue;
      const int min_rows = row_tileable(i) ? 1 : std::max(1, net.layers[i].out.h);
      while (resident_bytes(i) + staging(i, min_rows) > arch.act_bytes) {
        int victim = -2;
        for (int t : act.live(i))
          if (!in_dram(t) && tensor_bytes(t) > 0 && (victim == -2 || tensor_bytes(t) > tensor_bytes(victim))) victim = t;
        if (victim == -2)
          throw ConfigError("arch '" + arch.name + "': act_buffer.size_bytes: " + std::to_string(arch.act_bytes) +
                            " bytes cannot stage node '" + net.layers[i].name + "' of network '" + net.name +
                            "' at width " + std::to_string(k) +
                            " even in one-row tiles with every tensor in DRAM (needs " +
                            std::to_string(staging(i, min_rows)) + " bytes)");
        dram_[std::size_t(victim + 1)] = true;
        moved = true;
      }
    }
  }
  nodes_.resize(L);
  for (std::size_t i = 0; i < L; ++i) plan_node(i);
}

std::int64_t TilePlan::tensor_bytes(int t) const {
  const ActivationPlan::Tensor& s = act_.tensor(t);
  if (s.storage != t) return 0;
  const bool logits = t != kNetworkInput && net_.layers[std::size_t(t)].is_classifier;
  return net_.tensor_active_shape(t, k_).size() * (logits ? 32 : arch_.precision) / 8;
}

std::int64_t TilePlan::row_bytes(int t) const {
  const Shape3 s = net_.tensor_active_shape(t, k_);
  return s.h > 0 ? tensor_bytes(t) / s.h : 0;
}

bool TilePlan::row_tileable(std::size_t i) const {
  const Layer& l = net_.layers[i];
  if (l.out.h <= 1 || l.global) return false;
  switch (l.kind) {
    case LayerKind::Conv:
    case LayerKind::MaxPool:
    case LayerKind::AvgPool:
    case LayerKind::Add:
    case LayerKind::Concat:
    case LayerKind::Act: return true;
    default: return false;
  }
}

std::pair<int, int> TilePlan::input_rows(std::size_t i, std::size_t j, int oy0, int oy1) const {
  const Layer& l = net_.layers[i];
  const int h = net_.tensor_shape(l.in_ids[j]).h;
  if (!row_tileable(i)) return {0, h};
  if (l.kind == LayerKind::Conv || l.is_pool())
    return {std::max(0, oy0 * l.stride_h - l.pad_top), std::min(h, (oy1 - 1) * l.stride_h - l.pad_top + l.kernel_h)};
  return {oy0, oy1};
}

std::int64_t TilePlan::resident_bytes(std::size_t i) const {
  std::int64_t b = 0;
  for (int t : act_.live(i))
    if (!in_dram(t)) b += tensor_bytes(t);
  return b;
}

std::int64_t TilePlan::staging(std::size_t i, int rows_per_tile) const {
  const Layer& l = net_.layers[i];
  const int H = l.out.h;
  std::int64_t most = 0;
  int tiles = 0;
  for (int oy0 = 0; oy0 < H; oy0 += rows_per_tile, ++tiles) {
    const int oy1 = std::min(H, oy0 + rows_per_tile);
    std::int64_t b = 0;
    for (std::size_t j = 0; j < l.in_ids.size(); ++j) {
      const int t = act_.tensor(l.in_ids[j]).storage;
      if (!in_dram(t)) continue;
      const auto [r0, r1] = input_rows(i, j, oy0, oy1);
      b += row_bytes(t) * (r1 - r0);
    }
    if (in_dram(int(i))) b += row_bytes(int(i)) * (oy1 - oy0);
    most = std::max(most, b);
  }
  return tiles > 1 ? 2 * most : most;
}

std::pair<std::int64_t, std::int64_t> TilePlan::weight_share(std::size_t i, std::int64_t bytes, int tiles, int wt) const {
  const Layer& l = net_.layers[i];
  if (tiles == 1) return {0, bytes};
  // The share of the node's outputs the weight tile computes: its jobs (grouped convs) or its
  // fold-aligned output channels (dense), as the controller slices them.
  if (l.groups > 1) return split(bytes, tiles, wt);
  const std::int64_t n = net_.active_out(i, k_);
  const auto [n0, n1] = column_range(n, arch_.cols, tiles, wt);
  return {bytes * n0 / n, bytes * n1 / n};
}

void TilePlan::plan_node(std::size_t i) {
  const Layer& l = net_.layers[i];
  NodeTiling& nt = nodes_[i];
  if (l.kind == LayerKind::Flatten) {  // an alias: no tile of its own
    nt.tiles.push_back(NodeTile{0, 0, 0, std::max(1, l.out.h), {}, {}, {}});
    return;
  }
  const int H = std::max(1, l.out.h);
  // Fewest row tiles whose staging fits the space the resident tensors leave.
  const std::int64_t room = arch_.act_bytes - resident_bytes(i);
  int rpt = H;
  if (row_tileable(i))
    while (rpt > 1 && staging(i, rpt) > room) --rpt;
  nt.staging_bytes = staging(i, rpt);
  nt.row_tiles = (H + rpt - 1) / rpt;

  // Weight tiles: the non-resident chunks through the SRAM's staging area (double-buffered).
  const std::int64_t wbytes = l.has_weights() ? layout_.dram_bytes(i, k_) : 0;
  if (wbytes > 0) {
    const std::int64_t stage = layout_.staging_bytes();
    std::int64_t largest = 0;
    for (int g = 1; g <= k_; ++g)
      if (!layout_.resident(i, g)) largest = std::max(largest, layout_.group_bytes(i, g));
    std::int64_t tw = 1;
    if (largest > stage) tw = stage > 0 ? (2 * largest + stage - 1) / stage : 1 << 30;
    // At most one tile per array fold of output columns (per channel-group job for grouped convs).
    const std::int64_t out = net_.active_out(i, k_);
    const std::int64_t n = l.groups > 1 ? std::min<std::int64_t>(l.groups, out) : (out + arch_.cols - 1) / arch_.cols;
    nt.weight_tiles = int(std::max<std::int64_t>(1, std::min(tw, n)));
  }
  const int Tr = nt.row_tiles, Tw = nt.weight_tiles;

  // Input bytes over all row tiles (halos counted per tile) and the output bytes.
  auto rows_of = [&](int rt) { return std::pair<int, int>{rt * rpt, std::min(H, (rt + 1) * rpt)}; };
  auto input_bytes = [&](int rt, DramBytes& b, std::vector<DmaTransfer>& loads) {
    const auto [oy0, oy1] = rows_of(rt);
    for (std::size_t j = 0; j < l.in_ids.size(); ++j) {
      const int t = act_.tensor(l.in_ids[j]).storage;
      if (!in_dram(t)) continue;
      bool seen = false;  // the same tensor read twice (an add of x with x) is loaded once
      for (std::size_t q = 0; q < j; ++q) seen |= act_.tensor(l.in_ids[q]).storage == t;
      if (seen) continue;
      const auto [r0, r1] = input_rows(i, j, oy0, oy1);
      const std::int64_t bytes = row_bytes(t) * (r1 - r0);
      if (bytes <= 0) continue;
      (j == 0 ? b.inputs : b.residuals) += bytes;
      loads.push_back({act_base_[std::size_t(t + 1)] + std::uint64_t(row_bytes(t) * r0), bytes, false});
    }
  };
  std::int64_t in_total = 0;
  for (int rt = 0; rt < Tr; ++rt) {
    DramBytes b;
    std::vector<DmaTransfer> scratch;
    input_bytes(rt, b, scratch);
    in_total += b.inputs + b.residuals;
  }
  // Loop order: weight tiles outer re-read the inputs per weight tile; row tiles outer re-fetch
  // the weights per row tile.
  if (Tw > 1 && Tr > 1) nt.weights_outer = std::int64_t(Tw - 1) * in_total < std::int64_t(Tr - 1) * wbytes;
  const bool wo = nt.weights_outer;
  nt.weight_fetches = wbytes == 0 ? 0 : (Tw > 1 && !wo ? Tr : 1);

  const bool out_dram = in_dram(int(i));
  const int outer = wo ? Tw : Tr, inner = wo ? Tr : Tw;
  for (int a = 0; a < outer; ++a)
    for (int b = 0; b < inner; ++b) {
      NodeTile tile;
      tile.row_tile = wo ? b : a;
      tile.weight_tile = wo ? a : b;
      std::tie(tile.oy0, tile.oy1) = rows_of(tile.row_tile);
      if (!row_tileable(i)) tile.oy0 = 0, tile.oy1 = l.out.h;
      // Weights: each weight tile when it starts (weights outer: once; rows outer: per row tile;
      // a single weight tile stays for all row tiles).
      if (wbytes > 0 && (Tw > 1 ? (wo ? b == 0 : true) : a == 0 && b == 0)) {
        const auto [w0, w1] = weight_share(i, wbytes, Tw, tile.weight_tile);
        tile.bytes.weights = w1 - w0;
        tile.loads.push_back({weight_base_[i] + std::uint64_t(w0), w1 - w0, false});
      }
      // Input rows: per row tile (weights outer: again for each weight tile).
      if (wo || b == 0) input_bytes(tile.row_tile, tile.bytes, tile.loads);
      if (out_dram) {
        const std::int64_t rb = row_bytes(int(i)) * (tile.oy1 - tile.oy0);
        const auto [s0, s1] = weight_share(i, rb, Tw, tile.weight_tile);
        tile.bytes.outputs = s1 - s0;
        tile.stores.push_back({act_base_[std::size_t(i + 1)] + std::uint64_t(row_bytes(int(i)) * tile.oy0 + s0), s1 - s0, true});
      }
      nt.dram += tile.bytes;
      nt.tiles.push_back(std::move(tile));
    }
}

}  // namespace rcsim
