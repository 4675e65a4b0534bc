#include "mapper/weight_layout.h"

#include <algorithm>

#include "core/errors.h"

namespace rcsim {

WeightLayout::WeightLayout(const Network& net, const ArchParams& a)
    : net_(net), G_(net.width_groups), banks_(a.wsram_banks), bits_(a.precision), word_bits_(a.wsram_word_bits) {
  if (banks_ % G_ != 0)
    throw ConfigError("arch '" + a.name + "': weight_sram.banks: " + std::to_string(banks_) +
                      " banks cannot be split evenly among network '" + net.name + "''s " +
                      std::to_string(G_) + " width groups");
  bpg_ = banks_ / G_;
  const std::size_t L = net.layers.size();
  bytes_.resize(L), resident_.resize(L);
  group_capacity_ = a.wsram_bytes / G_;
  // First pass: everything that fits stays. If a chunk does not fit, the network streams weights
  // through the SRAM, so a quarter of each group's capacity is kept free as the staging area of
  // the streamed weight tiles (mapper/tile_plan.h) and the resident chunks are packed again.
  for (int pass = 0; pass < 2; ++pass) {
    const std::int64_t capacity = group_capacity_ - staging_bytes_;
    std::vector<std::int64_t> used(G_, 0);
    bool all_resident = true;
    for (std::size_t i = 0; i < L; ++i) {
      if (!net.layers[i].has_weights()) continue;
      bytes_[i].assign(std::size_t(G_), 0);
      resident_[i].assign(std::size_t(G_), false);
      // weight_count(i, g) counts the weights whose output and input are both active at width g,
      // i.e. whose group is ≤ g: the difference is group g's chunk.
      for (int g = 1; g <= G_; ++g) {
        const std::int64_t w = net.weight_count(i, g) - (g > 1 ? net.weight_count(i, g - 1) : 0);
        bytes_[i][g - 1] = w * bits_ / 8;
        resident_[i][g - 1] = used[g - 1] + bytes_[i][g - 1] <= capacity;
        if (resident_[i][g - 1]) used[g - 1] += bytes_[i][g - 1];
        else all_resident = false;
      }
    }
    if (all_resident || pass == 1) break;
    staging_bytes_ = group_capacity_ / 4;
  }
}

std::int64_t WeightLayout::dram_bytes(std::size_t i, int k) const {
  std::int64_t b = 0;
  if (!net_.layers[i].has_weights()) return 0;
  for (int g = 1; g <= k; ++g)
    if (!resident(i, g)) b += group_bytes(i, g);
  return b;
}

void WeightLayout::add_row_reads(const JobWeightRows& rows, std::int64_t kidx, std::int64_t n0, int sc,
                                 std::vector<std::int64_t>& reads) const {
  const int gin = rows.row_group[std::size_t(kidx)];
  const int bank_in_group = int(rows.row_slot[std::size_t(kidx)] % bpg_);
  const std::uint8_t* out_group = rows.col_group.data();
  std::int64_t n = n0;
  const std::int64_t end = n0 + sc;
  while (n < end) {
    const int g = std::max<int>(gin, out_group[n]);
    std::int64_t run_end = n + 1;
    while (run_end < end && std::max<int>(gin, out_group[run_end]) == g) ++run_end;
    const std::int64_t bits = (run_end - n) * bits_;
    reads[std::size_t((g - 1) * bpg_ + bank_in_group)] += (bits + word_bits_ - 1) / word_bits_;
    n = run_end;
  }
}

int WeightLayout::row_max_bank_words(const JobWeightRows& rows, std::int64_t kidx, std::int64_t n0, int sc) const {
  const int gin = rows.row_group[std::size_t(kidx)];
  const std::uint8_t* out_group = rows.col_group.data();
  int most = 1;
  std::int64_t n = n0;
  const std::int64_t end = n0 + sc;
  while (n < end) {  // runs of one group each live in a different bank
    const int g = std::max<int>(gin, out_group[n]);
    std::int64_t run_end = n + 1;
    while (run_end < end && std::max<int>(gin, out_group[run_end]) == g) ++run_end;
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
