#include "onnx/onnx_import.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <unordered_map>

#include "core/errors.h"
#include "onnx/onnx_layer_names.h"
#include "onnx/onnx_normalize.h"
#include "onnx/onnx_reader.h"

namespace rcsim {

namespace {

using Dims = std::vector<std::int64_t>;

/// The network's name from the file's stem, in the characters layer names use.
std::string network_name(const std::string& source) {
  std::string r;
  for (char c : std::filesystem::path(source).stem().string())
    r += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ? c : '_';
  return r.empty() ? std::string("onnx_model") : r;
}

class Importer {
 public:
  Importer(const OnnxModel& m, const OnnxImportOptions& o) : m_(m), o_(o), src_(onnx_printable(m.source)) {}

  ImportedNetwork run() {
    check_io();
    count_consumers();
    for (const OnnxNode& n : m_.nodes) visit(n);
    check_classifier();
    finish();
    return std::move(r_);
  }

 private:
  const OnnxModel& m_;
  const OnnxImportOptions& o_;
  const std::string src_;
  ImportedNetwork r_;
  UniqueNames names_;
  std::unordered_map<std::string, std::string> layer_of_;  // tensor → the layer producing it ("input")
  std::unordered_map<std::string, std::vector<const OnnxNode*>> readers_;
  std::unordered_map<std::string, const OnnxNode*> producer_;
  std::unordered_map<std::string, FloatLayerParams> params_;  // layer name → float weights
  std::unordered_map<std::string, std::string> absorbed_;     // tensor → the elided Flatten's name
  std::vector<Layer> layers_;

  [[noreturn]] void fail(const OnnxNode& n, const std::string& what) const {
    throw InputError(src_ + ": " + n.label() + ": " + what);
  }

  void check_io() {
    if (m_.inputs.size() != 1)
      throw InputError(src_ + ": the model has " + std::to_string(m_.inputs.size()) +
                       " graph inputs; rcsim runs models with exactly one image input");
    const Dims& d = m_.inputs[0].dims;
    if (d.size() != 4 || d[0] != 1)
      throw InputError(src_ + ": ONNX input '" + onnx_printable(m_.inputs[0].name) + "' has shape " + dims_text(d) +
                       "; rcsim needs a 1 x C x H x W image input");
    if (m_.outputs.size() != 1)
      throw InputError(src_ + ": the model has " + std::to_string(m_.outputs.size()) +
                       " graph outputs; an rcsim network has one, the logits");
    layer_of_[m_.inputs[0].name] = "input";
    if (m_.nodes.empty()) throw InputError(src_ + ": the model has no nodes (normalize it first)");
  }

  void count_consumers() {
    for (const OnnxNode& n : m_.nodes) {
      for (const auto& in : n.inputs) readers_[in].push_back(&n);
      if (!n.outputs.empty()) producer_[n.outputs[0]] = &n;
    }
  }

  const OnnxTensor& initializer(const OnnxNode& n, std::size_t i) const {
    if (i >= n.inputs.size()) fail(n, "input " + std::to_string(i) + " is missing (was the model normalized?)");
    const auto it = m_.initializers.find(n.inputs[i]);
    if (it == m_.initializers.end())
      fail(n, "input '" + onnx_printable(n.inputs[i]) + "' is not an initializer (was the model normalized?)");
    return it->second;
  }

  std::string layer_input(const OnnxNode& n, std::size_t i) const {
    const auto it = i < n.inputs.size() ? layer_of_.find(n.inputs[i]) : layer_of_.end();
    if (it == layer_of_.end()) fail(n, "input " + std::to_string(i) + " is not computed by an earlier node");
    return it->second;
  }

  Dims shape_of(const OnnxNode& n, const std::string& tensor) const {
    const auto it = m_.shapes.find(tensor);
    if (it == m_.shapes.end()) fail(n, "no shape for '" + onnx_printable(tensor) + "' (was the model normalized?)");
    return it->second;
  }

  Dims ints(const OnnxNode& n, const std::string& attr, std::size_t count) const {
    const Dims v = n.get_ints(attr, {});
    if (v.size() != count)
      fail(n,
           "attribute '" + attr + "' has " + std::to_string(v.size()) + " values, expected " + std::to_string(count));
    for (auto x : v)
      if (x < 0 || x > (1 << 20)) fail(n, "attribute '" + attr + "' has the value " + std::to_string(x));
    return v;
  }

  void set_window(const OnnxNode& n, Layer& l) const {
    const Dims k = ints(n, "kernel_shape", 2), s = ints(n, "strides", 2), p = ints(n, "pads", 4);
    l.kernel_h = int(k[0]), l.kernel_w = int(k[1]);
    l.stride_h = int(s[0]), l.stride_w = int(s[1]);
    l.pad_top = int(p[0]), l.pad_left = int(p[1]), l.pad_bottom = int(p[2]), l.pad_right = int(p[3]);
  }

