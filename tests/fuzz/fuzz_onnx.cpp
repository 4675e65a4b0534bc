// ONNX models (--net FILE.onnx): sim/onnx's own entry (read, normalize, import).
#include <cstddef>
#include <cstdint>

#include "onnx/onnx_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return rcsim_fuzz_onnx(data, size);
}
