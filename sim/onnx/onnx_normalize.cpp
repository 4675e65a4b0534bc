#include "onnx/onnx_normalize.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <unordered_map>
#include <utility>

#include "core/errors.h"
#include "onnx/onnx_fold.h"
#include "onnx/onnx_ops.h"
#include "onnx/onnx_reader.h"

namespace rcsim {
namespace {

using Dims = std::vector<std::int64_t>;

std::string in_quotes(const std::string& name) { return "'" + onnx_printable(name) + "'"; }

OnnxAttribute int_attr(std::int64_t v) {
  OnnxAttribute a;
  a.kind = OnnxAttribute::Kind::Int;
  a.i = v;
  return a;
}
OnnxAttribute ints_attr(Dims v) {
  OnnxAttribute a;
  a.kind = OnnxAttribute::Kind::Ints;
  a.ints = std::move(v);
  return a;
}
OnnxAttribute float_attr(float v) {
  OnnxAttribute a;
  a.kind = OnnxAttribute::Kind::Float;
  a.f = v;
  return a;
}

// Bounds on attribute values before any arithmetic on them, so no sum or product overflows.
constexpr std::int64_t kMaxWindow = 1 << 16;

class Normalizer {
 public:
  explicit Normalizer(OnnxModel& m) : m_(m) {}

  void run() {
    check_supported_ops(m_);
    check_input();
    for (const auto& [name, t] : m_.initializers) consts_[name] = t;
    for (const auto& n : m_.nodes) {
      for (const auto& o : n.outputs) taken_.insert(o);
      for (const auto& i : n.inputs) raw_uses_.insert(i);
    }
    for (const auto& [name, t] : m_.initializers) taken_.insert(name);
    for (const auto& in : m_.inputs) taken_.insert(in.name);
    for (const auto& o : m_.outputs) raw_uses_.insert(o.name);
    for (const auto& n : m_.nodes) visit(n);
    merge_pads();
    merge_bias_adds();
    merge_relu_into_clip();
    fold_batch_norms();
    finish();
  }

 private:
  OnnxModel& m_;
  std::map<std::string, OnnxTensor> consts_;   // initializers and folded constants
  std::map<std::string, Dims> shapes_;         // activations
  std::map<std::string, std::string> alias_;   // elided tensor -> the tensor it equals
  std::set<std::string> taken_, raw_uses_;
  std::vector<OnnxNode> out_;

  // ---- helpers -------------------------------------------------------------------------

  [[noreturn]] void fail(const OnnxNode& n, const std::string& what) const {
    throw InputError(onnx_printable(m_.source) + ": " + n.label() + ": " + what);
  }

  std::string resolve(std::string name) const {
    for (auto it = alias_.find(name); it != alias_.end(); it = alias_.find(name)) name = it->second;
    return name;
  }

  const OnnxTensor* constant(const std::string& name) const {
    auto it = consts_.find(name);
    return it == consts_.end() ? nullptr : &it->second;
  }

  std::string input(const OnnxNode& n, std::size_t i) const {
    return i < n.inputs.size() && !n.inputs[i].empty() ? resolve(n.inputs[i]) : std::string();
  }

  /// Input i, which must be an activation (computed from the graph input); its shape.
  std::pair<std::string, Dims> activation(const OnnxNode& n, std::size_t i) const {
    const std::string name = input(n, i);
    if (name.empty()) fail(n, "input " + std::to_string(i) + " is missing");
    auto it = shapes_.find(name);
    if (it == shapes_.end())
      fail(n, "input " + in_quotes(name) + " is a constant; rcsim needs a tensor computed from the image here");
    return {name, it->second};
  }

  std::pair<std::string, const OnnxTensor*> weight(const OnnxNode& n, std::size_t i,
                                                   const std::string& what) const {
    const std::string name = input(n, i);
    if (name.empty()) fail(n, "the " + what + " input is missing");
    const OnnxTensor* t = constant(name);
    if (!t)
      fail(n, "the " + what + " (" + in_quotes(name) +
                  ") is computed by the graph; rcsim needs it as an initializer or Constant");
    return {name, t};
  }

  std::int64_t checked_count(const OnnxNode& n, const Dims& d) const {
    std::int64_t c = 1;
    for (auto x : d) {
      if (x <= 0) fail(n, "produces an empty or negative shape " + dims_text(d));
      if (c > kOnnxMaxTensorElements / x) fail(n, "produces a tensor larger than rcsim handles (" + dims_text(d) + ")");
      c *= x;
    }
    return c;
  }

  void set_shape(const OnnxNode& n, const std::string& name, const Dims& d) {
    checked_count(n, d);
    shapes_[name] = d;
  }

  std::string fresh_name(const std::string& base) {
    std::string name = base;
    for (int i = 1; taken_.count(name); ++i) name = base + "_" + std::to_string(i);
    taken_.insert(name);
    return name;
  }

  std::string add_constant(const std::string& base, OnnxTensor t) {
    const std::string name = fresh_name(base);
    consts_[name] = std::move(t);
    return name;
  }

  /// A node of the result, with one output and no attributes yet.
  OnnxNode& emit(const OnnxNode& from, const std::string& op, std::vector<std::string> inputs,
                 const std::string& output) {
    OnnxNode n;
    n.op_type = op;
    n.name = from.name;
    n.inputs = std::move(inputs);
    n.outputs = {output};
    out_.push_back(std::move(n));
    return out_.back();
  }

