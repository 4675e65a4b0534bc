// read_onnx()/parse_onnx() through the reader plugin (onnx_reader_plugin.h): rcsim does not link
// protobuf; the plugin (reader_plugin/onnx_protobuf_reader.cpp) parses.
#include "onnx/onnx_reader.h"

#include <atomic>
#include <string>

#include "core/errors.h"
#include "core/plugin_loader.h"
#include "onnx/onnx_reader_plugin.h"

namespace rcsim {
namespace {

std::atomic<const RcsimOnnxReaderApi*> g_linked_reader{nullptr};

const RcsimOnnxReaderApi& load() {
  constexpr const char* kWhat = "the ONNX reader plugin";
  const auto* api = static_cast<const RcsimOnnxReaderApi*>(load_plugin(
      {kWhat, "librcsim_onnx_reader.so", "RCSIM_ONNX_READER_PLUGIN", RCSIM_ONNX_READER_PLUGIN_INSTALL_PATH,
       RCSIM_ONNX_READER_PLUGIN_BUILD_PATH, kOnnxReaderPluginEntry, kOnnxReaderPluginVersion}));
  if (api->model_size != sizeof(OnnxModel))
    throw EnvironmentError(std::string("cannot use ") + kWhat +
                           ": it was built with another OnnxModel layout; rebuild or reinstall rcsim");
  return *api;
}

/// Runs one plugin call into a fresh model and turns its status into rcsim's exceptions.
template <class Call>
OnnxModel call_reader(Call call) {
  OnnxModel model;
  char error[4096] = {0};
  const int status = call(onnx_reader(), &model, error, sizeof error);
  if (status == RCSIM_ONNX_OK) return model;
  if (status == RCSIM_ONNX_INPUT_ERROR) throw InputError(error);
  throw InternalError(std::string("ONNX reader plugin: ") + error);
}

}  // namespace

const RcsimOnnxReaderApi& onnx_reader() {
  if (const RcsimOnnxReaderApi* linked = g_linked_reader.load()) return *linked;
  static const RcsimOnnxReaderApi& api = load();
  return api;
}

void use_onnx_reader(const RcsimOnnxReaderApi* api) { g_linked_reader.store(api); }

OnnxModel read_onnx(const std::string& path) {
  return call_reader([&](const RcsimOnnxReaderApi& r, OnnxModel* m, char* e, std::size_t n) {
    return r.read(path.c_str(), m, e, n);
  });
}

OnnxModel parse_onnx(const void* data, std::size_t size, const std::string& source) {
  return call_reader([&](const RcsimOnnxReaderApi& r, OnnxModel* m, char* e, std::size_t n) {
    return r.parse(data, size, source.c_str(), m, e, n);
  });
}

}  // namespace rcsim
