#include "energy/storage_report.h"

#include <nlohmann/json.hpp>
#include <string>

#include "core/errors.h"

namespace rcsim::energy {

std::int64_t weight_bytes(const Network& net, int k, int weight_bits) {
  std::int64_t weights = 0, biases = 0;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    weights += net.weight_count(i, k);
    biases += net.bias_count(i, k);
  }
  return (weights * weight_bits + 7) / 8 + biases * 4;
}

StorageReport storage_report(const Network& net, int weight_bits) {
  if (weight_bits != 8 && weight_bits != 16)
    throw InputError("storage report: weight bits must be 8 or 16 (got " + std::to_string(weight_bits) + ")");
  StorageReport r;
  r.groups = net.width_groups;
  r.weight_bits = weight_bits;
  for (int k = 1; k <= net.width_groups; ++k) {
    r.bytes_per_width.push_back(weight_bytes(net, k, weight_bits));
    r.separate_bytes += r.bytes_per_width.back();
  }
  r.incremental_bytes = r.bytes_per_width.back();
  r.big_little_bytes = r.bytes_per_width.front() + r.bytes_per_width.back();
  r.saving_vs_separate_pct = 100.0 * (1.0 - double(r.incremental_bytes) / double(r.separate_bytes));
  r.saving_vs_big_little_pct = 100.0 * (1.0 - double(r.incremental_bytes) / double(r.big_little_bytes));
  return r;
}

nlohmann::json StorageReport::to_json() const {
  return {{"groups", groups},
          {"weight_bits", weight_bits},
          {"bytes_per_width", bytes_per_width},
          {"incremental_bytes", incremental_bytes},
          {"separate_bytes", separate_bytes},
          {"big_little_bytes", big_little_bytes},
          // Fractions 0..1 in every machine-readable output (docs/outputs.md).
          {"saving_vs_separate", saving_vs_separate_pct / 100},
          {"saving_vs_big_little", saving_vs_big_little_pct / 100}};
}

}  // namespace rcsim::energy
