// Architecture YAML plus --set overrides: the input is YAML, then after a NUL byte one override
// (path=value) per line.
#include <sstream>

#include "core/arch_params.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string in = rcsim::fuzz::text(data, size);
  const auto nul = in.find('\0');
  std::vector<std::string> sets;
  if (nul != std::string::npos) {
    std::istringstream lines(in.substr(nul + 1));
    for (std::string line; std::getline(lines, line);) sets.push_back(line);
  }
  rcsim::fuzz::run_reader([&] { rcsim::parse_arch(in.substr(0, nul), "fuzz.yaml", sets); });
  return 0;
}
