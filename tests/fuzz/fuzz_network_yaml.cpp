// Network YAML (--net FILE.yaml): parse, finalize shapes and width groups, per-width counts.
#include "core/network_yaml.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rcsim::fuzz::run_reader([&] {
    const rcsim::Network net = rcsim::parse_network(rcsim::fuzz::text(data, size), "fuzz.yaml");
    for (int k = 1; k <= net.width_groups; ++k) (void)net.total_macs(k), (void)net.total_weights(k);
  });
  return 0;
}
