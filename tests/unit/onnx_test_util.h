#pragma once
// Shared checks of the ONNX tests.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "core/errors.h"
#include "onnx/onnx_model.h"

namespace rcsim::testonnx {

/// `f` throws an InputError whose message is one line containing `part`.
template <class F>
void expect_one_line_error(F&& f, const std::string& part) {
  try {
    f();
    ADD_FAILURE() << "no InputError; expected one mentioning: " << part;
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    EXPECT_NE(msg.find(part), std::string::npos) << "message: " << msg << "\nexpected to contain: " << part;
  }
}

inline std::map<std::string, std::size_t> op_counts(const OnnxModel& m) {
  std::map<std::string, std::size_t> ops;
  for (const auto& n : m.nodes) ++ops[n.op_type];
  return ops;
}

inline const OnnxNode& only(const OnnxModel& m, const std::string& op) {
  const OnnxNode* found = nullptr;
  for (const auto& n : m.nodes)
    if (n.op_type == op) {
      EXPECT_EQ(found, nullptr) << "more than one " << op;
      found = &n;
    }
  if (!found) throw std::runtime_error("no " + op + " node");
  return *found;
}

inline nlohmann::json load_json(const std::string& path) {
  std::ifstream f(path);
  EXPECT_TRUE(f.good()) << path;
  return nlohmann::json::parse(f);
}

/// A symbolic dimension (a string in the manifest) is what the reader reports as -1.
inline std::vector<std::int64_t> json_dims(const nlohmann::json& j) {
  std::vector<std::int64_t> d;
  for (const auto& x : j) d.push_back(x.is_string() ? -1 : x.get<std::int64_t>());
  return d;
}

/// What the manifest says about one model, checked against read_onnx.
inline void expect_matches_manifest(const OnnxModel& m, const nlohmann::json& e) {
  ASSERT_EQ(m.inputs.size(), 1u);
  EXPECT_EQ(m.inputs[0].name, e["input"]["name"]);
  EXPECT_EQ(m.inputs[0].dims, json_dims(e["input"]["shape"]));
  ASSERT_EQ(m.outputs.size(), 1u);
  EXPECT_EQ(m.outputs[0].name, e["output"]["name"]);
  EXPECT_EQ(m.outputs[0].dims, json_dims(e["output"]["shape"]));
  EXPECT_EQ(m.opset, e["opset"].get<std::int64_t>());
  EXPECT_EQ(m.nodes.size(), e["nodes"].get<std::size_t>());
  std::map<std::string, std::size_t> ops;
  for (const auto& n : m.nodes) ++ops[n.op_type];
  EXPECT_EQ(ops, (e["op_counts"].get<std::map<std::string, std::size_t>>()));
  EXPECT_EQ(m.initializers.size(), e["initializers"]["count"].get<std::size_t>());
  std::size_t elements = 0;
  for (const auto& [name, t] : m.initializers) {
    std::size_t n = 1;
    for (auto d : t.dims) n *= std::size_t(d);
    EXPECT_EQ(t.size(), n) << name;
    elements += t.size();
  }
  EXPECT_EQ(elements, e["initializers"]["elements"].get<std::size_t>());
}

}  // namespace rcsim::testonnx