  /// Only output 0 may be used; a used optional output (BN statistics, Dropout mask, MaxPool
  /// indices) is not something rcsim computes.
  void single_output(const OnnxNode& n) const {
    for (std::size_t i = 1; i < n.outputs.size(); ++i)
      if (!n.outputs[i].empty() && raw_uses_.count(n.outputs[i]))
        fail(n, "output " + std::to_string(i) + " (" + in_quotes(n.outputs[i]) + ") is used; rcsim computes only output 0");
    if (n.outputs.empty() || n.outputs[0].empty()) fail(n, "has no output");
  }

  Dims window_ints(const OnnxNode& n, const std::string& attr, const Dims& fallback, std::int64_t lo,
                   std::size_t count) const {
    Dims v = n.get_ints(attr, fallback);
    if (v.size() != count)
      fail(n, "attribute '" + attr + "' has " + std::to_string(v.size()) + " values, expected " + std::to_string(count) +
                  " (rcsim runs 2-D convolution and pooling)");
    for (auto x : v)
      if (x < lo || x > kMaxWindow) fail(n, "attribute '" + attr + "' has the value " + std::to_string(x));
    return v;
  }

  /// Padding [top, left, bottom, right] from ONNX's [x1_begin, x2_begin, x1_end, x2_end], with
  /// auto_pad NOTSET (or VALID: no padding).
  Dims pads_of(const OnnxNode& n) const {
    const std::string auto_pad = n.get_string("auto_pad", "NOTSET");
    if (auto_pad == "VALID") {
      if (n.has("pads")) fail(n, "auto_pad VALID together with explicit pads");
      return {0, 0, 0, 0};
    }
    if (auto_pad != "NOTSET")
      fail(n, "auto_pad " + onnx_printable(auto_pad) + " is not supported; export with explicit pads (auto_pad NOTSET)");
    return window_ints(n, "pads", {0, 0, 0, 0}, 0, 4);
  }

  void require_rank4(const OnnxNode& n, const Dims& d) const {
    if (d.size() != 4) fail(n, "input of shape " + dims_text(d) + "; expected N x C x H x W");
  }

  // ---- the graph input -----------------------------------------------------------------

  void check_input() {
    const std::string src = onnx_printable(m_.source);
    if (m_.inputs.size() != 1)
      throw InputError(src + ": the model has " + std::to_string(m_.inputs.size()) +
                       " graph inputs; rcsim runs models with exactly one image input");
    const auto& in = m_.inputs[0];
    if (in.dims.size() != 4)
      throw InputError(src + ": ONNX input " + in_quotes(in.name) + " has shape " + dims_text(in.dims) + " (rank " +
                       std::to_string(in.dims.size()) + "); rcsim needs a rank-4 N x C x H x W image input");
    if (in.dims[0] != 1)
      throw InputError(src + ": ONNX input " + in_quotes(in.name) + " has batch " + std::to_string(in.dims[0]) +
                       "; export with batch 1");
    shapes_[in.name] = in.dims;
  }

  // ---- one node ------------------------------------------------------------------------

  void visit(const OnnxNode& n) {
    const std::string& op = n.op_type;
    if (op == "Constant") return constant_node(n);
    if (op == "Identity") return elide(n, input(n, 0));
    if (op == "Dropout") return dropout(n);
    if (is_foldable_op(op) && try_fold(n)) return;
    if (op == "Conv") return conv(n);
    if (op == "BatchNormalization") return batch_norm(n);
    if (op == "Relu") return unary(n, "Relu");
    if (op == "Clip") return clip(n);
    if (op == "Add") return add(n);
    if (op == "Concat") return concat(n);
    if (op == "MaxPool" || op == "AveragePool") return pool(n);
    if (op == "GlobalAveragePool") return global_pool(n);
    if (op == "ReduceMean") return reduce_mean(n);
    if (op == "Flatten") return flatten(n);
    if (op == "Reshape") return reshape(n);
    if (op == "Gemm") return gemm(n);
    if (op == "MatMul") return matmul(n);
    if (op == "Pad") return pad(n);
    // A shape-arithmetic operator on a computed tensor (check_supported_ops let it through).
    fail(n, "supported only on constants (shape arithmetic evaluated at import), but input " +
                in_quotes(input(n, 0)) + " is computed from the image");
  }

  void elide(const OnnxNode& n, const std::string& source) {
    single_output(n);
    if (source.empty()) fail(n, "input 0 is missing");
    alias_[n.outputs[0]] = source;
  }

  void constant_node(const OnnxNode& n) {
    single_output(n);
    OnnxTensor t;
    if (n.attributes.size() != 1) fail(n, "needs exactly one value attribute");
    const auto& [key, a] = *n.attributes.begin();
    if (key == "value" && a.kind == OnnxAttribute::Kind::Tensor) {
      t = a.tensor;
    } else if (key == "value_float" && a.kind == OnnxAttribute::Kind::Float) {
      t.values = {a.f};
    } else if (key == "value_floats" && a.kind == OnnxAttribute::Kind::Floats) {
      t.values = a.floats;
      t.dims = {std::int64_t(a.floats.size())};
    } else if (key == "value_int" && a.kind == OnnxAttribute::Kind::Int) {
      t.values = {float(a.i)};
      t.dtype = "int64";
    } else if (key == "value_ints" && a.kind == OnnxAttribute::Kind::Ints) {
      for (auto v : a.ints) t.values.push_back(float(v));
      t.dims = {std::int64_t(a.ints.size())};
      t.dtype = "int64";
    } else {
      fail(n, "value attribute " + in_quotes(key) + " is not supported (only numeric tensors)");
    }
    consts_[n.outputs[0]] = std::move(t);
  }