  /// A new layer for node n reading its activation inputs `count` (0 = all).
  Layer& add_layer(const OnnxNode& n, LayerKind kind, std::size_t count = 1) {
    Layer l;
    l.kind = kind;
    l.name = names_.take(readable_layer_name(n.name, n.op_type));
    const std::size_t k = count == 0 ? n.inputs.size() : count;
    for (std::size_t i = 0; i < k; ++i) l.inputs.push_back(layer_input(n, i));
    if (n.outputs.empty() || n.outputs[0].empty()) fail(n, "has no output");
    layer_of_[n.outputs[0]] = l.name;
    const auto flat = absorbed_.find(n.inputs.empty() ? std::string() : n.inputs[0]);
    r_.origin[l.name] = (flat == absorbed_.end() ? "" : flat->second + " + ") + "'" + onnx_printable(n.name) + "'";
    layers_.push_back(std::move(l));
    return layers_.back();
  }

  void visit(const OnnxNode& n) {
    const std::string& op = n.op_type;
    if (op == "Conv") return conv(n);
    if (op == "BatchNormalization") return batch_norm(n);
    if (op == "Gemm") return gemm(n);
    if (op == "Relu" || op == "Clip") {
      Layer& l = add_layer(n, LayerKind::Act);
      l.set_activation(op == "Relu" ? Activation::Relu : Activation::Relu6);
      return;
    }
    if (op == "Add") return void(add_layer(n, LayerKind::Add, 2));
    if (op == "Concat") return void(add_layer(n, LayerKind::Concat, 0));
    if (op == "MaxPool" || op == "AveragePool") {
      Layer& l = add_layer(n, op == "MaxPool" ? LayerKind::MaxPool : LayerKind::AvgPool);
      set_window(n, l);
      l.count_include_pad = op == "AveragePool" && n.get_int("count_include_pad", 0) != 0;
      return;
    }
    if (op == "GlobalAveragePool") {
      add_layer(n, LayerKind::AvgPool).global = true;
      return;
    }
    if (op == "Flatten") return flatten(n);
    fail(n, "is not one of the operators normalize() leaves (was the model normalized?)");
  }

  void conv(const OnnxNode& n) {
    const OnnxTensor& w = initializer(n, 1);
    const OnnxTensor& b = initializer(n, 2);
    if (w.dims.size() != 4 || b.size() != std::size_t(w.dims[0]))
      fail(n, "weight " + dims_text(w.dims) + " and bias " + dims_text(b.dims) + " do not form a 2-D convolution");
    Layer& l = add_layer(n, LayerKind::Conv);
    l.out_channels = int(w.dims[0]);
    l.groups = int(n.get_int("group", 1));
    set_window(n, l);
    if (l.kernel_h != w.dims[2] || l.kernel_w != w.dims[3])
      fail(n, "kernel_shape disagrees with the weight " + dims_text(w.dims));
    params_[l.name] = FloatLayerParams{w.values, b.values, {}, {}};
  }

  /// A batch norm no Conv absorbed: y = x·k + (shift − mean·k), k = scale/√(var+ε), per channel —
  /// a depthwise 1×1 convolution (groups = channels), which the IR, the quantizer (per-channel
  /// scales) and the accelerator already run.
  void batch_norm(const OnnxNode& n) {
    const Dims xd = shape_of(n, n.inputs.at(0));
    if (xd.size() != 4) fail(n, "input of shape " + dims_text(xd) + "; expected N x C x H x W");
    const std::size_t C = std::size_t(xd[1]);
    const OnnxTensor &scale = initializer(n, 1), &shift = initializer(n, 2), &mean = initializer(n, 3),
                     &var = initializer(n, 4);
    for (const OnnxTensor* t : {&scale, &shift, &mean, &var})
      if (t->size() != C)
        fail(n, "parameters of shape " + dims_text(t->dims) + " for " + std::to_string(C) + " channels");
    const double eps = n.get_float("epsilon", 1e-5f);
    FloatLayerParams p;
    for (std::size_t c = 0; c < C; ++c) {
      const double k = double(scale.values[c]) / std::sqrt(double(var.values[c]) + eps);
      if (!std::isfinite(k)) fail(n, "variance + epsilon is zero");
      p.weight.push_back(float(k));
      p.bias.push_back(float(double(shift.values[c]) - double(mean.values[c]) * k));
    }
    Layer& l = add_layer(n, LayerKind::Conv);
    l.out_channels = int(C);
    l.groups = int(C);
    params_[l.name] = std::move(p);
  }

