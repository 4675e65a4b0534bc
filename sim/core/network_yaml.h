#pragma once
#include <string>
#include <vector>

#include "core/network.h"

namespace rcsim {

/// Parses a network YAML document (DESIGN §5) and finalizes it; `origin` names it in errors.
Network parse_network(const std::string& yaml_text, const std::string& origin);

/// Loads a network by file path, or by the name of a shipped workload (e.g. "mnist_lenet"):
/// an argument that is an existing file or ends in .yaml/.yml is read as a file.
Network load_network(const std::string& name_or_path);

/// Names of the networks shipped in workloads/networks (embedded in the binary).
std::vector<std::string> builtin_network_names();

}  // namespace rcsim
