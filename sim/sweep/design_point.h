#pragma once
// One design point of a sweep: named parameters (network, width, rows, …) with a stable id.
#include <string>
#include <utility>
#include <vector>

namespace rcsim::sweep {

/// Ordered name → value pairs, values kept as the text written to the CSV.
using Params = std::vector<std::pair<std::string, std::string>>;

struct DesignPoint {
  std::string id;  ///< point_id(params): identical parameters give the identical id everywhere
  Params params;   ///< in canonical axis order (see sweep_spec.h)

  /// Value of parameter `name`, or `fallback` when the point does not set it.
  const std::string& get(const std::string& name, const std::string& fallback = empty()) const;
  bool has(const std::string& name) const;

 private:
  static const std::string& empty();
};

/// 16 hex digits of FNV-1a-64 over the parameters sorted by name ("name=value\n" each). It
/// depends only on the parameter values, not on the spec's order or on which shard or machine
/// evaluates the point, so resumed runs and merged shards agree on it.
std::string point_id(const Params& params);

}  // namespace rcsim::sweep