  void gemm(const OnnxNode& n) {
    const OnnxTensor& w = initializer(n, 1);
    const OnnxTensor& b = initializer(n, 2);
    if (n.get_int("transB", 1) != 1 || n.get_int("transA", 0) != 0 || n.get_float("alpha", 1) != 1 ||
        n.get_float("beta", 1) != 1)
      fail(n, "is not in canonical form (alpha = beta = 1, transB = 1; was the model normalized?)");
    if (w.dims.size() != 2 || b.size() != std::size_t(w.dims[0]))
      fail(n,
           "weight " + dims_text(w.dims) + " and bias " + dims_text(b.dims) + " do not form a fully connected layer");
    Layer& l = add_layer(n, LayerKind::Fc);
    l.out_channels = int(w.dims[0]);
    params_[l.name] = FloatLayerParams{w.values, b.values, {}, {}};
  }

  /// An fc reads its input CHW-flattened, exactly as ONNX's Flatten(axis 1) of N x C x H x W:
  /// a Flatten that only Gemms read is no layer at all.
  void flatten(const OnnxNode& n) {
    bool only_gemms = true;
    for (const OnnxNode* r : readers_[n.outputs.at(0)]) only_gemms = only_gemms && r->op_type == "Gemm";
    const bool is_output = n.outputs[0] == m_.outputs[0].name;
    if (only_gemms && !is_output) {
      layer_of_[n.outputs[0]] = layer_input(n, 0);
      absorbed_[n.outputs[0]] = "'" + onnx_printable(n.name) + "'";
      return;
    }
    add_layer(n, LayerKind::Flatten);
  }

  void check_classifier() const {
    const std::string& out = m_.outputs[0].name;
    const auto it = producer_.find(out);
    if (it == producer_.end() || it->second->op_type != "Gemm") {
      const std::string what = it == producer_.end() ? std::string("the image itself") : it->second->label();
      throw InputError(src_ + ": ONNX output '" + onnx_printable(out) + "' is computed by " + what +
                       "; rcsim needs the model to end in its classifier, a Gemm or MatMul (the logits, no "
                       "activation or Softmax after it)");
    }
  }

  void finish() {
    Network& net = r_.net;
    net.name = o_.name.empty() ? network_name(m_.source) : o_.name;
    const Dims& d = m_.inputs[0].dims;
    net.input = Shape3{int(d[1]), int(d[2]), int(d[3])};
    net.width_groups = o_.width_groups;
    if (o_.full_width_stem)
      for (Layer& l : layers_)
        if (l.has_weights() && std::find(l.inputs.begin(), l.inputs.end(), "input") != l.inputs.end())
          l.width_configurable = false;
    // What finalize() fuses away (activations into their producer) is named in the producer's
    // origin, so the YAML's comments still say where every ONNX node went.
    std::unordered_map<std::string, const Layer*> before;
    for (const Layer& l : layers_) before[l.name] = &l;
    net.layers = layers_;
    try {
      net.finalize(src_);
    } catch (const ConfigError& e) {
      const std::string msg = e.what();
      const bool groups = msg.find("width_groups") != std::string::npos;
      throw InputError(msg + (groups ? " (import with fewer width groups, e.g. `rcsim import --width-groups 1`)" : ""));
    }
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < net.layers.size(); ++i) index[net.layers[i].name] = i;
    for (const Layer& l : layers_)
      if (!index.count(l.name) && !l.inputs.empty() && r_.origin.count(l.inputs[0])) {
        r_.origin[l.inputs[0]] += " + " + r_.origin[l.name];
        r_.origin.erase(l.name);
      }
    r_.float_params.assign(net.layers.size(), FloatLayerParams{});
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
      const Layer& l = net.layers[i];
      if (!l.has_weights()) continue;
      FloatLayerParams& p = r_.float_params[i] = std::move(params_.at(l.name));
      if (std::int64_t(p.weight.size()) != full_weight_count(l) || std::int64_t(p.bias.size()) != l.out.c)
        throw InputError(src_ + ": layer '" + l.name + "': weights of " + std::to_string(p.weight.size()) +
                         " values do not fit its input " + std::to_string(l.in.c) + "x" + std::to_string(l.in.h) + "x" +
                         std::to_string(l.in.w));
    }
    r_.metadata["onnx_source"] = m_.source;
    if (!m_.producer.empty()) r_.metadata["onnx_producer"] = m_.producer;
    r_.metadata["onnx_opset"] = std::to_string(m_.opset);
  }
};

}  // namespace

ImportedNetwork import_onnx(const OnnxModel& normalized, const OnnxImportOptions& options) {
  return Importer(normalized, options).run();
}

ImportedNetwork import_onnx_file(const std::string& path, const OnnxImportOptions& options) {
  OnnxModel m = read_onnx(path);
  normalize(m);
  return import_onnx(m, options);
}

}  // namespace rcsim