  void dropout(const OnnxNode& n) {
    if (n.get_int("is_test", 1) == 0) fail(n, "is a training-mode Dropout (is_test = 0); export in eval mode");
    const std::string training = input(n, 2);
    if (!training.empty()) {
      const OnnxTensor* t = constant(training);
      if (!t || t->size() != 1 || t->values[0] != 0)
        fail(n, "training_mode is not a constant false; export in eval mode");
    }
    elide(n, input(n, 0));
  }

  bool try_fold(const OnnxNode& n) {
    std::vector<const OnnxTensor*> ins;
    Dims dims0;
    if (n.op_type == "Shape") {
      const std::string x = input(n, 0);
      if (const OnnxTensor* t = constant(x)) dims0 = t->dims;
      else if (shapes_.count(x)) dims0 = shapes_.at(x);
      else fail(n, "input 0 is missing");
    } else {
      for (std::size_t i = 0; i < n.inputs.size(); ++i) {
        const std::string x = input(n, i);
        if (x.empty()) {
          ins.push_back(nullptr);
          continue;
        }
        const OnnxTensor* t = constant(x);
        if (!t) return false;
        ins.push_back(t);
      }
      if (ins.empty()) fail(n, "has no inputs");
    }
    single_output(n);
    consts_[n.outputs[0]] = fold_constant_node(n, ins, dims0, m_.opset, m_.source);
    return true;
  }

  void conv(const OnnxNode& n) {
    single_output(n);
    const auto [x, xd] = activation(n, 0);
    require_rank4(n, xd);
    const auto [wname, w] = weight(n, 1, "weight");
    if (w->dims.size() != 4)
      fail(n, "weight of shape " + dims_text(w->dims) + "; rcsim runs 2-D convolutions (M x C/group x kH x kW)");
    const std::int64_t group = n.get_int("group", 1);
    const std::int64_t m = w->dims[0], cg = w->dims[1], kh = w->dims[2], kw = w->dims[3];
    if (group < 1 || group > xd[1] || xd[1] % group != 0 || m % group != 0 || cg * group != xd[1])
      fail(n, "group " + std::to_string(group) + " does not fit " + std::to_string(xd[1]) + " input channels and weight " +
                  dims_text(w->dims));
    if (kh < 1 || kw < 1 || kh > kMaxWindow || kw > kMaxWindow) fail(n, "kernel " + dims_text(w->dims));
    const Dims kernel = window_ints(n, "kernel_shape", {kh, kw}, 1, 2);
    if (kernel != Dims{kh, kw}) fail(n, "kernel_shape " + dims_text(kernel) + " disagrees with the weight " + dims_text(w->dims));
    const Dims dil = window_ints(n, "dilations", {1, 1}, 1, 2);
    if (dil != Dims{1, 1}) fail(n, "dilation " + dims_text(dil) + " is not supported (rcsim runs dilation 1)");
    const Dims strides = window_ints(n, "strides", {1, 1}, 1, 2);
    const Dims pads = pads_of(n);
    std::string bname = input(n, 2);
    if (!bname.empty()) {
      const OnnxTensor* b = weight(n, 2, "bias").second;
      if (b->size() != std::size_t(m)) fail(n, "bias of shape " + dims_text(b->dims) + " for " + std::to_string(m) + " output channels");
      if (b->dims.size() != 1) bname = add_constant(n.name + "/bias", OnnxTensor{{m}, b->values, "float"});
    } else {
      bname = add_constant(n.name + "/bias", OnnxTensor{{m}, std::vector<float>(std::size_t(m), 0.0f), "float"});
    }
    const std::int64_t ph = xd[2] + pads[0] + pads[2], pw = xd[3] + pads[1] + pads[3];
    if (ph < kh || pw < kw)
      fail(n, "kernel " + std::to_string(kh) + "x" + std::to_string(kw) + " is larger than the padded input " + dims_text(xd));
    auto& c = emit(n, "Conv", {x, wname, bname}, n.outputs[0]);
    c.attributes["kernel_shape"] = ints_attr({kh, kw});
    c.attributes["strides"] = ints_attr(strides);
    c.attributes["pads"] = ints_attr({pads[0], pads[1], pads[2], pads[3]});
    c.attributes["dilations"] = ints_attr({1, 1});
    c.attributes["group"] = int_attr(group);
    set_shape(n, n.outputs[0], {1, m, (ph - kh) / strides[0] + 1, (pw - kw) / strides[1] + 1});
  }

