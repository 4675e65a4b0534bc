#pragma once
// The protobuf side of onnx/onnx_reader.h, compiled only into the reader plugin
// (librcsim_onnx_reader.so) and the fuzz target: the only code of rcsim that sees protobuf types.
// Same contract as read_onnx()/parse_onnx(), which call these through the plugin.
#include <cstddef>
#include <string>

#include "onnx/onnx_model.h"

namespace rcsim {

OnnxModel protobuf_read_onnx(const std::string& path);
OnnxModel protobuf_parse_onnx(const void* data, std::size_t size, const std::string& source);

}  // namespace rcsim
