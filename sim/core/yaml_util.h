#pragma once
// Strict YAML reading helpers shared by every config loader: unknown keys are errors (with a
// did-you-mean hint), every error names the file and the full key path.
#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace rcsim::yaml {

/// Parses `text`; a syntax error becomes ConfigError("<origin>:<line>:<col>: …").
YAML::Node parse(const std::string& text, const std::string& origin);
/// Reads and parses a file; a missing file is a ConfigError naming it.
YAML::Node load_file(const std::string& path);

/// Throws ConfigError if `node` (a map at `path`) has a key not in `allowed`.
void check_keys(const YAML::Node& node, const std::string& origin, const std::string& path,
                std::initializer_list<const char*> allowed);
/// Same, for a key list built at run time (e.g. from a schema table).
void check_keys(const YAML::Node& node, const std::string& origin, const std::string& path,
                const std::vector<std::string>& allowed);

/// Throws ConfigError "<origin>: <path>.<key>: duplicate key (at L:C and L:C)" if a map in `node`
/// (at any depth) has a key twice: yaml-cpp keeps both and `node[key]` silently reads the first.
void check_unique_keys(const YAML::Node& node, const std::string& origin, const std::string& path = "");

/// Typed getters: a missing required key or a value of the wrong type is a ConfigError
/// "<origin>: <path>.<key>: …".
int get_int(const YAML::Node& node, const std::string& origin, const std::string& path,
            const char* key);
int get_int(const YAML::Node& node, const std::string& origin, const std::string& path,
            const char* key, int fallback);
double get_double(const YAML::Node& node, const std::string& origin, const std::string& path,
                  const char* key);
double get_double(const YAML::Node& node, const std::string& origin, const std::string& path,
                  const char* key, double fallback);
bool get_bool(const YAML::Node& node, const std::string& origin, const std::string& path,
              const char* key, bool fallback);
std::string get_string(const YAML::Node& node, const std::string& origin,
                       const std::string& path, const char* key);
std::string get_string(const YAML::Node& node, const std::string& origin,
                       const std::string& path, const char* key, const std::string& fallback);

/// Closest entry of `candidates` to `word` by edit distance ("" if none is close).
std::string did_you_mean(const std::string& word, std::initializer_list<const char*> candidates);
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace rcsim::yaml
