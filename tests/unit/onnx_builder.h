#pragma once
// Builds small ONNX models with the protobuf API (as an exporter would write them), for the
// reader and normalize() tests: well-formed ones and deliberately broken ones.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <fstream>
#include <initializer_list>
#include <string>
#include <vector>

namespace rcsim::testonnx {

struct Builder {
  onnx::ModelProto model;
  onnx::GraphProto* graph;

  explicit Builder(std::int64_t opset = 13) {
    model.set_ir_version(8);
    model.set_producer_name("rcsim-test");
    auto* o = model.add_opset_import();
    o->set_domain("");
    o->set_version(opset);
    graph = model.mutable_graph();
    graph->set_name("test");
  }

  /// A FLOAT input; a dim < 0 is symbolic ("N", or "d<i>").
  Builder& input(const std::string& name, const std::vector<std::int64_t>& dims) {
    auto* v = graph->add_input();
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    auto* s = t->mutable_shape();
    for (std::size_t i = 0; i < dims.size(); ++i) {
      auto* d = s->add_dim();
      if (dims[i] >= 0) d->set_dim_value(dims[i]);
      else d->set_dim_param(i == 0 ? "N" : "d" + std::to_string(i));
    }
    return *this;
  }

  Builder& output(const std::string& name) {
    graph->add_output()->set_name(name);
    return *this;
  }

  static onnx::TensorProto tensor(const std::vector<std::int64_t>& dims, const std::vector<float>& values) {
    onnx::TensorProto t;
    t.set_data_type(onnx::TensorProto::FLOAT);
    for (auto d : dims) t.add_dims(d);
    for (auto v : values) t.add_float_data(v);
    return t;
  }

  static onnx::TensorProto int_tensor(const std::vector<std::int64_t>& dims, const std::vector<std::int64_t>& values) {
    onnx::TensorProto t;
    t.set_data_type(onnx::TensorProto::INT64);
    for (auto d : dims) t.add_dims(d);
    for (auto v : values) t.add_int64_data(v);
    return t;
  }

  Builder& init(const std::string& name, const onnx::TensorProto& t) {
    auto* i = graph->add_initializer();
    *i = t;
    i->set_name(name);
    return *this;
  }

  /// Initializer with values 0.1 * (i % 7 - 3): distinct, small, deterministic.
  Builder& weights(const std::string& name, const std::vector<std::int64_t>& dims) {
    std::int64_t n = 1;
    for (auto d : dims) n *= d;
    std::vector<float> v;
    for (std::int64_t i = 0; i < n; ++i) v.push_back(0.1f * float(i % 7 - 3));
    return init(name, tensor(dims, v));
  }

  onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& in,
                        const std::vector<std::string>& out, const std::string& name = "") {
    auto* n = graph->add_node();
    n->set_op_type(op);
    n->set_name(name.empty() ? op + "_" + std::to_string(graph->node_size()) : name);
    for (const auto& s : in) n->add_input(s);
    for (const auto& s : out) n->add_output(s);
    return *n;
  }

  static void ints(onnx::NodeProto& n, const std::string& name, const std::vector<std::int64_t>& v) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (auto x : v) a->add_ints(x);
  }
  static void integer(onnx::NodeProto& n, const std::string& name, std::int64_t v) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }
  static void real(onnx::NodeProto& n, const std::string& name, float v) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(v);
  }
  static void text(onnx::NodeProto& n, const std::string& name, const std::string& v) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s(v);
  }
  static void tensor_attr(onnx::NodeProto& n, const std::string& name, const onnx::TensorProto& t) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::TENSOR);
    *a->mutable_t() = t;
  }

  /// A Constant node producing `out`.
  Builder& constant(const std::string& out, const onnx::TensorProto& t) {
    tensor_attr(node("Constant", {}, {out}), "value", t);
    return *this;
  }

  std::string bytes() const { return model.SerializeAsString(); }

  void write(const std::string& path) const {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    const std::string b = bytes();
    f.write(b.data(), std::streamsize(b.size()));
  }
};

/// x [1,C,H,W] -> Conv 3x3 pad 1 (C -> M) -> out: the smallest valid image model.
inline Builder conv_model(std::int64_t c = 2, std::int64_t m = 4, std::int64_t hw = 6) {
  Builder b;
  b.input("x", {1, c, hw, hw}).weights("w", {m, c, 3, 3}).weights("b", {m});
  auto& n = b.node("Conv", {"x", "w", "b"}, {"y"}, "conv");
  Builder::ints(n, "pads", {1, 1, 1, 1});
  Builder::ints(n, "kernel_shape", {3, 3});
  b.output("y");
  return b;
}

}  // namespace rcsim::testonnx
