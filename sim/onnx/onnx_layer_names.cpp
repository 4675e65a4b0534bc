#include "onnx/onnx_layer_names.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <vector>

namespace rcsim {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// Splits "Relu_12" into ("Relu", "_12"); a name without a numeric suffix keeps it whole.
std::pair<std::string, std::string> split_counter(const std::string& s) {
  const std::size_t u = s.rfind('_');
  if (u == std::string::npos || u == 0 || u + 1 == s.size()) return {s, ""};
  for (std::size_t i = u + 1; i < s.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return {s, ""};
  return {s.substr(0, u), s.substr(u)};
}

std::string yaml_safe(const std::string& s) {
  std::string r;
  for (char c : s) r += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ? c : '_';
  // A name that YAML would read as something else (a number, a bool) is still quoted by
  // to_yaml; here only the characters matter. Leading dots or dashes read oddly: drop them.
  const std::size_t start = r.find_first_not_of(".-");
  return start == std::string::npos ? std::string() : r.substr(start);
}

/// Whether a module called `module` says what a layer of `kind` is: "maxpool" or "pool1" for a
/// maxpool, "relu" for a relu, "add_2" for an add (the name without its trailing number equals
/// the kind, or is the end of it).
bool module_names_kind(const std::string& module, const std::string& kind) {
  std::string base = lower(module);
  while (!base.empty() &&
         (std::isdigit(static_cast<unsigned char>(base.back())) || base.back() == '.' || base.back() == '_'))
    base.pop_back();
  return !base.empty() && base.size() <= kind.size() && kind.compare(kind.size() - base.size(), base.size(), base) == 0;
}

}  // namespace

std::string onnx_layer_kind_word(const std::string& op) {
  static const std::map<std::string, std::string> words{{"Conv", "conv"},
                                                        {"Gemm", "fc"},
                                                        {"MatMul", "fc"},
                                                        {"BatchNormalization", "batchnorm"},
                                                        {"Relu", "relu"},
                                                        {"Clip", "relu6"},
                                                        {"Add", "add"},
                                                        {"Concat", "concat"},
                                                        {"MaxPool", "maxpool"},
                                                        {"AveragePool", "avgpool"},
                                                        {"GlobalAveragePool", "avgpool"},
                                                        {"Flatten", "flatten"}};
  const auto it = words.find(op);
  return it == words.end() ? lower(op) : it->second;
}

std::string readable_layer_name(const std::string& node_name, const std::string& op_type) {
  const std::string kind = onnx_layer_kind_word(op_type);
  // The reader calls unnamed nodes "node#<index>": nothing to keep of that.
  const std::string name = node_name.rfind("node#", 0) == 0 ? std::string() : node_name;
  std::vector<std::string> parts;
  for (std::size_t b = 0; b <= name.size();) {
    const std::size_t e = std::min(name.find('/', b), name.size());
    if (e > b) parts.push_back(name.substr(b, e - b));
    b = e + 1;
  }
  // The operator component: always the last one of a scope path ("/a/b/Conv_3"); otherwise only
  // when it names the operator ("Conv_3" from older exporters, "flatten").
  std::string counter;
  if (!parts.empty()) {
    const auto [base, cnt] = split_counter(parts.back());
    const bool names_op = lower(base) == lower(op_type) || lower(base) == kind;
    if (name[0] == '/' || names_op) {
      parts.pop_back();
      counter = cnt;
    }
  }
  // Drop a scope the next one extends: layer1 / layer1.0 → layer1.0.
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < parts.size(); ++i)
    if (i + 1 == parts.size() || parts[i + 1].rfind(parts[i] + ".", 0) != 0) kept.push_back(parts[i]);
  std::string path;
  for (const auto& p : kept) path += (path.empty() ? "" : ".") + p;
  path = yaml_safe(path);

  const bool module_is_layer = kind == "conv" || kind == "fc" || kind == "batchnorm";
  std::string r;
  if (path.empty())
    r = kind + counter;
  else if (module_is_layer)
    r = path;
  else if (module_names_kind(kept.back(), kind))
    r = path;  // /maxpool/MaxPool → maxpool, /pool1/MaxPool → pool1
  else
    r = path + "." + kind + counter;
  return yaml_safe(r).empty() ? kind : yaml_safe(r);
}

std::string UniqueNames::take(const std::string& wanted) {
  std::string name = wanted;
  for (int i = 2; taken_.count(name); ++i) name = wanted + "_" + std::to_string(i);
  taken_.insert(name);
  return name;
}

}  // namespace rcsim
