#pragma once
// Loads librcsim_onnx_reader.so (onnx/onnx_reader_plugin_api.h) on the first .onnx read, so that
// only a process that reads an ONNX model pays for protobuf and libonnx (start-up of every other
// command: docs/performance.md). Where it looks: core/plugin_loader.h, $RCSIM_ONNX_READER_PLUGIN
// first.
#include "onnx/onnx_reader_plugin_api.h"

namespace rcsim {

/// The reader read_onnx()/parse_onnx() use: the one given to use_onnx_reader(), else the plugin,
/// loaded once (thread-safe). EnvironmentError, one line naming the paths tried, when it cannot
/// be loaded.
const RcsimOnnxReaderApi& onnx_reader();

/// Uses `api` instead of loading the plugin: for a program that links the reader's code itself
/// (the fuzz target, tests/fuzz/fuzz_onnx.cpp, so that the fuzzer instruments it). Call it
/// before the first read.
void use_onnx_reader(const RcsimOnnxReaderApi* api);

}  // namespace rcsim
