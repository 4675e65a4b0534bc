#include "host/weights_file.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <sstream>

#include "core/errors.h"
#include "core/network_yaml.h"
#include "core/width.h"
#include "host/safetensors.h"

namespace rcsim {

namespace {

constexpr const char* kFormat = "1";
// Metadata keys written by save_weights; every other key is QuantizedNetwork::metadata.
const std::set<std::string> kReserved = {"rcsim.format", "network", "network_yaml", "width_groups", "bits",
                                         "input_shift", "group_boundaries", "shifts"};

/// Split weighted nodes: [ceil(k·N/G) for k = 0..G] where the groups are contiguous (every chain), else
/// the group (1..G) of each channel.
nlohmann::ordered_json group_boundaries(const Network& net) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    if (!l.split || !l.has_weights()) continue;  // pools and adds follow their inputs' split
    const ChannelGroups& g = net.groups_of(int(i));
    if (g == ChannelGroups::contiguous(l.out.c, net.width_groups, true)) {
      std::vector<int> b;
      for (int k = 0; k <= net.width_groups; ++k) b.push_back(group_end(l.out.c, net.width_groups, k));
      j[l.name] = b;
    } else {
      j[l.name] = {{"group_of", g.group_of()}};
    }
  }
  return j;
}

std::vector<std::int64_t> bias_shape(const Layer& l) { return {l.out.c}; }

template <typename T>
std::vector<T> flatten(const std::vector<std::vector<T>>& rows) {
  std::vector<T> v;
  for (const auto& r : rows) v.insert(v.end(), r.begin(), r.end());
  return v;
}

/// Rows of `count` values each from a flat vector.
template <typename T>
std::vector<std::vector<T>> rows_of(const std::vector<T>& flat, std::size_t count) {
  std::vector<std::vector<T>> r;
  for (std::size_t j = 0; j + count <= flat.size() && count > 0; j += count)
    r.emplace_back(flat.begin() + std::ptrdiff_t(j), flat.begin() + std::ptrdiff_t(j + count));
  return r;
}

/// Number of rows of an optional [rows][out] tensor (0 if absent); rows must be 1 or `G` (`allow_one`).
std::int64_t optional_rows(const SafeTensors& st, const std::string& name, std::int64_t out, int G, bool allow_one,
                           const std::string& path) {
  const Tensor* t = st.find(name);
  if (!t) return 0;
  if (t->shape.size() != 2 || t->shape[1] != out || !(t->shape[0] == G || (allow_one && t->shape[0] == 1)))
    throw InputError(path + ": tensor '" + name + "' must have shape [" + (allow_one ? "1 or " : "") +
                     std::to_string(G) + ", " + std::to_string(out) + "]");
  return t->shape[0];
}

std::string shape_str(const std::vector<std::int64_t>& s) {
  std::string o = "[";
  for (std::size_t i = 0; i < s.size(); ++i) o += (i ? ", " : "") + std::to_string(s[i]);
  return o + "]";
}

int meta_int(const SafeTensors& st, const std::string& key, const std::string& path) {
  auto it = st.metadata.find(key);
  if (it == st.metadata.end()) throw InputError(path + ": metadata '" + key + "' is missing");
  try {
    std::size_t used = 0;
    const int v = std::stoi(it->second, &used);
    if (used == it->second.size()) return v;
  } catch (const std::exception&) {
  }
  throw InputError(path + ": metadata '" + key + "' = '" + it->second + "' is not an integer");
}

const Tensor& tensor(const SafeTensors& st, const std::string& name, DType dtype,
                     const std::vector<std::int64_t>& shape, const std::string& path) {
  const Tensor& t = st.at(name, path);
  if (t.dtype != dtype)
    throw InputError(path + ": tensor '" + name + "' is " + to_string(t.dtype) + ", expected " + to_string(dtype));
  if (t.shape != shape)
    throw InputError(path + ": tensor '" + name + "' has shape " + shape_str(t.shape) + ", the network needs " + shape_str(shape));
  return t;
}

