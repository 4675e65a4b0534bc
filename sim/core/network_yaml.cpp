#include "core/network_yaml.h"

#include <sstream>

#include "core/errors.h"
#include "core/yaml_source.h"
#include "core/yaml_util.h"

namespace rcsim {

namespace {

/// Integer list element i of sequence `v` at `full`.
int list_int(const YAML::Node& v, std::size_t i, const std::string& origin, const std::string& full) {
  const YAML::Node e = v[i];
  if (!e.IsScalar()) throw ConfigError(origin + ": " + full + ": expected integers");
  try {
    return e.as<int>();
  } catch (const YAML::Exception&) {
    throw ConfigError(origin + ": " + full + ": expected integers (got '" + e.Scalar() + "')");
  }
}

/// kernel / stride: an integer or [height, width].
void get_hw(const YAML::Node& n, const std::string& origin, const std::string& path, const char* key, int& h, int& w) {
  const YAML::Node v = n[key];
  const std::string full = path + "." + key;
  if (v && v.IsSequence()) {  // a missing key is an invalid node: IsSequence() would throw
    if (v.size() != 2) throw ConfigError(origin + ": " + full + ": expected an integer or [height, width]");
    h = list_int(v, 0, origin, full), w = list_int(v, 1, origin, full);
  } else {
    h = w = yaml::get_int(n, origin, path, key);
  }
}

/// pad: an integer, [vertical, horizontal] or [top, left, bottom, right] (ONNX's order).
void get_pads(const YAML::Node& n, const std::string& origin, const std::string& path, Layer& l) {
  const YAML::Node v = n["pad"];
  if (!v) return;
  const std::string full = path + ".pad";
  if (v.IsSequence()) {
    if (v.size() == 2) {
      l.pad_top = l.pad_bottom = list_int(v, 0, origin, full);
      l.pad_left = l.pad_right = list_int(v, 1, origin, full);
    } else if (v.size() == 4) {
      l.pad_top = list_int(v, 0, origin, full), l.pad_left = list_int(v, 1, origin, full);
      l.pad_bottom = list_int(v, 2, origin, full), l.pad_right = list_int(v, 3, origin, full);
    } else {
      throw ConfigError(origin + ": " + full + ": expected an integer, [vertical, horizontal] or [top, left, bottom, right]");
    }
  } else {
    l.pad_top = l.pad_left = l.pad_bottom = l.pad_right = yaml::get_int(n, origin, path, "pad");
  }
}

/// `relu: bool` (the chain-era key) or `activation: none|relu|relu6`, not both.
void get_activation(const YAML::Node& n, const std::string& origin, const std::string& path, bool relu_default,
                    Layer& l) {
  if (n["relu"] && n["activation"])
    throw ConfigError(origin + ": " + path + ".activation: give either 'relu' or 'activation', not both");
  if (n["activation"]) {
    const std::string a = yaml::get_string(n, origin, path, "activation");
    if (a == "none") l.set_activation(Activation::None);
    else if (a == "relu") l.set_activation(Activation::Relu);
    else if (a == "relu6") l.set_activation(Activation::Relu6);
    else throw ConfigError(origin + ": " + path + ".activation: unknown activation '" + a + "' (valid: none, relu, relu6)");
  } else {
    l.set_activation(yaml::get_bool(n, origin, path, "relu", relu_default) ? Activation::Relu : Activation::None);
  }
}

void get_inputs(const YAML::Node& n, const std::string& origin, const std::string& path, Layer& l) {
  const YAML::Node v = n["inputs"];
  if (!v) return;
  const std::string full = path + ".inputs";
  if (v.IsScalar()) {
    l.inputs.push_back(yaml::get_string(n, origin, path, "inputs"));
    return;
  }
  if (!v.IsSequence() || v.size() == 0) throw ConfigError(origin + ": " + full + ": expected a layer name or a list of them");
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].IsScalar()) throw ConfigError(origin + ": " + full + ": expected layer names");
    l.inputs.push_back(v[i].Scalar());
  }
}

void get_batchnorm(const YAML::Node& n, const std::string& origin, const std::string& path, Layer& l) {
  l.batchnorm = yaml::get_bool(n, origin, path, "batchnorm", false);
  l.bn_eps = yaml::get_double(n, origin, path, "bn_eps", l.bn_eps);
  if (!(l.bn_eps > 0) || l.bn_eps > 1) throw ConfigError(origin + ": " + path + ".bn_eps: must be in (0, 1]");
}

