#pragma once
// Reading .onnx files (protobuf ModelProto, parsed by Debian's libonnx/libprotobuf in the reader
// plugin librcsim_onnx_reader.so, loaded on the first read: onnx_reader_plugin.h) into an
// OnnxModel. Every defect is one InputError line naming the file and the offending
// input/node/initializer: a missing or unreadable file, bytes that are not a ModelProto
// (truncated, garbage), an opset outside kOnnxMinOpset..kOnnxMaxOpset, a dynamic input dimension
// other than the batch, a non-float input, a node input that no earlier node, initializer or
// graph input defines (dangling, or the graph is not topologically sorted), a tensor of an
// unsupported element type, with external data, or whose dims disagree with its data or exceed
// the size caps (checked before anything is allocated).
// Operators are not checked here: see check_supported_ops() and normalize().
#include <cstddef>
#include <cstdint>
#include <string>

#include "onnx/onnx_model.h"

namespace rcsim {

constexpr std::int64_t kOnnxMinOpset = 9;
constexpr std::int64_t kOnnxMaxOpset = 17;
/// Largest .onnx file read (protobuf's own limit is 2 GiB; torchvision's VGG-16 is 528 MB).
constexpr std::uint64_t kOnnxMaxFileBytes = 1ull << 30;
/// Largest element count of one tensor (initializer, graph input, activation).
constexpr std::int64_t kOnnxMaxTensorElements = std::int64_t(1) << 28;

OnnxModel read_onnx(const std::string& path);

/// The same from bytes in memory; `source` names them in messages.
OnnxModel parse_onnx(const void* data, std::size_t size, const std::string& source);

}  // namespace rcsim
