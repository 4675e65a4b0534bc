#pragma once
// Where each weight lives in the banked weight SRAM. A weight belongs to the width group that
// first uses it: group(W[n][c]) = max(group of output n, group of input c) — the groups of the
// node's output and input tensors (Network::groups_of; fc: the group of the input feature's
// channel; a grouped conv's output reads only the inputs of its channel group) — so width k reads
// only groups 1..k. Banks are split evenly among the G groups (banks/G each); a group's weights
// are stored node after node in its own banks, the rows of the node's full-width weight matrix
// interleaved over the group's banks (row slot s → bank s mod banks_per_group; chain networks:
// s is the reduction index kidx). A node's group chunk that does not fit its group's capacity is
// not resident: it is fetched from DRAM on every inference, in weight tiles through a staging
// area of the group's banks: when any chunk of the network is not resident, a quarter of each
// group's capacity is kept free for them ([J] policy) and the resident chunks are packed into the
// rest (a network whose weights all fit keeps the whole capacity).
//
// Row reads take a job's JobWeightRows (mapper/node_jobs.h): which row slot and width group each
// reduction row of the job has, and the width group of each output column.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/arch_params.h"
#include "core/network.h"
#include "mapper/node_jobs.h"

namespace rcsim {

class WeightLayout {
 public:
  /// ConfigError if weight_sram.banks is not a multiple of the network's width groups.
  WeightLayout(const Network& net, const ArchParams& arch);

  int groups() const { return G_; }
  int banks() const { return banks_; }
  int banks_per_group() const { return bpg_; }
  /// Width group (1-based) owning bank b.
  int bank_group(int b) const { return b / bpg_ + 1; }
  /// Bytes of node i's weights in group g.
  std::int64_t group_bytes(std::size_t i, int g) const { return bytes_[i][g - 1]; }
  /// Whether node i's group-g weights stay on chip.
  bool resident(std::size_t i, int g) const { return resident_[i][g - 1]; }
  /// Bytes node i at width k streams from DRAM per inference (non-resident active chunks).
  std::int64_t dram_bytes(std::size_t i, int k) const;
  /// Capacity of one group's banks, and the part of it kept free to stage streamed weight tiles
  /// (0 when every chunk is resident).
  std::int64_t group_capacity() const { return group_capacity_; }
  std::int64_t staging_bytes() const { return staging_bytes_; }

  /// Adds the word reads for one row of stationary weights — reduction row `kidx` of a job whose
  /// weights lie as `rows` says, its columns n0..n0+sc−1 — to `reads` (per bank). Each run of
  /// columns in one group is read as ceil(run·bits/word_bits) words from that group's bank for
  /// this row.
  void add_row_reads(const JobWeightRows& rows, std::int64_t kidx, std::int64_t n0, int sc,
                     std::vector<std::int64_t>& reads) const;
  /// Words the bank serving the most of them must deliver for this row (≥ 1): a bank returns
  /// one word per cycle, so a row needing k words from one bank takes k load cycles (k − 1 stalls).
  int row_max_bank_words(const JobWeightRows& rows, std::int64_t kidx, std::int64_t n0, int sc) const;
  /// Adds the word writes of refilling node i's non-resident active chunks (width k) from DRAM.
  void add_refill_writes(std::size_t i, int k, std::vector<std::int64_t>& writes) const;

 private:
  const Network& net_;
  int G_, banks_, bpg_, bits_, word_bits_;
  std::vector<std::vector<std::int64_t>> bytes_;
  std::vector<std::vector<bool>> resident_;
  std::int64_t group_capacity_ = 0, staging_bytes_ = 0;
};

}  // namespace rcsim