Layer parse_layer(const YAML::Node& n, const std::string& origin, std::size_t index) {
  const std::string path = "layers[" + std::to_string(index) + "]";
  if (!n.IsMap()) throw ConfigError(origin + ": " + path + ": expected a map");
  Layer l;
  l.name = yaml::get_string(n, origin, path, "name", "");
  const std::string lpath = l.name.empty() ? path : "layer '" + l.name + "'";
  const std::string type = yaml::get_string(n, origin, lpath, "type");
  if (type == "conv") {
    yaml::check_keys(n, origin, lpath, {"name", "type", "inputs", "out_channels", "kernel", "stride", "pad", "groups",
                                        "relu", "activation", "width", "batchnorm", "bn_eps"});
    l.kind = LayerKind::Conv;
    l.out_channels = yaml::get_int(n, origin, lpath, "out_channels");
    get_hw(n, origin, lpath, "kernel", l.kernel_h, l.kernel_w);
    if (n["stride"]) get_hw(n, origin, lpath, "stride", l.stride_h, l.stride_w);
    get_pads(n, origin, lpath, l);
    l.groups = yaml::get_int(n, origin, lpath, "groups", 1);
    get_activation(n, origin, lpath, true, l);
    l.width_configurable = yaml::get_bool(n, origin, lpath, "width", true);
    get_batchnorm(n, origin, lpath, l);
  } else if (type == "maxpool" || type == "avgpool") {
    const bool avg = type == "avgpool";
    if (avg) yaml::check_keys(n, origin, lpath, {"name", "type", "inputs", "kernel", "stride", "pad", "global", "count_include_pad"});
    else yaml::check_keys(n, origin, lpath, {"name", "type", "inputs", "kernel", "stride", "pad"});
    l.kind = avg ? LayerKind::AvgPool : LayerKind::MaxPool;
    l.global = avg && yaml::get_bool(n, origin, lpath, "global", false);
    if (l.global) {
      for (const char* k : {"kernel", "stride", "pad"})
        if (n[k]) throw ConfigError(origin + ": " + lpath + "." + k + ": a global avgpool takes the whole plane (no " + k + ")");
    } else {
      get_hw(n, origin, lpath, "kernel", l.kernel_h, l.kernel_w);
      l.stride_h = l.kernel_h, l.stride_w = l.kernel_w;
      if (n["stride"]) get_hw(n, origin, lpath, "stride", l.stride_h, l.stride_w);
      get_pads(n, origin, lpath, l);
    }
    if (avg) l.count_include_pad = yaml::get_bool(n, origin, lpath, "count_include_pad", false);
  } else if (type == "fc") {
    yaml::check_keys(n, origin, lpath, {"name", "type", "inputs", "out_features", "relu", "activation", "width",
                                        "batchnorm", "bn_eps"});
    l.kind = LayerKind::Fc;
    l.out_channels = yaml::get_int(n, origin, lpath, "out_features");
    get_activation(n, origin, lpath, false, l);
    l.width_configurable = yaml::get_bool(n, origin, lpath, "width", true);
    get_batchnorm(n, origin, lpath, l);
  } else if (type == "add") {
    yaml::check_keys(n, origin, lpath, {"name", "type", "inputs", "relu", "activation"});
    l.kind = LayerKind::Add;
    get_activation(n, origin, lpath, false, l);
  } else if (type == "concat") {
    yaml::check_keys(n, origin, lpath, {"name", "type", "inputs"});
    l.kind = LayerKind::Concat;
  } else if (type == "flatten") {
    yaml::check_keys(n, origin, lpath, {"name", "type", "inputs"});
    l.kind = LayerKind::Flatten;
  } else if (type == "relu" || type == "relu6") {
    yaml::check_keys(n, origin, lpath, {"name", "type", "inputs"});
    l.kind = LayerKind::Act;
    l.set_activation(type == "relu" ? Activation::Relu : Activation::Relu6);
  } else if (type == "batchnorm") {
    yaml::check_keys(n, origin, lpath, {"name", "type", "inputs", "eps"});
    l.kind = LayerKind::BatchNorm;
    l.bn_eps = yaml::get_double(n, origin, lpath, "eps", l.bn_eps);
    if (!(l.bn_eps > 0) || l.bn_eps > 1) throw ConfigError(origin + ": " + lpath + ".eps: must be in (0, 1]");
  } else {
    throw ConfigError(origin + ": " + lpath + ".type: unknown layer type '" + type +
                      "' (expected conv, maxpool, avgpool, fc, add, concat, flatten, relu, relu6 or batchnorm)");
  }
  get_inputs(n, origin, lpath, l);
  if (l.name.empty()) throw ConfigError(origin + ": " + path + ".name: missing required field");
  return l;
}

}  // namespace

