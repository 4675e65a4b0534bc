#include "mapper/weight_layout.h"

#include "core/errors.h"

namespace rcsim {

WeightLayout::WeightLayout(const Network& net, const ArchParams& a)
    : net_(net), G_(net.width_groups), banks_(a.wsram_banks), bits_(a.precision), word_bits_(a.wsram_word_bits) {
  if (!net.is_chain())
    throw InputError("network '" + net.name +
                     "' is a graph (multi-input nodes, grouped convolutions or new node kinds): the accelerator model "
                     "does not run graph networks yet (the integer reference, `rcsim eval` and `rcsim info` do)");
  if (banks_ % G_ != 0)
    throw ConfigError("arch '" + a.name + "': weight_sram.banks: " + std::to_string(banks_) +
                      " banks cannot be split evenly among network '" + net.name + "''s " +
                      std::to_string(G_) + " width groups");
  bpg_ = banks_ / G_;
  const std::size_t L = net.layers.size();
  out_group_.resize(L), in_group_.resize(L), kk_.assign(L, 1), bytes_.resize(L), resident_.resize(L);
  const std::int64_t capacity = a.wsram_bytes / G_;
  std::vector<std::int64_t> used(G_, 0);
  for (std::size_t i = 0; i < L; ++i) {
    const Layer& l = net.layers[i];
    if (!l.has_weights()) continue;
    if (l.kind == LayerKind::Conv) kk_[i] = l.kernel_h * l.kernel_h;
    // Groups are the first width at which a channel becomes active.
    out_group_[i].resize(l.out.c);
    for (int n = 0, g = 1; n < l.out.c; ++n) {
      while (net.active_out(i, g) <= n) ++g;
      out_group_[i][n] = g;
    }
    const int fin = net.active_in(i, G_);
    in_group_[i].resize(fin);
    for (int f = 0, g = 1; f < fin; ++f) {
      while (net.active_in(i, g) <= f) ++g;
      in_group_[i][f] = g;
    }
    bytes_[i].resize(G_);
    resident_[i].resize(G_);
    for (int g = 1; g <= G_; ++g) {
      const std::int64_t w = net.weight_count(i, g) - (g > 1 ? net.weight_count(i, g - 1) : 0);
      bytes_[i][g - 1] = w * bits_ / 8;
      resident_[i][g - 1] = used[g - 1] + bytes_[i][g - 1] <= capacity;
      if (resident_[i][g - 1]) used[g - 1] += bytes_[i][g - 1];
    }
  }
}

std::int64_t WeightLayout::dram_bytes(std::size_t i, int k) const {
  std::int64_t b = 0;
  if (!net_.layers[i].has_weights()) return 0;
  for (int g = 1; g <= k; ++g)
    if (!resident(i, g)) b += group_bytes(i, g);
  return b;
}

void WeightLayout::add_row_reads(std::size_t i, std::int64_t kidx, std::int64_t n0, int sc,
                                 std::vector<std::int64_t>& reads) const {
  const int gin = in_group_[i][kidx / kk_[i]];
  const int bank_in_group = int(kidx % bpg_);
  std::int64_t n = n0;
  const std::int64_t end = n0 + sc;
  while (n < end) {
    const int g = std::max(gin, out_group_[i][n]);
    std::int64_t run_end = n + 1;
    while (run_end < end && std::max(gin, out_group_[i][run_end]) == g) ++run_end;
    const std::int64_t bits = (run_end - n) * bits_;
    reads[(g - 1) * bpg_ + bank_in_group] += (bits + word_bits_ - 1) / word_bits_;
    n = run_end;
  }
}

int WeightLayout::row_max_bank_words(std::size_t i, std::int64_t kidx, std::int64_t n0, int sc) const {
  const int gin = in_group_[i][kidx / kk_[i]];
  int most = 1;
  std::int64_t n = n0;
  const std::int64_t end = n0 + sc;
  while (n < end) {  // runs of one group each live in a different bank
    const int g = std::max(gin, out_group_[i][n]);
    std::int64_t run_end = n + 1;
    while (run_end < end && std::max(gin, out_group_[i][run_end]) == g) ++run_end;
    most = std::max<int>(most, int(((run_end - n) * bits_ + word_bits_ - 1) / word_bits_));
    n = run_end;
  }
  return most;
}

void WeightLayout::add_refill_writes(std::size_t i, int k, std::vector<std::int64_t>& writes) const {
  if (!net_.layers[i].has_weights()) return;
  for (int g = 1; g <= k; ++g) {
    if (resident(i, g)) continue;
    const std::int64_t words = (group_bytes(i, g) * 8 + word_bits_ - 1) / word_bits_;
    // Spread evenly over the group's banks (rows interleave over them).
    for (int b = 0; b < bpg_; ++b) writes[(g - 1) * bpg_ + b] += words / bpg_ + (b < words % bpg_ ? 1 : 0);
  }
}

}  // namespace rcsim
