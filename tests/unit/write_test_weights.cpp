// Writes a weights file for tests/unit/read_safetensors.py: random mnist_lenet weights (seed 1)
// with float parameters that are the exact dequantized integers, and prints to stdout, as JSON,
// per-tensor checksums computed from the in-memory network (not from the file), so the Python
// reader checks what it decodes against what C++ meant to write.
// Usage: write_test_weights OUT.safetensors BITS
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/network_yaml.h"
#include "host/weights_file.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: write_test_weights OUT.safetensors BITS\n";
    return 2;
  }
  try {
    using namespace rcsim;
    QuantizedNetwork qn = random_quantized_network(load_network("mnist_lenet"), std::stoi(argv[2]), 1);
    qn.metadata["dataset"] = "none";
    qn.float_params.resize(qn.net.layers.size());
    nlohmann::json sums = nlohmann::json::object();
    auto summarize = [&](const std::string& name, const auto& v) {
      double s = 0;
      for (auto x : v) s += double(x);
      sums[name] = {{"sum", s}, {"first", double(v.front())}, {"last", double(v.back())}, {"count", v.size()}};
    };
    for (std::size_t i = 0; i < qn.net.layers.size(); ++i) {
      const Layer& l = qn.net.layers[i];
      if (!l.has_weights()) continue;
      const QuantLayerParams& q = qn.quant_params[i];
      for (auto w : q.weight.values()) qn.float_params[i].weight.push_back(float(std::ldexp(w, -q.w_shift)));
      for (auto b : q.bias) qn.float_params[i].bias.push_back(float(std::ldexp(b, -(q.in_shift + q.w_shift))));
      summarize(l.name + ".weight_q", q.weight.values());
      summarize(l.name + ".bias_q", q.bias);
      summarize(l.name + ".weight", qn.float_params[i].weight);
      summarize(l.name + ".bias", qn.float_params[i].bias);
    }
    save_weights(qn, argv[1]);
    std::cout << sums.dump() << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "write_test_weights: " << e.what() << "\n";
    return 1;
  }
}