  void batch_norm(const OnnxNode& n) {
    single_output(n);
    if (n.get_int("training_mode", 0) != 0) fail(n, "is in training mode; export in eval mode");
    const auto [x, xd] = activation(n, 0);
    require_rank4(n, xd);
    std::vector<std::string> ins = {x};
    const char* what[] = {"scale", "bias", "mean", "variance"};
    for (std::size_t i = 1; i <= 4; ++i) {
      auto [name, t] = weight(n, i, what[i - 1]);
      if (t->size() != std::size_t(xd[1]))
        fail(n, std::string(what[i - 1]) + " of shape " + dims_text(t->dims) + " for " + std::to_string(xd[1]) + " channels");
      if (i == 4)
        for (float v : t->values)
          if (v < 0) fail(n, "negative variance");
      if (t->dims.size() != 1) name = add_constant(name + "/1d", OnnxTensor{{xd[1]}, t->values, "float"});
      ins.push_back(name);
    }
    const float eps = n.get_float("epsilon", 1e-5f);
    if (!(eps >= 0)) fail(n, "negative epsilon");
    auto& b = emit(n, "BatchNormalization", ins, n.outputs[0]);
    b.attributes["epsilon"] = float_attr(eps);
    set_shape(n, n.outputs[0], xd);
  }

  void unary(const OnnxNode& n, const std::string& op) {
    single_output(n);
    const auto [x, xd] = activation(n, 0);
    emit(n, op, {x}, n.outputs[0]);
    set_shape(n, n.outputs[0], xd);
  }

  float clip_bound(const OnnxNode& n, std::size_t i, const char* attr, float fallback) {
    if (m_.opset < 11) return n.get_float(attr, fallback);
    const std::string name = input(n, i);
    if (name.empty()) return fallback;
    const OnnxTensor* t = constant(name);
    if (!t || t->size() != 1) fail(n, std::string("the ") + attr + " bound is not a constant scalar");
    return t->values[0];
  }

  void clip(const OnnxNode& n) {
    single_output(n);
    const float inf = std::numeric_limits<float>::infinity();
    const float lo = clip_bound(n, 1, "min", -inf), hi = clip_bound(n, 2, "max", inf);
    if (lo == 0 && hi == inf) return unary(n, "Relu");
    if (lo != 0 || hi != 6)
      fail(n, "Clip(" + std::to_string(lo) + ", " + std::to_string(hi) +
                  ") is not supported; rcsim runs Clip(0, 6) (ReLU6) and Clip(0, inf) (ReLU)");
    const auto [x, xd] = activation(n, 0);
    auto& c = emit(n, "Clip", {x}, n.outputs[0]);
    c.attributes["min"] = float_attr(0);
    c.attributes["max"] = float_attr(6);
    set_shape(n, n.outputs[0], xd);
  }

  void add(const OnnxNode& n) {
    single_output(n);
    const std::string a = input(n, 0), b = input(n, 1);
    if (a.empty() || b.empty()) fail(n, "needs two inputs");
    const bool ca = constant(a) != nullptr, cb = constant(b) != nullptr;
    if (ca && cb) fail(n, "adds two constants");
    if (ca || cb) {
      // Kept for merge_bias_adds(), which accepts it only as the bias of a MatMul/Gemm.
      const auto [x, xd] = activation(n, ca ? 1 : 0);
      emit(n, "Add", {x, ca ? a : b}, n.outputs[0]);
      set_shape(n, n.outputs[0], xd);
      return;
    }
    const Dims da = activation(n, 0).second, db = activation(n, 1).second;
    if (da != db)
      fail(n, "adds shapes " + dims_text(da) + " and " + dims_text(db) + "; rcsim adds tensors of equal shape (no broadcasting)");
    emit(n, "Add", {a, b}, n.outputs[0]);
    set_shape(n, n.outputs[0], da);
  }

  void concat(const OnnxNode& n) {
    single_output(n);
    std::vector<std::string> ins;
    Dims od;
    for (std::size_t i = 0; i < n.inputs.size(); ++i) {
      const auto [x, xd] = activation(n, i);
      require_rank4(n, xd);
      if (i == 0) {
        od = xd;
        od[1] = 0;
      } else if (xd[0] != od[0] || xd[2] != od[2] || xd[3] != od[3]) {
        fail(n, "concatenates " + dims_text(shapes_.at(ins[0])) + " and " + dims_text(xd) + " on channels");
      }
      od[1] += xd[1];
      ins.push_back(x);
    }
    if (ins.empty()) fail(n, "has no inputs");
    const std::int64_t axis = n.get_int("axis", 1);
    if (axis != 1 && axis != -3) fail(n, "concatenates on axis " + std::to_string(axis) + "; rcsim concatenates channels (axis 1)");
    auto& c = emit(n, "Concat", ins, n.outputs[0]);
    c.attributes["axis"] = int_attr(1);
    set_shape(n, n.outputs[0], od);
  }

