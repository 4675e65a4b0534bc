#include "sweep/design_point.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace rcsim::sweep {

const std::string& DesignPoint::empty() {
  static const std::string e;
  return e;
}

const std::string& DesignPoint::get(const std::string& name, const std::string& fallback) const {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return fallback;
}

bool DesignPoint::has(const std::string& name) const {
  return std::any_of(params.begin(), params.end(), [&](const auto& kv) { return kv.first == name; });
}

std::string point_id(const Params& params) {
  Params sorted = params;
  std::sort(sorted.begin(), sorted.end());
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](const std::string& s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
  };
  for (const auto& [k, v] : sorted) {
    mix(k);
    mix("=");
    mix(v);
    mix("\n");
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace rcsim::sweep
