#pragma once
// The ONNX operators rcsim imports, and the check that a model uses no other.
#include <string>
#include <vector>

#include "onnx/onnx_model.h"

namespace rcsim {

/// Operators of the default domain that normalize() turns into rcsim's layers, sorted.
const std::vector<std::string>& onnx_supported_ops();

/// Operators accepted only when all their inputs are constants (or, for Shape, a static shape):
/// the shape arithmetic PyTorch's exporter emits for x.view(x.size(0), -1) and F.pad, which
/// normalize() evaluates at import. Sorted.
const std::vector<std::string>& onnx_shape_arithmetic_ops();

/// InputError "<file>: ONNX node 'name' (OpType): unsupported operator; supported: ..." (one
/// line) for the first node whose operator is in neither list or not in the default domain.
void check_supported_ops(const OnnxModel& model);

}  // namespace rcsim