  void pool(const OnnxNode& n) {
    single_output(n);
    const auto [x, xd] = activation(n, 0);
    require_rank4(n, xd);
    const Dims kernel = window_ints(n, "kernel_shape", {}, 1, 2);
    const Dims strides = window_ints(n, "strides", {1, 1}, 1, 2);
    const Dims dil = window_ints(n, "dilations", {1, 1}, 1, 2);
    if (dil != Dims{1, 1}) fail(n, "dilation " + dims_text(dil) + " is not supported");
    const Dims pads = pads_of(n);
    if (n.get_int("ceil_mode", 0) != 0) fail(n, "ceil_mode = 1 is not supported; use ceil_mode=False");
    if (pads[0] >= kernel[0] || pads[2] >= kernel[0] || pads[1] >= kernel[1] || pads[3] >= kernel[1])
      fail(n, "pads " + dims_text(pads) + " reach a whole kernel " + dims_text(kernel));
    const bool avg = n.op_type == "AveragePool";
    // count_include_pad only matters with padding; rcsim's avgpool has both forms.
    const bool include_pad = avg && n.get_int("count_include_pad", 0) != 0 && pads != Dims{0, 0, 0, 0};
    const std::int64_t ph = xd[2] + pads[0] + pads[2], pw = xd[3] + pads[1] + pads[3];
    if (ph < kernel[0] || pw < kernel[1]) fail(n, "kernel " + dims_text(kernel) + " is larger than the padded input " + dims_text(xd));
    auto& p = emit(n, n.op_type, {x}, n.outputs[0]);
    p.attributes["kernel_shape"] = ints_attr(kernel);
    p.attributes["strides"] = ints_attr(strides);
    p.attributes["pads"] = ints_attr(pads);
    if (avg) p.attributes["count_include_pad"] = int_attr(include_pad ? 1 : 0);
    set_shape(n, n.outputs[0], {1, xd[1], (ph - kernel[0]) / strides[0] + 1, (pw - kernel[1]) / strides[1] + 1});
  }

  void global_pool(const OnnxNode& n) {
    single_output(n);
    const auto [x, xd] = activation(n, 0);
    require_rank4(n, xd);
    emit(n, "GlobalAveragePool", {x}, n.outputs[0]);
    set_shape(n, n.outputs[0], {1, xd[1], 1, 1});
  }

  void reduce_mean(const OnnxNode& n) {
    single_output(n);
    const auto [x, xd] = activation(n, 0);
    require_rank4(n, xd);
    if (n.inputs.size() > 1) fail(n, "axes given as an input (opset 18) are not supported");
    std::set<std::int64_t> axes;
    for (auto a : n.get_ints("axes", {})) axes.insert(a < 0 ? a + 4 : a);
    if (axes != std::set<std::int64_t>{2, 3})
      fail(n, "reduces axes other than H and W; rcsim supports ReduceMean over axes (2, 3), a global average pool");
    if (n.get_int("keepdims", 1) != 0) {
      emit(n, "GlobalAveragePool", {x}, n.outputs[0]);
      set_shape(n, n.outputs[0], {1, xd[1], 1, 1});
      return;
    }
    const std::string pooled = fresh_name(n.outputs[0] + "/pooled");
    emit(n, "GlobalAveragePool", {x}, pooled);
    set_shape(n, pooled, {1, xd[1], 1, 1});
    auto& f = emit(n, "Flatten", {pooled}, n.outputs[0]);
    f.name = n.name + "/flatten";
    f.attributes["axis"] = int_attr(1);
    set_shape(n, n.outputs[0], {1, xd[1]});
  }

  /// The activation `x` of shape `xd` made 2-D [1, K] by node n: a Flatten, or nothing when it
  /// already is.
  void flatten_to(const OnnxNode& n, const std::string& x, const Dims& xd) {
    const Dims flat = {1, checked_count(n, xd)};
    if (xd == flat) {
      alias_[n.outputs[0]] = x;
      return;
    }
    auto& f = emit(n, "Flatten", {x}, n.outputs[0]);
    f.attributes["axis"] = int_attr(1);
    set_shape(n, n.outputs[0], flat);
  }

  void flatten(const OnnxNode& n) {
    single_output(n);
    const auto [x, xd] = activation(n, 0);
    const auto rank = std::int64_t(xd.size());
    std::int64_t axis = n.get_int("axis", 1);
    if (axis < -rank || axis > rank) fail(n, "axis " + std::to_string(axis) + " out of range");
    if (axis < 0) axis += rank;
    std::int64_t lead = 1;
    for (std::int64_t i = 0; i < axis; ++i) lead *= xd[std::size_t(i)];
    if (lead != 1) fail(n, "flattens " + dims_text(xd) + " from axis " + std::to_string(axis) + "; rcsim flattens to (N, -1)");
    flatten_to(n, x, xd);
  }

  void reshape(const OnnxNode& n) {
    single_output(n);
    const auto [x, xd] = activation(n, 0);
    const OnnxTensor* s = weight(n, 1, "shape").second;
    // The target shape, resolved like ONNX does (0 copies, -1 is inferred), without
    // evaluating anything: only a flatten to (N, -1) or a no-op is accepted.
    Dims target;
    std::int64_t known = 1;
    int infer = -1;
    const std::int64_t total = checked_count(n, xd);
    const bool allowzero = n.get_int("allowzero", 0) != 0;
    for (std::size_t i = 0; i < s->values.size(); ++i) {
      std::int64_t d = onnx_to_int(s->values[i]);
      if (d == 0 && !allowzero) {
        if (i >= xd.size()) fail(n, "shape copies dimension " + std::to_string(i) + " that the input does not have");
        d = xd[i];
      }
      if (d == -1) {
        if (infer >= 0) fail(n, "shape has more than one -1");
        infer = int(i);
      } else if (d <= 0 || d > total || known > total / d) {
        fail(n, "reshapes " + dims_text(xd) + " with the dimension " + std::to_string(d));
      } else {
        known *= d;
      }
      target.push_back(d);
    }
    if (infer >= 0) {
      if (total % known != 0) fail(n, "reshape of " + dims_text(xd) + " does not divide evenly");
      target[std::size_t(infer)] = total / known;
    }
    if (checked_count(n, target) != total) fail(n, "reshapes " + dims_text(xd) + " to " + dims_text(target));
    if (target == xd) {
      alias_[n.outputs[0]] = x;
      return;
    }
    if (target != Dims{1, total})
      fail(n, "reshapes " + dims_text(xd) + " to " + dims_text(target) + "; rcsim supports only Reshape to (N, -1) (a flatten)");
    flatten_to(n, x, xd);
  }

