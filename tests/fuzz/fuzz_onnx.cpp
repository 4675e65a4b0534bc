// ONNX models (--net FILE.onnx): sim/onnx's own entry (read, normalize, import).
#include <cstddef>
#include <cstdint>

#include "onnx/onnx_fuzz.h"
#include "onnx/onnx_reader_plugin.h"

// The reader's code is linked into this target (rcsim_onnx_reader_objs), not dlopen'ed, so that
// libFuzzer instruments it.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  rcsim::use_onnx_reader(static_cast<const RcsimOnnxReaderApi*>(rcsim_onnx_reader_api()));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return rcsim_fuzz_onnx(data, size);
}
