#include "core/yaml_source.h"

#include <filesystem>

#include "core/embedded_workloads.h"
#include "core/errors.h"
#include "core/input_file.h"

namespace rcsim {

namespace {

// Where an embedded file of `kind` lives in the source tree (for error messages).
std::string embedded_folder(const std::string& kind) {
  if (kind == "energy") return "energy_models/";
  if (kind == "area" || kind == "synthesis" || kind == "dram") return "energy_models/" + kind + "/";
  return "workloads/" + kind + "/";
}

}  // namespace

std::optional<YamlSource> find_yaml_source(const std::string& name_or_path, const std::string& kind) {
  namespace fs = std::filesystem;
  const fs::path p(name_or_path);
  if (fs::exists(p) || p.extension() == ".yaml" || p.extension() == ".yml") {
    return YamlSource{read_input_file(name_or_path, InputKind::Config, kMaxConfigFileBytes), name_or_path};
  }
  if (const std::string* text = embedded::find(kind + "/" + name_or_path + ".yaml"))
    return YamlSource{*text, embedded_folder(kind) + name_or_path + ".yaml"};
  return std::nullopt;
}

std::vector<std::string> shipped_yaml_names(const std::string& kind) {
  std::vector<std::string> out;
  const std::string prefix = kind + "/", suffix = ".yaml";
  for (const auto& entry : embedded::all()) {
    const std::string& path = entry.first;
    if (path.size() > prefix.size() + suffix.size() && path.rfind(prefix, 0) == 0 &&
        path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0)
      out.push_back(path.substr(prefix.size(), path.size() - prefix.size() - suffix.size()));
  }
  return out;  // std::map iteration order: already sorted
}

std::string join_names(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

}  // namespace rcsim
