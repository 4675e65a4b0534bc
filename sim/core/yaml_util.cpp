#include "core/yaml_util.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

#include "core/errors.h"
#include "core/input_file.h"

namespace rcsim::yaml {

namespace {

std::string join(const std::string& path, const char* key) {
  return path.empty() ? std::string(key) : path + "." + key;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> d(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) d[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t prev = d[0];
    d[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cur = d[j];
      d[j] = std::min({d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1)});
      prev = cur;
    }
  }
  return d[b.size()];
}

// A map key as text; a key that is itself a map or list (`{a: 1}: 2`) is a ConfigError, not the
// TypedBadConversion yaml-cpp would throw.
std::string key_text(const YAML::Node& key, const std::string& origin, const std::string& path) {
  if (key.IsNull()) return "null";
  if (!key.IsScalar())
    throw ConfigError(origin + ": " + (path.empty() ? std::string("top level") : path) + ":" +
                      std::to_string(key.Mark().line + 1) + ": a map key must be a plain word, not a " +
                      (key.IsMap() ? "map" : "list"));
  return key.Scalar();
}

template <typename T>
T as(const YAML::Node& v, const std::string& origin, const std::string& full, const char* type) {
  if (!v.IsScalar()) throw ConfigError(origin + ": " + full + ": expected " + type);
  try {
    return v.as<T>();
  } catch (const YAML::Exception&) {
    throw ConfigError(origin + ": " + full + ": expected " + type + " (got '" + v.Scalar() + "')");
  }
}

// Aliases make the tree a DAG: a "billion laughs" document of a few KiB visits 10^9 nodes when
// walked. Every loader walks what it reads, so the duplicate-key walk (which visits everything
// first) refuses documents that expand past this many nodes.
constexpr std::size_t kMaxYamlNodes = 2'000'000;
// An alias inside its own anchor (`a: &a [x, *a]`) makes yaml-cpp build a cycle, and every walk of
// it recursed until the stack overflowed (found by fuzz_network_yaml). No rcsim document nests
// deeper than a few levels, so depth is capped well below what the stack holds.
constexpr std::size_t kMaxYamlDepth = 100;

void check_unique_keys_at(const YAML::Node& node, const std::string& origin, const std::string& path,
                          std::size_t& budget, std::size_t depth) {
  if (budget == 0)
    throw ConfigError(origin + ": document expands to more than " + std::to_string(kMaxYamlNodes) +
                      " YAML nodes (aliases?)");
  if (depth > kMaxYamlDepth)
    throw ConfigError(origin + ": nested more than " + std::to_string(kMaxYamlDepth) +
                      " levels deep (an alias inside its own anchor?)");
  --budget;
  if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i)
      check_unique_keys_at(node[i], origin, path + "[" + std::to_string(i) + "]", budget, depth + 1);
    return;
  }
  if (!node.IsMap()) return;
  std::unordered_map<std::string, std::string> seen;  // key → line:column of its first occurrence
  for (const auto& kv : node) {
    const std::string key = key_text(kv.first, origin, path);
    const YAML::Mark m = kv.first.Mark();
    const std::string at = std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
    const auto [it, fresh] = seen.emplace(key, at);
    if (!fresh)
      throw ConfigError(origin + ": " + join(path, key.c_str()) + ": duplicate key (at " + it->second + " and " +
                        at + ")");
    check_unique_keys_at(kv.second, origin, join(path, key.c_str()), budget, depth + 1);
  }
}

}  // namespace

YAML::Node parse(const std::string& text, const std::string& origin) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    if (e.mark.is_null()) throw ConfigError(origin + ": malformed YAML: " + e.msg);
    throw ConfigError(origin + ":" + std::to_string(e.mark.line + 1) + ":" +
                      std::to_string(e.mark.column + 1) + ": malformed YAML: " + e.msg);
  }
  // Every loader gets the same rules: duplicate keys are errors, not "first wins" / "last wins".
  check_unique_keys(root, origin);
  return root;
}

YAML::Node load_file(const std::string& path) {
  return parse(read_input_file(path, InputKind::Config, kMaxConfigFileBytes), path);
}

std::string did_you_mean(const std::string& word, std::initializer_list<const char*> candidates) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const char* c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) best_d = d, best = c;
  }
  return best;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) best_d = d, best = c;
  }
  return best;
}

void check_keys(const YAML::Node& node, const std::string& origin, const std::string& path,
                std::initializer_list<const char*> allowed) {
  if (!node.IsMap())
    throw ConfigError(origin + ": " + (path.empty() ? std::string("top level") : path) +
                      ": expected a map");
  for (const auto& kv : node) {
    const std::string key = key_text(kv.first, origin, path);
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; })) {
      std::string msg = origin + ": " + join(path, key.c_str()) + ": unknown key";
      const std::string hint = did_you_mean(key, allowed);
      if (!hint.empty()) msg += " (did you mean '" + hint + "'?)";
      throw ConfigError(msg);
    }
  }
}

void check_keys(const YAML::Node& node, const std::string& origin, const std::string& path,
                const std::vector<std::string>& allowed) {
  if (!node.IsMap())
    throw ConfigError(origin + ": " + (path.empty() ? std::string("top level") : path) +
                      ": expected a map");
  for (const auto& kv : node) {
    const std::string key = key_text(kv.first, origin, path);
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string msg = origin + ": " + join(path, key.c_str()) + ": unknown key";
      const std::string hint = did_you_mean(key, allowed);
      if (!hint.empty()) msg += " (did you mean '" + hint + "'?)";
      throw ConfigError(msg);
    }
  }
}

void check_unique_keys(const YAML::Node& node, const std::string& origin, const std::string& path) {
  std::size_t budget = kMaxYamlNodes;
  check_unique_keys_at(node, origin, path, budget, 0);
}

int get_int(const YAML::Node& n, const std::string& origin, const std::string& path, const char* key) {
  const YAML::Node v = n[key];
  if (!v) throw ConfigError(origin + ": " + join(path, key) + ": missing required field");
  return as<int>(v, origin, join(path, key), "an integer");
}
int get_int(const YAML::Node& n, const std::string& origin, const std::string& path, const char* key,
            int fallback) {
  return n[key] ? get_int(n, origin, path, key) : fallback;
}
double get_double(const YAML::Node& n, const std::string& origin, const std::string& path,
                  const char* key) {
  const YAML::Node v = n[key];
  if (!v) throw ConfigError(origin + ": " + join(path, key) + ": missing required field");
  return as<double>(v, origin, join(path, key), "a number");
}
double get_double(const YAML::Node& n, const std::string& origin, const std::string& path,
                  const char* key, double fallback) {
  return n[key] ? get_double(n, origin, path, key) : fallback;
}
bool get_bool(const YAML::Node& n, const std::string& origin, const std::string& path, const char* key,
              bool fallback) {
  const YAML::Node v = n[key];
  return v ? as<bool>(v, origin, join(path, key), "true or false") : fallback;
}
std::string get_string(const YAML::Node& n, const std::string& origin, const std::string& path,
                       const char* key) {
  const YAML::Node v = n[key];
  if (!v) throw ConfigError(origin + ": " + join(path, key) + ": missing required field");
  return as<std::string>(v, origin, join(path, key), "a string");
}
std::string get_string(const YAML::Node& n, const std::string& origin, const std::string& path,
                       const char* key, const std::string& fallback) {
  return n[key] ? get_string(n, origin, path, key) : fallback;
}

}  // namespace rcsim::yaml
