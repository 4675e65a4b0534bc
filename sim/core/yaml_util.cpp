#include "core/yaml_util.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/errors.h"

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

template <typename T>
T as(const YAML::Node& v, const std::string& origin, const std::string& full, const char* type) {
  if (!v.IsScalar()) throw ConfigError(origin + ": " + full + ": expected " + type);
  try {
    return v.as<T>();
  } catch (const YAML::Exception&) {
    throw ConfigError(origin + ": " + full + ": expected " + type + " (got '" + v.Scalar() + "')");
  }
}

}  // namespace

YAML::Node parse(const std::string& text, const std::string& origin) {
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw ConfigError(origin + ":" + std::to_string(e.mark.line + 1) + ":" +
                      std::to_string(e.mark.column + 1) + ": malformed YAML: " + e.msg);
  }
}

YAML::Node load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot open file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path);
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
    const std::string key = kv.first.as<std::string>();
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
    const std::string key = kv.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string msg = origin + ": " + join(path, key.c_str()) + ": unknown key";
      const std::string hint = did_you_mean(key, allowed);
      if (!hint.empty()) msg += " (did you mean '" + hint + "'?)";
      throw ConfigError(msg);
    }
  }
}

void check_unique_keys(const YAML::Node& node, const std::string& origin, const std::string& path) {
  if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i)
      check_unique_keys(node[i], origin, path + "[" + std::to_string(i) + "]");
    return;
  }
  if (!node.IsMap()) return;
  std::vector<std::pair<std::string, std::string>> seen;  // key, line:column (config maps are small)
  for (const auto& kv : node) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
    const YAML::Mark m = kv.first.Mark();
    const std::string at = std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
    for (const auto& [k, first_at] : seen)
      if (kv.first.IsScalar() && k == key)
        throw ConfigError(origin + ": " + join(path, key.c_str()) + ": duplicate key (at " + first_at + " and " +
                          at + ")");
    seen.emplace_back(key, at);
    check_unique_keys(kv.second, origin, join(path, key.c_str()));
  }
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