  /// Emits Gemm(x, w[N, K], bias[N]) for node n; `w` and `bias` are new initializers.
  void emit_gemm(const OnnxNode& n, const std::string& x, const Dims& xd, OnnxTensor w, OnnxTensor bias) {
    if (xd.size() != 2 || xd[0] != 1)
      fail(n, "input of shape " + dims_text(xd) + "; rcsim's fully connected layers take a flattened 1 x K input (Flatten first)");
    if (w.dims[1] != xd[1]) fail(n, "weight " + dims_text(w.dims) + " does not fit an input of " + std::to_string(xd[1]) + " features");
    const std::int64_t outs = w.dims[0];
    const std::string wn = add_constant(n.name + "/weight", std::move(w));
    const std::string bn = add_constant(n.name + "/bias", std::move(bias));
    auto& g = emit(n, "Gemm", {x, wn, bn}, n.outputs[0]);
    g.attributes["alpha"] = float_attr(1);
    g.attributes["beta"] = float_attr(1);
    g.attributes["transA"] = int_attr(0);
    g.attributes["transB"] = int_attr(1);
    set_shape(n, n.outputs[0], {1, outs});
  }

  static OnnxTensor transposed(const OnnxTensor& t) {  // 2-D
    OnnxTensor r{{t.dims[1], t.dims[0]}, std::vector<float>(t.size()), "float"};
    for (std::int64_t i = 0; i < t.dims[0]; ++i)
      for (std::int64_t j = 0; j < t.dims[1]; ++j)
        r.values[std::size_t(j * t.dims[0] + i)] = t.values[std::size_t(i * t.dims[1] + j)];
    return r;
  }

  /// A bias for `outs` outputs from an initializer of shape [], [1], [outs], [1, outs] or [1, 1].
  std::vector<float> bias_values(const OnnxNode& n, const OnnxTensor& c, std::int64_t outs) const {
    std::int64_t lead = 1;
    for (std::size_t i = 0; i + 1 < c.dims.size(); ++i) lead *= c.dims[i];
    if (c.size() == 1) return std::vector<float>(std::size_t(outs), c.values[0]);
    if (lead != 1 || std::int64_t(c.size()) != outs)
      fail(n, "bias of shape " + dims_text(c.dims) + " does not broadcast to " + std::to_string(outs) + " outputs");
    return c.values;
  }

  void gemm(const OnnxNode& n) {
    single_output(n);
    const auto [x, xd] = activation(n, 0);
    const OnnxTensor* b = weight(n, 1, "weight").second;
    if (n.get_int("transA", 0) != 0) fail(n, "transA = 1 is not supported");
    if (b->dims.size() != 2) fail(n, "weight of shape " + dims_text(b->dims) + "; expected 2-D");
    OnnxTensor w = n.get_int("transB", 0) != 0 ? OnnxTensor{b->dims, b->values, "float"} : transposed(*b);
    const float alpha = n.get_float("alpha", 1), beta = n.get_float("beta", 1);
    for (auto& v : w.values) v *= alpha;
    OnnxTensor bias{{w.dims[0]}, std::vector<float>(std::size_t(w.dims[0]), 0.0f), "float"};
    if (!input(n, 2).empty()) {
      bias.values = bias_values(n, *weight(n, 2, "bias").second, w.dims[0]);
      for (auto& v : bias.values) v *= beta;
    }
    emit_gemm(n, x, xd, std::move(w), std::move(bias));
  }

  void matmul(const OnnxNode& n) {
    single_output(n);
    const auto [x, xd] = activation(n, 0);
    const OnnxTensor* b = weight(n, 1, "weight").second;
    if (b->dims.size() != 2) fail(n, "weight of shape " + dims_text(b->dims) + "; expected 2-D (K x N)");
    emit_gemm(n, x, xd, transposed(*b), OnnxTensor{{b->dims[1]}, std::vector<float>(std::size_t(b->dims[1]), 0.0f), "float"});
  }

