#pragma once
// Evaluation of the shape arithmetic PyTorch's exporter leaves in a graph (x.view(x.size(0), -1)
// becomes Shape -> Gather -> Unsqueeze -> Concat -> Reshape; F.pad becomes ConstantOfShape,
// Concat, Reshape, Slice, Transpose, Cast on constant pads). Internal to normalize().
#include <cstdint>
#include <string>
#include <vector>

#include "onnx/onnx_model.h"

namespace rcsim {

/// Largest tensor shape arithmetic may produce (its results are shape vectors and pads).
constexpr std::int64_t kOnnxMaxFoldElements = std::int64_t(1) << 20;

/// Whether `op_type` is one fold_constant_node() evaluates.
bool is_foldable_op(const std::string& op_type);

/// The value of node `n` (one of is_foldable_op) given its inputs' values (`inputs[i]` null for
/// an omitted optional input). For Shape, only `input0_dims` is used and `inputs` may be null.
/// InputError "<source>: <node label>: ..." for attributes or values it cannot evaluate.
OnnxTensor fold_constant_node(const OnnxNode& n, const std::vector<const OnnxTensor*>& inputs,
                              const std::vector<std::int64_t>& input0_dims, std::int64_t opset,
                              const std::string& source);

/// A float-held integer value as int64, saturating (int64 tensors are read as float).
std::int64_t onnx_to_int(float v);

}  // namespace rcsim