/// First difference between the weights' network and the expected one ("" when equal).
std::string first_difference(const Network& got, const Network& want) {
  auto field = [](const std::string& where, const std::string& f, auto a, auto b) -> std::string {
    if (a == b) return "";
    std::ostringstream o;
    o << where << " " << f << " is " << a << " in the weights, " << b << " in the network";
    return o.str();
  };
  std::string d;
  if (!(d = field("input", "channels", got.input.c, want.input.c)).empty()) return d;
  if (!(d = field("input", "height", got.input.h, want.input.h)).empty()) return d;
  if (!(d = field("input", "width", got.input.w, want.input.w)).empty()) return d;
  if (!(d = field("network", "width_groups", got.width_groups, want.width_groups)).empty()) return d;
  for (std::size_t i = 0; i < std::min(got.layers.size(), want.layers.size()); ++i) {
    const Layer& a = got.layers[i];
    const Layer& b = want.layers[i];
    const std::string w = "layer " + std::to_string(i) + " ('" + b.name + "')";
    if (!(d = field(w, "name", a.name, b.name)).empty()) return d;
    if (!(d = field(w, "type", to_string(a.kind), std::string(to_string(b.kind)))).empty()) return d;
    if (!(d = field(w, "out_channels", a.out_channels, b.out_channels)).empty()) return d;
    if (!(d = field(w, "kernel", a.kernel_h, b.kernel_h)).empty()) return d;
    if (!(d = field(w, "kernel width", a.kernel_w, b.kernel_w)).empty()) return d;
    if (!(d = field(w, "stride", a.stride_h, b.stride_h)).empty()) return d;
    if (!(d = field(w, "stride width", a.stride_w, b.stride_w)).empty()) return d;
    if (!(d = field(w, "pad", a.pad_top, b.pad_top)).empty()) return d;
    if (a.pad_left != b.pad_left || a.pad_bottom != b.pad_bottom || a.pad_right != b.pad_right)
      return w + " pads differ between the weights and the network";
    if (!(d = field(w, "groups", a.groups, b.groups)).empty()) return d;
    if (!(d = field(w, "relu", a.relu, b.relu)).empty()) return d;
    if (!(d = field(w, "activation", to_string(a.activation()), std::string(to_string(b.activation())))).empty()) return d;
    if (a.in_ids != b.in_ids) return w + " inputs differ between the weights and the network";
    if (a.split != b.split) return w + " width split differs between the weights and the network";
  }
  return field("network", "layer count", got.layers.size(), want.layers.size());
}

/// Every tensor and metadata entry of the weights file of qn.
SafeTensors weights_tensors(const QuantizedNetwork& qn) {
  qn.validate();
  const Network& net = qn.net;
  const bool floats = qn.has_float();
  SafeTensors st;
  nlohmann::ordered_json shifts = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    const QuantLayerParams& q = qn.quant_params[i];
    if (l.kind == LayerKind::Add || l.kind == LayerKind::Concat) {
      shifts[l.name] = {{"out_shift", q.out_shift}};
      continue;
    }
    if (!l.has_weights()) continue;
    if (floats) {
      const FloatLayerParams& f = qn.float_params[i];
      st.add(Tensor::from<float>(l.name + ".weight", weight_shape(l), f.weight));
      st.add(Tensor::from<float>(l.name + ".bias", bias_shape(l), f.bias));
      if (!f.bn_scale.empty()) {
        st.add(Tensor::from<float>(l.name + ".bn_scale", {std::int64_t(f.bn_scale.size()), l.out.c}, flatten(f.bn_scale)));
        st.add(Tensor::from<float>(l.name + ".bn_shift", {std::int64_t(f.bn_shift.size()), l.out.c}, flatten(f.bn_shift)));
      }
    }
    if (!q.post.empty()) {
      const std::vector<std::int64_t> ps{std::int64_t(q.post.size()), l.out.c};
      std::vector<std::int32_t> mult, add, shift;
      for (const PostScale& p : q.post) {
        mult.insert(mult.end(), p.mult.begin(), p.mult.end());
        add.insert(add.end(), p.add.begin(), p.add.end());
        shift.insert(shift.end(), p.shift.begin(), p.shift.end());
      }
      st.add(Tensor::from<std::int32_t>(l.name + ".post_mult", ps, mult));
      st.add(Tensor::from<std::int32_t>(l.name + ".post_add", ps, add));
      st.add(Tensor::from<std::int32_t>(l.name + ".post_shift", ps, shift));
    }
    if (qn.bits == 8)
      st.add(Tensor::from<std::int8_t>(l.name + ".weight_q", weight_shape(l), q.weight.values()));
    else
      st.add(Tensor::from<std::int16_t>(l.name + ".weight_q", weight_shape(l), q.weight.values()));
    st.add(Tensor::from<std::int32_t>(l.name + ".bias_q", bias_shape(l), q.bias));
    shifts[l.name] = {{"in_shift", q.in_shift}, {"w_shift", q.w_shift}, {"out_shift", q.out_shift}};
  }
  st.metadata = qn.metadata;
  for (const auto& k : kReserved) st.metadata.erase(k);
  st.metadata["rcsim.format"] = kFormat;
  st.metadata["network"] = net.name;
  st.metadata["network_yaml"] = to_yaml(net);
  st.metadata["width_groups"] = std::to_string(net.width_groups);
  st.metadata["bits"] = std::to_string(qn.bits);
  st.metadata["input_shift"] = std::to_string(qn.input_shift);
  st.metadata["group_boundaries"] = group_boundaries(net).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  st.metadata["shifts"] = shifts.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return st;
}

}  // namespace