  void pad(const OnnxNode& n) {
    single_output(n);
    const auto [x, xd] = activation(n, 0);
    require_rank4(n, xd);
    if (n.get_string("mode", "constant") != "constant") fail(n, "only constant (zero) padding is supported");
    Dims p;
    float value = 0;
    if (m_.opset < 11) {
      p = n.get_ints("pads", {});
      value = n.get_float("value", 0);
    } else {
      for (float v : weight(n, 1, "pads").second->values) p.push_back(onnx_to_int(v));
      if (!input(n, 2).empty()) {
        const OnnxTensor* c = weight(n, 2, "constant_value").second;
        if (c->size() != 1) fail(n, "constant_value is not a scalar");
        value = c->values[0];
      }
      if (!input(n, 3).empty()) fail(n, "the axes input is not supported");
    }
    if (value != 0) fail(n, "pads with the value " + std::to_string(value) + "; only zero padding is supported");
    if (p.size() != 8) fail(n, "pads has " + std::to_string(p.size()) + " values; expected 8 for N x C x H x W");
    for (auto v : p)
      if (v < 0 || v > kMaxWindow) fail(n, "pads value " + std::to_string(v) + " is not supported (no cropping)");
    if (p[0] || p[1] || p[4] || p[5]) fail(n, "pads the batch or channel dimension");
    if (p == Dims(8, 0)) {
      alias_[n.outputs[0]] = x;
      return;
    }
    // Kept for merge_pads(), which folds it into the Conv(s) it feeds.
    auto& pn = emit(n, "Pad", {x}, n.outputs[0]);
    pn.attributes["pads"] = ints_attr({p[2], p[3], p[6], p[7]});
    set_shape(n, n.outputs[0], {xd[0], xd[1], xd[2] + p[2] + p[6], xd[3] + p[3] + p[7]});
  }

  // ---- fusions over the canonical nodes ------------------------------------------------

  std::vector<std::string> graph_outputs() const {
    std::vector<std::string> o;
    for (const auto& v : m_.outputs) o.push_back(resolve(v.name));
    return o;
  }

  /// Nodes (indices into out_) reading each tensor, plus -1 for a graph output.
  std::unordered_map<std::string, std::vector<int>> consumers() const {
    std::unordered_map<std::string, std::vector<int>> c;
    for (std::size_t i = 0; i < out_.size(); ++i)
      for (const auto& in : out_[i].inputs) c[in].push_back(int(i));
    for (const auto& o : graph_outputs()) c[o].push_back(-1);
    return c;
  }

  std::unordered_map<std::string, int> producers() const {
    std::unordered_map<std::string, int> p;
    for (std::size_t i = 0; i < out_.size(); ++i) p[out_[i].outputs[0]] = int(i);
    return p;
  }

  void erase_marked(const std::vector<bool>& dead) {
    std::vector<OnnxNode> kept;
    for (std::size_t i = 0; i < out_.size(); ++i)
      if (!dead[i]) kept.push_back(std::move(out_[i]));
    out_ = std::move(kept);
  }

  void merge_pads() {
    const auto users = consumers();
    std::vector<bool> dead(out_.size(), false);
    for (std::size_t i = 0; i < out_.size(); ++i) {
      if (out_[i].op_type != "Pad") continue;
      const OnnxNode pad = out_[i];
      const Dims& p = pad.attributes.at("pads").ints;
      auto it = users.find(pad.outputs[0]);
      for (int u : it == users.end() ? std::vector<int>{} : it->second) {
        if (u < 0) fail(pad, "its padded tensor is a graph output; padding is supported only in front of a Conv");
        auto& c = out_[std::size_t(u)];
        if (c.op_type != "Conv" && c.op_type != "AveragePool")
          fail(pad, "padding is supported only in front of a Conv or an AveragePool, but " + c.label() + " reads it");
        auto& cp = c.attributes.at("pads").ints;
        if (c.op_type == "AveragePool") {
          // nn.AvgPool2d(padding=p) (count_include_pad=True) exports as Pad + AveragePool: the
          // padded zeros count in the divisor, which is AveragePool(pads, count_include_pad=1) —
          // unless the pool's own padding must not count.
          const bool own_pads = cp != Dims{0, 0, 0, 0};
          if (own_pads && c.attributes.at("count_include_pad").i == 0)
            fail(c, "is padded both by a Pad (counted in the average) and by its own pads (not counted)");
          const Dims& k = c.attributes.at("kernel_shape").ints;
          for (std::size_t j = 0; j < 4; ++j)
            if (cp[j] + p[j] >= k[j % 2])
              fail(c, "padding " + std::to_string(cp[j] + p[j]) + " (with the Pad before it) reaches a whole kernel " +
                          dims_text(k) + "; rcsim pads less than the kernel");
          c.attributes["count_include_pad"] = int_attr(1);
        }
        for (std::size_t k = 0; k < 4; ++k) cp[k] += p[k];
        c.inputs[0] = pad.inputs[0];
      }
      dead[i] = true;
    }
    erase_marked(dead);
  }

  void merge_bias_adds() {
    auto users = consumers();
    auto made_by = producers();
    std::vector<bool> dead(out_.size(), false);
    for (std::size_t i = 0; i < out_.size(); ++i) {
      OnnxNode& add = out_[i];
      if (add.op_type != "Add" || !consts_.count(add.inputs[1])) continue;
      auto p = made_by.find(add.inputs[0]);
      const bool gemm = p != made_by.end() && out_[std::size_t(p->second)].op_type == "Gemm" &&
                        users[add.inputs[0]].size() == 1;
      if (!gemm) fail(add, "adds a constant to something other than the output of a MatMul/Gemm (only a fully connected layer's bias is supported)");
      OnnxNode& g = out_[std::size_t(p->second)];
      OnnxTensor& bias = consts_.at(g.inputs[2]);
      const auto extra = bias_values(add, consts_.at(add.inputs[1]), std::int64_t(bias.size()));
      for (std::size_t k = 0; k < extra.size(); ++k) bias.values[k] += extra[k];
      g.outputs[0] = add.outputs[0];
      dead[i] = true;
    }
    erase_marked(dead);
  }

