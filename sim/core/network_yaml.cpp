#include "core/network_yaml.h"

#include <sstream>

#include "core/errors.h"
#include "core/yaml_source.h"
#include "core/yaml_util.h"

namespace rcsim {

namespace {

Layer parse_layer(const YAML::Node& n, const std::string& origin, std::size_t index) {
  const std::string path = "layers[" + std::to_string(index) + "]";
  if (!n.IsMap()) throw ConfigError(origin + ": " + path + ": expected a map");
  Layer l;
  l.name = yaml::get_string(n, origin, path, "name", "");
  const std::string lpath = l.name.empty() ? path : "layer '" + l.name + "'";
  const std::string type = yaml::get_string(n, origin, lpath, "type");
  if (type == "conv") {
    yaml::check_keys(n, origin, lpath, {"name", "type", "out_channels", "kernel", "stride", "pad", "relu"});
    l.kind = LayerKind::Conv;
    l.out_channels = yaml::get_int(n, origin, lpath, "out_channels");
    l.kernel = yaml::get_int(n, origin, lpath, "kernel");
    l.stride = yaml::get_int(n, origin, lpath, "stride", 1);
    l.pad = yaml::get_int(n, origin, lpath, "pad", 0);
    l.relu = yaml::get_bool(n, origin, lpath, "relu", true);
  } else if (type == "maxpool") {
    yaml::check_keys(n, origin, lpath, {"name", "type", "kernel", "stride"});
    l.kind = LayerKind::MaxPool;
    l.kernel = yaml::get_int(n, origin, lpath, "kernel");
    l.stride = yaml::get_int(n, origin, lpath, "stride", l.kernel);
  } else if (type == "fc") {
    yaml::check_keys(n, origin, lpath, {"name", "type", "out_features", "relu"});
    l.kind = LayerKind::Fc;
    l.out_channels = yaml::get_int(n, origin, lpath, "out_features");
    l.relu = yaml::get_bool(n, origin, lpath, "relu", false);
  } else {
    throw ConfigError(origin + ": " + lpath + ".type: unknown layer type '" + type +
                      "' (expected conv, maxpool or fc)");
  }
  if (l.name.empty()) throw ConfigError(origin + ": " + path + ".name: missing required field");
  return l;
}

}  // namespace

Network parse_network(const std::string& text, const std::string& origin) {
  const YAML::Node root = yaml::parse(text, origin);
  yaml::check_keys(root, origin, "", {"name", "description", "input", "width_groups", "layers"});
  Network net;
  net.name = yaml::get_string(root, origin, "", "name");
  const YAML::Node in = root["input"];
  if (!in) throw ConfigError(origin + ": input: missing required field");
  yaml::check_keys(in, origin, "input", {"channels", "height", "width"});
  net.input = Shape3{yaml::get_int(in, origin, "input", "channels"),
                     yaml::get_int(in, origin, "input", "height"),
                     yaml::get_int(in, origin, "input", "width")};
  net.width_groups = yaml::get_int(root, origin, "", "width_groups", 4);
  const YAML::Node layers = root["layers"];
  if (!layers || !layers.IsSequence()) throw ConfigError(origin + ": layers: expected a list of layers");
  for (std::size_t i = 0; i < layers.size(); ++i) net.layers.push_back(parse_layer(layers[i], origin, i));
  net.finalize(origin);
  return net;
}

namespace {
std::string yaml_string(const std::string& s) {
  YAML::Emitter e;
  e << YAML::DoubleQuoted << s;
  return e.c_str();
}
const char* yaml_bool(bool b) { return b ? "true" : "false"; }
}  // namespace

std::string to_yaml(const Network& net) {
  std::ostringstream o;
  o << "name: " << yaml_string(net.name) << "\n";
  o << "input: {channels: " << net.input.c << ", height: " << net.input.h << ", width: " << net.input.w << "}\n";
  o << "width_groups: " << net.width_groups << "\n";
  o << "layers:\n";
  for (const Layer& l : net.layers) {
    o << "  - {name: " << yaml_string(l.name) << ", type: " << to_string(l.kind);
    switch (l.kind) {
      case LayerKind::Conv:
        o << ", out_channels: " << l.out_channels << ", kernel: " << l.kernel << ", stride: " << l.stride
          << ", pad: " << l.pad << ", relu: " << yaml_bool(l.relu);
        break;
      case LayerKind::MaxPool:
        o << ", kernel: " << l.kernel << ", stride: " << l.stride;
        break;
      case LayerKind::Fc:
        o << ", out_features: " << l.out_channels << ", relu: " << yaml_bool(l.relu);
        break;
    }
    o << "}\n";
  }
  return o.str();
}

Network load_network(const std::string& name_or_path) {
  if (const auto src = find_yaml_source(name_or_path, "networks")) return parse_network(src->text, src->origin);
  throw InputError("unknown network '" + name_or_path + "' (shipped: " + join_names(builtin_network_names()) +
                   "; or give a .yaml path)");
}

std::vector<std::string> builtin_network_names() { return shipped_yaml_names("networks"); }

}  // namespace rcsim
