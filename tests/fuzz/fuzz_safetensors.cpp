// safetensors (--weights): header length, JSON header, dtypes, shapes and offsets.
#include "fuzz_util.h"
#include "host/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rcsim::fuzz::run_reader([&] { rcsim::decode_safetensors(std::vector<std::uint8_t>(data, data + size), "fuzz.safetensors"); });
  return 0;
}
