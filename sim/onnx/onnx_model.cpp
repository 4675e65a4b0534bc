#include "onnx/onnx_model.h"

#include <algorithm>

#include "core/errors.h"

namespace rcsim {

std::string onnx_printable(const std::string& s) {
  constexpr std::size_t kMax = 120;
  std::string out;
  for (char c : s.substr(0, kMax)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  if (s.size() > kMax) out += "...";
  return out;
}

std::string OnnxNode::label() const {
  return "ONNX node '" + onnx_printable(name) + "' (" + onnx_printable(op_type) + ")";
}

namespace {

const char* kind_name(OnnxAttribute::Kind k) {
  switch (k) {
    case OnnxAttribute::Kind::Int: return "an int";
    case OnnxAttribute::Kind::Float: return "a float";
    case OnnxAttribute::Kind::String: return "a string";
    case OnnxAttribute::Kind::Ints: return "a list of ints";
    case OnnxAttribute::Kind::Floats: return "a list of floats";
    case OnnxAttribute::Kind::Strings: return "a list of strings";
    case OnnxAttribute::Kind::Tensor: return "a tensor";
    case OnnxAttribute::Kind::Other: break;
  }
  return "of an unsupported type";
}

const OnnxAttribute* find(const OnnxNode& n, const std::string& attr, OnnxAttribute::Kind want) {
  auto it = n.attributes.find(attr);
  if (it == n.attributes.end()) return nullptr;
  if (it->second.kind != want)
    throw InputError(n.label() + ": attribute '" + onnx_printable(attr) + "' is " +
                     kind_name(it->second.kind) + ", expected " + kind_name(want));
  return &it->second;
}

}  // namespace

std::int64_t OnnxNode::get_int(const std::string& attr, std::int64_t fallback) const {
  const auto* a = find(*this, attr, OnnxAttribute::Kind::Int);
  return a ? a->i : fallback;
}

float OnnxNode::get_float(const std::string& attr, float fallback) const {
  const auto* a = find(*this, attr, OnnxAttribute::Kind::Float);
  return a ? a->f : fallback;
}

std::string OnnxNode::get_string(const std::string& attr, const std::string& fallback) const {
  const auto* a = find(*this, attr, OnnxAttribute::Kind::String);
  return a ? a->s : fallback;
}

std::vector<std::int64_t> OnnxNode::get_ints(const std::string& attr,
                                             const std::vector<std::int64_t>& fallback) const {
  const auto* a = find(*this, attr, OnnxAttribute::Kind::Ints);
  return a ? a->ints : fallback;
}

std::size_t OnnxModel::count(const std::string& op_type) const {
  return std::size_t(std::count_if(nodes.begin(), nodes.end(),
                                   [&](const OnnxNode& n) { return n.op_type == op_type; }));
}

std::string dims_text(const std::vector<std::int64_t>& dims) {
  std::string s;
  for (auto x : dims) s += (s.empty() ? "" : "x") + std::to_string(x);
  return s.empty() ? "scalar" : s;
}

}  // namespace rcsim
