#pragma once
// Deterministic slices of a sweep for running it on many machines: shard i of N takes the
// points whose enumeration index ≡ i (mod N). Round-robin rather than contiguous blocks so that
// expensive regions of the grid (large arrays, full width) spread evenly over the shards.
#include <string>
#include <vector>

#include "sweep/design_point.h"

namespace rcsim::sweep {

struct Shard {
  int index = 0;  ///< 0-based (matches $SLURM_ARRAY_TASK_ID and GNU parallel's {%}-1)
  int count = 1;
};

/// Parses "i/N" with 0 ≤ i < N; InputError otherwise.
Shard parse_shard(const std::string& text);

/// Indices (into `points`) that belong to `shard`, in enumeration order.
std::vector<std::size_t> shard_indices(std::size_t num_points, const Shard& shard);

}  // namespace rcsim::sweep
