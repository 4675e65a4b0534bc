#pragma once
// Weight storage of a width-configurable network (rcsim info --storage): one incremental weight
// set (every width is a prefix of the full network) vs G separate networks of the same widths
// vs a big/LITTLE pair (smallest + full). Weights at `weight_bits`, biases as int32.
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "core/network.h"

namespace rcsim::energy {

/// Bytes of the weights and biases used at width k: weights × weight_bits / 8 + biases × 4.
std::int64_t weight_bytes(const Network& net, int k, int weight_bits);

struct StorageReport {
  int groups = 0;
  int weight_bits = 0;
  std::vector<std::int64_t> bytes_per_width;  ///< [k-1]: a network of width k alone
  std::int64_t incremental_bytes = 0;         ///< one set = the full-width network
  std::int64_t separate_bytes = 0;            ///< Σ_k bytes_per_width
  std::int64_t big_little_bytes = 0;          ///< width 1 + width G
  double saving_vs_separate_pct = 0;          ///< 100 × (1 − incremental / separate)
  double saving_vs_big_little_pct = 0;        ///< 100 × (1 − incremental / big_little)
  nlohmann::json to_json() const;
};

/// Throws InputError unless weight_bits is 8 or 16.
StorageReport storage_report(const Network& net, int weight_bits);

}  // namespace rcsim::energy