Network parse_network(const std::string& text, const std::string& origin) {
  const YAML::Node root = yaml::parse(text, origin);
  if (!root.IsMap()) throw ConfigError(origin + ": expected a map with name, input, width_groups and layers");
  yaml::check_keys(root, origin, "", {"name", "description", "input", "width_groups", "layers"});
  Network net;
  net.name = yaml::get_string(root, origin, "", "name");
  const YAML::Node in = root["input"];
  if (!in) throw ConfigError(origin + ": input: missing required field");
  if (!in.IsMap()) throw ConfigError(origin + ": input: expected a map {channels, height, width}");
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

std::string hw(int h, int w) { return h == w ? std::to_string(h) : "[" + std::to_string(h) + ", " + std::to_string(w) + "]"; }

std::string pads(const Layer& l) {
  if (l.pad_top == l.pad_bottom && l.pad_left == l.pad_right) return hw(l.pad_top, l.pad_left);
  return "[" + std::to_string(l.pad_top) + ", " + std::to_string(l.pad_left) + ", " + std::to_string(l.pad_bottom) +
         ", " + std::to_string(l.pad_right) + "]";
}

/// `relu: b` where the chain-era key says it all, else `activation: a`.
std::string activation(const Layer& l) {
  return l.relu6 ? std::string(", activation: relu6") : std::string(", relu: ") + yaml_bool(l.relu);
}
}  // namespace

std::string to_yaml(const Network& net) { return to_yaml(net, {}); }

std::string to_yaml(const Network& net, const std::map<std::string, std::string>& comments) {
  std::ostringstream o;
  o << "name: " << yaml_string(net.name) << "\n";
  o << "input: {channels: " << net.input.c << ", height: " << net.input.h << ", width: " << net.input.w << "}\n";
  o << "width_groups: " << net.width_groups << "\n";
  o << "layers:\n";
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    o << "  - {name: " << yaml_string(l.name) << ", type: ";
    switch (l.kind) {
      case LayerKind::Act: o << (l.relu6 ? "relu6" : "relu"); break;
      default: o << to_string(l.kind);
    }
    // Inputs only where they are not "the previous layer" (so chains read as before).
    const bool previous = l.in_ids.size() == 1 && l.in_ids[0] == int(i) - 1;
    if (!previous) {
      o << ", inputs: [";
      for (std::size_t j = 0; j < l.in_ids.size(); ++j)
        o << (j ? ", " : "") << (l.in_ids[j] == kNetworkInput ? std::string("input") : yaml_string(net.layers[std::size_t(l.in_ids[j])].name));
      o << "]";
    }
    switch (l.kind) {
      case LayerKind::Conv:
        o << ", out_channels: " << l.out_channels << ", kernel: " << hw(l.kernel_h, l.kernel_w)
          << ", stride: " << hw(l.stride_h, l.stride_w) << ", pad: " << pads(l);
        if (l.groups != 1) o << ", groups: " << l.groups;
        o << activation(l);
        break;
      case LayerKind::MaxPool:
        o << ", kernel: " << hw(l.kernel_h, l.kernel_w) << ", stride: " << hw(l.stride_h, l.stride_w);
        if (l.pad_top || l.pad_left || l.pad_bottom || l.pad_right) o << ", pad: " << pads(l);
        break;
      case LayerKind::AvgPool:
        if (l.global) {
          o << ", global: true";
        } else {
          o << ", kernel: " << hw(l.kernel_h, l.kernel_w) << ", stride: " << hw(l.stride_h, l.stride_w);
          if (l.pad_top || l.pad_left || l.pad_bottom || l.pad_right) o << ", pad: " << pads(l);
        }
        if (l.count_include_pad) o << ", count_include_pad: true";
        break;
      case LayerKind::Fc:
        o << ", out_features: " << l.out_channels << activation(l);
        break;
      case LayerKind::Add:
        if (l.relu) o << activation(l);
        break;
      case LayerKind::Concat:
      case LayerKind::Flatten:
      case LayerKind::Act:
      case LayerKind::BatchNorm:
        break;
    }
    if (l.has_weights() && !l.width_configurable) o << ", width: false";
    if (l.batchnorm) o << ", batchnorm: true, bn_eps: " << l.bn_eps;
    o << "}";
    if (const auto c = comments.find(l.name); c != comments.end()) {
      std::string text = c->second;
      for (char& ch : text)
        if (ch == '\n' || ch == '\r') ch = ' ';
      o << "  # " << text;
    }
    o << "\n";
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
