#pragma once
// A plain description of an ONNX model: what rcsim needs of a .onnx file, free of protobuf
// types so that no user of it includes ONNX's generated headers. Filled by read_onnx()
// (onnx_reader.h) and canonicalized by normalize() (onnx_normalize.h).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rcsim {

/// A constant tensor (initializer, Constant node value, tensor attribute), converted to float.
struct OnnxTensor {
  std::vector<std::int64_t> dims;  ///< [] = a scalar (one value)
  std::vector<float> values;       ///< product(dims) values, row-major
  std::string dtype = "float";     ///< element type in the file: "float", "double" or "int64"
  std::size_t size() const { return values.size(); }
};

/// One node attribute. Only the member matching `kind` is meaningful.
struct OnnxAttribute {
  enum class Kind { Int, Float, String, Ints, Floats, Strings, Tensor, Other };
  Kind kind = Kind::Other;
  std::int64_t i = 0;
  float f = 0;
  std::string s;
  std::vector<std::int64_t> ints;
  std::vector<float> floats;
  std::vector<std::string> strings;
  OnnxTensor tensor;
  std::string other_type;  ///< for Kind::Other: ONNX's type name (GRAPH, SPARSE_TENSOR, ...)
};

struct OnnxNode {
  std::string op_type;
  std::string name;     ///< the file's node name, or "node#<index>" when it has none
  std::string domain;   ///< "" = the default ONNX domain
  std::vector<std::string> inputs;   ///< "" = an omitted optional input
  std::vector<std::string> outputs;  ///< "" = an omitted optional output
  std::map<std::string, OnnxAttribute> attributes;

  bool has(const std::string& attr) const { return attributes.count(attr) != 0; }
  // Typed attribute access: `fallback` when absent, InputError naming the node and the
  // attribute when present with another kind.
  std::int64_t get_int(const std::string& attr, std::int64_t fallback) const;
  float get_float(const std::string& attr, float fallback) const;
  std::string get_string(const std::string& attr, const std::string& fallback) const;
  std::vector<std::int64_t> get_ints(const std::string& attr,
                                     const std::vector<std::int64_t>& fallback) const;
  /// "ONNX node '<name>' (<op_type>)", printable on one line: the prefix of node errors.
  std::string label() const;
};

/// A graph input or output and its shape. Inputs are always static (a symbolic batch
/// dimension reads as 1); an output dimension the file leaves unknown is -1.
struct OnnxValueInfo {
  std::string name;
  std::vector<std::int64_t> dims;
};

struct OnnxModel {
  std::string source;    ///< the file (or the label given to parse_onnx), for messages
  std::int64_t opset = 0;  ///< version of the default ONNX domain
  std::string producer;  ///< e.g. "pytorch 1.13.0"
  std::vector<OnnxValueInfo> inputs;  ///< graph inputs that are not initializers
  std::vector<OnnxValueInfo> outputs;
  std::vector<OnnxNode> nodes;        ///< in topological order (checked)
  std::map<std::string, OnnxTensor> initializers;
  /// Static shape of every tensor of the graph; filled by normalize(), empty before.
  std::map<std::string, std::vector<std::int64_t>> shapes;

  std::size_t count(const std::string& op_type) const;
};

/// `s` fit for a one-line message: control characters replaced by '?', at most 120 characters.
std::string onnx_printable(const std::string& s);

/// A shape for a message: "1x3x224x224", or "scalar" for no dims.
std::string dims_text(const std::vector<std::int64_t>& dims);

}  // namespace rcsim
