#pragma once
// Shared helpers of the accelerator end-to-end tests: seeded networks and images, and a compact
// description of an arch for failure messages.
#include <random>
#include <string>
#include <vector>

#include "accel/accelerator.h"
#include "core/network_yaml.h"
#include "host/int_reference.h"
#include "core/arch_params.h"

namespace rcsim::test {

inline std::vector<std::int32_t> random_image(const QuantizedNetwork& qn, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  std::vector<float> px(qn.net.input.size());
  for (auto& p : px) p = u(rng);
  return quantize_image(qn, px.data());
}

inline ArchParams arch_with(const std::vector<std::string>& sets) {
  return load_arch("default", sets);
}

inline std::string describe(const ArchParams& a) {
  return std::to_string(a.rows) + "x" + std::to_string(a.cols) + " " + to_string(a.dataflow) + " " +
         to_string(a.timing);
}

}  // namespace rcsim::test
