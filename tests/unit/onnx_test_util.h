#pragma once
// Shared checks of the ONNX tests.
#include <gtest/gtest.h>

#include <map>
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

}  // namespace rcsim::testonnx
