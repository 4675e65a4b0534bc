#pragma once
// The C interface between sim/onnx (onnx_reader.cpp) and the ONNX reader plugin
// (reader_plugin/, the shared library librcsim_onnx_reader.so). Parsing a .onnx file needs
// libprotobuf and libonnx_proto, whose loading, relocation and static initialization (descriptor
// registration) cost every process ~5 ms of CPU at start-up when linked into rcsim; the plugin,
// which links them, is dlopen'ed on the first .onnx read (onnx_reader_plugin.h). The calls are
// plain C; the model itself is returned in rcsim's own protobuf-free OnnxModel (onnx_model.h),
// which the plugin fills in place: the plugin is always built by the same build as rcsim, and
// kOnnxReaderPluginVersion and model_size guard against a stale one.
#include <cstddef>

extern "C" {

/// What a call returns.
enum RcsimOnnxReaderStatus {
  RCSIM_ONNX_OK = 0,
  RCSIM_ONNX_INPUT_ERROR = 1,  ///< the file is bad: `error` holds the one-line InputError message
  RCSIM_ONNX_INTERNAL_ERROR = 2,  ///< anything else (a bug, out of memory): `error` says what
};

struct RcsimOnnxReaderApi {
  int version;             ///< kOnnxReaderPluginVersion of the plugin
  std::size_t model_size;  ///< sizeof(rcsim::OnnxModel) in the plugin
  /// read_onnx(path) into *model (an rcsim::OnnxModel). On failure `error` (error_size bytes,
  /// NUL-terminated, truncated if longer) holds the message.
  int (*read)(const char* path, void* model, char* error, std::size_t error_size);
  /// parse_onnx(data, size, source) into *model, as `read`.
  int (*parse)(const void* data, std::size_t size, const char* source, void* model, char* error,
               std::size_t error_size);
};

/// The plugin's one exported symbol: a pointer to its RcsimOnnxReaderApi. Declared as returning
/// `const void*` because that is the type the loader (core/plugin_loader.h) calls it through;
/// calling a function through a pointer of another type is undefined behaviour (UBSan's
/// -fsanitize=function reports it).
const void* rcsim_onnx_reader_api();
}

namespace rcsim {
constexpr int kOnnxReaderPluginVersion = 1;
constexpr const char* kOnnxReaderPluginEntry = "rcsim_onnx_reader_api";
}  // namespace rcsim
