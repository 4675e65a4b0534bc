#pragma once
// libFuzzer-ready entry point for the ONNX reader: parses `size` bytes as an .onnx file,
// normalizes the model and imports it as an rcsim network. Bad input must end as InputError
// (swallowed here); anything else — a crash, another exception, a sanitizer report — is a bug.
// A fuzz target is one line:
//   extern "C" int LLVMFuzzerTestOneInput(const uint8_t* d, size_t n) { return rcsim_fuzz_onnx(d, n); }
#include <cstddef>
#include <cstdint>

extern "C" int rcsim_fuzz_onnx(const std::uint8_t* data, std::size_t size);
