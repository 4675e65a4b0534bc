// The plugin's entry (onnx/onnx_reader_plugin_api.h): the protobuf reader behind plain C calls.
// No exception crosses the boundary: each becomes a status and a message.
#include <cstring>
#include <exception>
#include <string>

#include "core/errors.h"
#include "onnx/onnx_model.h"
#include "onnx/onnx_reader_plugin_api.h"
#include "onnx/reader_plugin/onnx_protobuf_reader.h"

namespace {

void copy_message(const char* what, char* error, std::size_t error_size) {
  if (error_size == 0) return;
  std::strncpy(error, what, error_size - 1);
  error[error_size - 1] = '\0';
}

template <class Read>
int guarded(Read read, void* model, char* error, std::size_t error_size) {
  try {
    *static_cast<rcsim::OnnxModel*>(model) = read();
    return RCSIM_ONNX_OK;
  } catch (const rcsim::InputError& e) {
    copy_message(e.what(), error, error_size);
    return RCSIM_ONNX_INPUT_ERROR;
  } catch (const std::exception& e) {
    copy_message(e.what(), error, error_size);
    return RCSIM_ONNX_INTERNAL_ERROR;
  } catch (...) {
    copy_message("unknown exception", error, error_size);
    return RCSIM_ONNX_INTERNAL_ERROR;
  }
}

int read_file(const char* path, void* model, char* error, std::size_t error_size) {
  return guarded([&] { return rcsim::protobuf_read_onnx(path); }, model, error, error_size);
}

int parse_bytes(const void* data, std::size_t size, const char* source, void* model, char* error,
          std::size_t error_size) {
  return guarded([&] { return rcsim::protobuf_parse_onnx(data, size, source); }, model, error,
                 error_size);
}

const RcsimOnnxReaderApi api = {rcsim::kOnnxReaderPluginVersion, sizeof(rcsim::OnnxModel), &read_file,
                                &parse_bytes};

}  // namespace

extern "C" __attribute__((visibility("default"))) const void* rcsim_onnx_reader_api() {
  return &api;
}