  /// torch 1.13 exports F.relu6 as Relu then Clip(0, 6): the Relu changes nothing.
  void merge_relu_into_clip() {
    auto users = consumers();
    auto made_by = producers();
    std::vector<bool> dead(out_.size(), false);
    for (auto& clip : out_) {
      if (clip.op_type != "Clip") continue;
      auto p = made_by.find(clip.inputs[0]);
      if (p == made_by.end() || out_[std::size_t(p->second)].op_type != "Relu" || users[clip.inputs[0]].size() != 1)
        continue;
      dead[std::size_t(p->second)] = true;
      clip.inputs[0] = out_[std::size_t(p->second)].inputs[0];
    }
    erase_marked(dead);
  }

  void fold_batch_norms() {
    auto users = consumers();
    auto made_by = producers();
    std::vector<bool> dead(out_.size(), false);
    for (std::size_t i = 0; i < out_.size(); ++i) {
      OnnxNode& bn = out_[i];
      if (bn.op_type != "BatchNormalization") continue;
      auto p = made_by.find(bn.inputs[0]);
      if (p == made_by.end() || out_[std::size_t(p->second)].op_type != "Conv" || users[bn.inputs[0]].size() != 1)
        continue;  // stays a BatchNormalization node
      OnnxNode& conv = out_[std::size_t(p->second)];
      const auto& scale = consts_.at(bn.inputs[1]).values;
      const auto& shift = consts_.at(bn.inputs[2]).values;
      const auto& mean = consts_.at(bn.inputs[3]).values;
      const auto& var = consts_.at(bn.inputs[4]).values;
      const double eps = bn.attributes.at("epsilon").f;
      OnnxTensor w = consts_.at(conv.inputs[1]);
      OnnxTensor b = consts_.at(conv.inputs[2]);
      w.dtype = b.dtype = "float";
      const std::size_t per_channel = w.size() / b.size();
      for (std::size_t c = 0; c < b.size(); ++c) {
        const double k = double(scale[c]) / std::sqrt(double(var[c]) + eps);
        if (!std::isfinite(k)) fail(bn, "variance + epsilon is zero");
        for (std::size_t j = 0; j < per_channel; ++j) w.values[c * per_channel + j] = float(w.values[c * per_channel + j] * k);
        b.values[c] = float((double(b.values[c]) - mean[c]) * k + shift[c]);
      }
      conv.inputs[1] = add_constant(conv.name + "/weight_bn", std::move(w));
      conv.inputs[2] = add_constant(conv.name + "/bias_bn", std::move(b));
      conv.outputs[0] = bn.outputs[0];
      dead[i] = true;
    }
    erase_marked(dead);
  }

  // ---- the result ----------------------------------------------------------------------

  void finish() {
    // Outputs first: each must be a tensor the network computes.
    const auto outs = graph_outputs();
    for (std::size_t i = 0; i < outs.size(); ++i) {
      auto& o = m_.outputs[i];
      if (!shapes_.count(outs[i]))
        throw InputError(onnx_printable(m_.source) + ": ONNX output " + in_quotes(o.name) +
                         " is a constant, not computed from the input");
      const Dims& d = shapes_.at(outs[i]);
      bool agrees = o.dims.empty() || o.dims.size() == d.size();
      for (std::size_t k = 0; agrees && k < o.dims.size(); ++k) agrees = o.dims[k] < 0 || o.dims[k] == d[k];
      if (!agrees)
        throw InputError(onnx_printable(m_.source) + ": ONNX output " + in_quotes(o.name) + " is declared " +
                         dims_text(o.dims) + " but computes " + dims_text(d));
      o.name = outs[i];
      o.dims = d;
    }
    // Dead nodes (e.g. what fed only a folded shape computation) go, last to first.
    std::set<std::string> live(outs.begin(), outs.end());
    std::vector<bool> dead(out_.size(), false);
    for (std::size_t i = out_.size(); i-- > 0;) {
      if (!live.count(out_[i].outputs[0])) {
        dead[i] = true;
        continue;
      }
      live.insert(out_[i].inputs.begin(), out_[i].inputs.end());
    }
    erase_marked(dead);
    if (out_.empty())
      throw InputError(onnx_printable(m_.source) + ": the graph computes nothing (its output is its input)");

    m_.initializers.clear();
    m_.shapes.clear();
    for (const auto& in : m_.inputs) m_.shapes[in.name] = in.dims;
    for (const auto& n : out_) {
      for (const auto& in : n.inputs) {
        if (const OnnxTensor* t = constant(in)) {
          m_.initializers[in] = *t;
          m_.shapes[in] = t->dims;
        } else {
          m_.shapes[in] = shapes_.at(in);
        }
      }
      m_.shapes[n.outputs[0]] = shapes_.at(n.outputs[0]);
    }
    m_.nodes = std::move(out_);
  }
};

}  // namespace

void normalize(OnnxModel& model) { Normalizer(model).run(); }

}  // namespace rcsim