void save_weights(const QuantizedNetwork& qn, const std::string& path) { write_safetensors(weights_tensors(qn), path); }

std::vector<std::uint8_t> encode_weights(const QuantizedNetwork& qn) { return encode_safetensors(weights_tensors(qn)); }

QuantizedNetwork load_weights(const std::string& path, const Network* expected) {
  const SafeTensors st = read_safetensors(path);
  const auto fmt = st.metadata.find("rcsim.format");
  if (fmt == st.metadata.end())
    throw InputError(path + ": not an rcsim weights file (safetensors without 'rcsim.format' metadata)");
  if (fmt->second != kFormat)
    throw InputError(path + ": weights format version '" + fmt->second + "' is not supported (expected " + kFormat + ")");
  const auto yaml = st.metadata.find("network_yaml");
  if (yaml == st.metadata.end()) throw InputError(path + ": metadata 'network_yaml' is missing");

  QuantizedNetwork qn;
  try {
    qn.net = parse_network(yaml->second, path + ": network_yaml");
  } catch (const ConfigError& e) {
    throw InputError(e.what());
  }
  const Network& net = qn.net;
  const auto name = st.metadata.find("network");
  if (name == st.metadata.end() || name->second != net.name)
    throw InputError(path + ": metadata 'network' does not match the name in network_yaml ('" + net.name + "')");
  if (expected && expected->name != net.name)
    throw InputError(path + ": weights are for network '" + net.name + "', not '" + expected->name + "'");
  if (expected) {
    const std::string d = first_difference(net, *expected);
    if (!d.empty()) throw InputError(path + ": weights do not match network '" + expected->name + "': " + d);
  }
  if (meta_int(st, "width_groups", path) != net.width_groups)
    throw InputError(path + ": metadata 'width_groups' differs from network_yaml");
  qn.bits = meta_int(st, "bits", path);
  if (qn.bits != 8 && qn.bits != 16) throw InputError(path + ": metadata 'bits' must be 8 or 16 (got " + std::to_string(qn.bits) + ")");
  qn.input_shift = meta_int(st, "input_shift", path);

  nlohmann::json shifts, groups;
  try {
    shifts = nlohmann::json::parse(st.metadata.count("shifts") ? st.metadata.at("shifts") : "");
    groups = nlohmann::json::parse(st.metadata.count("group_boundaries") ? st.metadata.at("group_boundaries") : "");
  } catch (const nlohmann::json::exception&) {
    throw InputError(path + ": metadata 'shifts' or 'group_boundaries' is missing or not valid JSON");
  }
  if (groups != nlohmann::json::parse(group_boundaries(net).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)))
    throw InputError(path + ": metadata 'group_boundaries' does not match ceil(k*N/G) of the network");

  // Float tensors are all present or all absent; the first weighted layer decides, and a
  // missing one later on is a "missing tensor" error.
  bool floats = false;
  for (const Layer& l : net.layers)
    if (l.has_weights()) {
      floats = st.find(l.name + ".weight") != nullptr;
      break;
    }
  qn.quant_params.resize(net.layers.size());
  if (floats) qn.float_params.resize(net.layers.size());
  std::set<std::string> used;
  auto shifts_of = [&](const Layer& l) {
    return shifts.is_object() && shifts.contains(l.name) ? shifts[l.name] : nlohmann::json();
  };
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    QuantLayerParams& q = qn.quant_params[i];
    if (l.kind == LayerKind::Add || l.kind == LayerKind::Concat) {
      const auto& s = shifts_of(l);
      if (!s.is_object() || !s.contains("out_shift") || !s["out_shift"].is_number_integer())
        throw InputError(path + ": metadata 'shifts' has no integer out_shift for layer '" + l.name + "'");
      q.out_shift = s["out_shift"].get<int>();
      continue;
    }
    if (!l.has_weights()) continue;
    const std::string wq = l.name + ".weight_q", bq = l.name + ".bias_q";
    q.weight = tensor(st, wq, qn.bits == 8 ? DType::I8 : DType::I16, weight_shape(l), path).values<std::int16_t>();
    q.bias = tensor(st, bq, DType::I32, bias_shape(l), path).values<std::int32_t>();
    used.insert({wq, bq});
    if (floats) {
      const std::string wf = l.name + ".weight", bf = l.name + ".bias";
      qn.float_params[i].weight = tensor(st, wf, DType::F32, weight_shape(l), path).values<float>();
      qn.float_params[i].bias = tensor(st, bf, DType::F32, bias_shape(l), path).values<float>();
      used.insert({wf, bf});
      const std::string bs = l.name + ".bn_scale", bt = l.name + ".bn_shift";
      if (const std::int64_t rows = optional_rows(st, bs, l.out.c, net.width_groups, false, path)) {
        qn.float_params[i].bn_scale = rows_of(tensor(st, bs, DType::F32, {rows, l.out.c}, path).values<float>(), std::size_t(l.out.c));
        qn.float_params[i].bn_shift = rows_of(tensor(st, bt, DType::F32, {rows, l.out.c}, path).values<float>(), std::size_t(l.out.c));
        used.insert({bs, bt});
      }
    }
    const std::string pm = l.name + ".post_mult", pa = l.name + ".post_add", pz = l.name + ".post_shift";
    if (const std::int64_t rows = optional_rows(st, pm, l.out.c, net.width_groups, true, path)) {
      const auto mult = tensor(st, pm, DType::I32, {rows, l.out.c}, path).values<std::int32_t>();
      const auto add = tensor(st, pa, DType::I32, {rows, l.out.c}, path).values<std::int32_t>();
      const auto shift = tensor(st, pz, DType::I32, {rows, l.out.c}, path).values<std::int32_t>();
      q.post.resize(std::size_t(rows));
      for (std::size_t r = 0; r < q.post.size(); ++r) {
        const auto at = [&](const std::vector<std::int32_t>& v) {
          return std::vector<std::int32_t>(v.begin() + std::ptrdiff_t(r * std::size_t(l.out.c)),
                                           v.begin() + std::ptrdiff_t((r + 1) * std::size_t(l.out.c)));
        };
        q.post[r] = PostScale{at(mult), at(add), at(shift)};
      }
      used.insert({pm, pa, pz});
    }
    const auto& s = shifts_of(l);
    for (const char* k : {"in_shift", "w_shift", "out_shift"})
      if (!s.is_object() || !s.contains(k) || !s[k].is_number_integer())
        throw InputError(path + ": metadata 'shifts' has no integer " + k + " for layer '" + l.name + "'");
    q.in_shift = s["in_shift"].get<int>();
    q.w_shift = s["w_shift"].get<int>();
    q.out_shift = s["out_shift"].get<int>();
  }
  for (const Tensor& t : st.tensors)
    if (!used.count(t.name)) throw InputError(path + ": unexpected tensor '" + t.name + "' (not a weight of network '" + net.name + "')");
  for (const auto& [k, v] : st.metadata)
    if (!kReserved.count(k)) qn.metadata[k] = v;
  try {
    qn.validate();
  } catch (const InputError& e) {
    throw InputError(path + ": " + e.what());
  }
  return qn;
}

}  // namespace rcsim
