#include "onnx/onnx_fuzz.h"

#include "core/errors.h"
#include "onnx/onnx_import.h"
#include "onnx/onnx_normalize.h"
#include "onnx/onnx_reader.h"

extern "C" int rcsim_fuzz_onnx(const std::uint8_t* data, std::size_t size) {
  try {
    rcsim::OnnxModel m = rcsim::parse_onnx(data, size, "fuzz input");
    rcsim::normalize(m);
    rcsim::import_onnx(m);
  } catch (const rcsim::InputError&) {
    // The expected outcome for malformed bytes: a one-line message, no crash.
  }
  return 0;
}
