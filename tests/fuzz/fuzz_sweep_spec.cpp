// Sweep spec YAML (--spec): parse and enumerate, with a small point cap so a fuzzed grid cannot
// make the run slow.
#include "fuzz_util.h"
#include "sweep/sweep_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rcsim::fuzz::run_reader([&] { rcsim::sweep::parse_sweep_spec(rcsim::fuzz::text(data, size), "fuzz.yaml", 1000); });
  return 0;
}
