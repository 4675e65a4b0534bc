#include "onnx/onnx_ops.h"

#include <algorithm>

#include "core/errors.h"

namespace rcsim {

const std::vector<std::string>& onnx_supported_ops() {
  static const std::vector<std::string> ops = {
      "Add",     "AveragePool", "BatchNormalization", "Clip",    "Concat",
      "Constant", "Conv",       "Dropout",            "Flatten", "Gemm",
      "GlobalAveragePool", "Identity", "MatMul", "MaxPool", "Pad", "ReduceMean", "Relu", "Reshape"};
  return ops;
}

const std::vector<std::string>& onnx_shape_arithmetic_ops() {
  static const std::vector<std::string> ops = {"Cast",  "ConstantOfShape", "Gather",    "Shape",
                                               "Slice", "Squeeze",         "Transpose", "Unsqueeze"};
  return ops;
}

namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::binary_search(v.begin(), v.end(), s);
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

}  // namespace

void check_supported_ops(const OnnxModel& model) {
  const OnnxNode* first = nullptr;
  std::size_t more = 0;
  for (const auto& n : model.nodes) {
    const bool ok = n.domain.empty() &&
                    (contains(onnx_supported_ops(), n.op_type) || contains(onnx_shape_arithmetic_ops(), n.op_type));
    if (ok) continue;
    if (first) ++more;
    else first = &n;
  }
  if (!first) return;
  std::string msg = onnx_printable(model.source) + ": " + first->label() + ": unsupported operator";
  if (!first->domain.empty()) msg += " (domain '" + onnx_printable(first->domain) + "')";
  msg += "; supported: " + joined(onnx_supported_ops()) + "; on constants only: " +
         joined(onnx_shape_arithmetic_ops());
  if (more) msg += " (" + std::to_string(more) + " more unsupported node" + (more > 1 ? "s" : "") + ")";
  throw InputError(msg);
}

}  // namespace rcsim
