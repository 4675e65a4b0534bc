#pragma once
// Readable, unique, YAML-safe layer names for the nodes of an imported ONNX model.
//
// PyTorch's exporter names a node after the module scope it ran in plus its operator, e.g.
// `/layer1/layer1.0/conv1/Conv` or `/features/features.1/conv/conv.0/conv.0.0/Conv`: every scope
// repeats its parent's path. The layer name keeps the scope, drops each component that the next
// one extends (`layer1` before `layer1.0`), joins the rest with '.' and names the operator only
// where the scope does not already say what the layer is:
//   /layer1/layer1.0/conv1/Conv               → layer1.0.conv1
//   /features/features.1/conv/conv.0/conv.0.0/Conv → features.1.conv.0.0
//   /layer1/layer1.0/Add                      → layer1.0.add
//   /maxpool/MaxPool                          → maxpool
//   /pool1/MaxPool                            → pool1
//   /Relu_1                                   → relu_1
// Conv, Gemm/MatMul and BatchNormalization are named by their module alone (the module is the
// layer); other operators get their rcsim kind appended (`add`, `concat`, `maxpool`, `avgpool`,
// `flatten`, `relu`, `relu6`), keeping the exporter's `_N` counter, unless the module's name
// (without its number) already ends the kind word (`pool1` for a maxpool). Characters outside
// [A-Za-z0-9._-] become '_'; a name already taken (or `input`, the image) gets `_2`, `_3`, …
#include <set>
#include <string>

namespace rcsim {

/// The rcsim kind word of a canonical ONNX operator (normalize()'s output): "conv", "fc",
/// "batchnorm", "relu", "relu6", "add", "concat", "maxpool", "avgpool", "flatten".
std::string onnx_layer_kind_word(const std::string& op_type);

/// The readable name of node `node_name` (op `op_type`), before making it unique.
std::string readable_layer_name(const std::string& node_name, const std::string& op_type);

/// Hands out unique names: `take(n)` returns n, or n_2, n_3, … if n is taken (or is `input`).
class UniqueNames {
 public:
  std::string take(const std::string& wanted);

 private:
  std::set<std::string> taken_{"input"};
};

}  // namespace rcsim
