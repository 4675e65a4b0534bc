#pragma once
// One rule for every "shipped name or path" argument (--net, --tech, --arch, --spec): an existing
// file, or anything ending in .yaml/.yml, is read from disk; any other word names a YAML file
// embedded from the source tree (core/embedded_workloads.h).
#include <optional>
#include <string>
#include <vector>

namespace rcsim {

struct YamlSource {
  std::string text;
  std::string origin;  ///< what errors call it: the path, or e.g. "workloads/networks/x.yaml"
};

/// `kind` is the embedded folder: "networks", "arch", "sweeps", "energy" (energy_models/*.yaml),
/// "area", "synthesis" or "dram" (energy_models/<kind>/). Returns nullopt when
/// `name_or_path` is neither a file nor a shipped name; a file that cannot be read is a
/// ConfigError naming it.
std::optional<YamlSource> find_yaml_source(const std::string& name_or_path, const std::string& kind);

/// The shipped names of `kind` (file names without .yaml), sorted.
std::vector<std::string> shipped_yaml_names(const std::string& kind);

/// "a, b, c": for "unknown X (shipped: …)" messages.
std::string join_names(const std::vector<std::string>& names);

}  // namespace rcsim
