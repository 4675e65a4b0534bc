#pragma once
#include <map>
#include <string>
#include <vector>

#include "core/network.h"

namespace rcsim {

/// Parses a network YAML document (DESIGN §5) and finalizes it; `origin` names it in errors.
Network parse_network(const std::string& yaml_text, const std::string& origin);

/// Loads a network by file path, or by the name of a shipped workload (e.g. "mnist_lenet"):
/// an argument that is an existing file or ends in .yaml/.yml is read as a file.
Network load_network(const std::string& name_or_path);

/// The network as YAML that parse_network reads back to the same IR (name, input,
/// width_groups, layers; comments and `description` are not part of the IR and are dropped).
/// The weights file embeds it, so a weights file is self-describing.
std::string to_yaml(const Network& net);
/// The same with `# comment` after the line of each layer named in `comments` (e.g. the ONNX
/// nodes an imported layer came from); newlines in a comment become spaces.
std::string to_yaml(const Network& net, const std::map<std::string, std::string>& comments);

/// Names of the networks shipped in workloads/networks (embedded in the binary).
std::vector<std::string> builtin_network_names();

}  // namespace rcsim
