#include "cli/node_table.h"

#include "cli/text_table.h"

namespace rcsim::cli {

namespace {

std::string hw(int h, int w) { return std::to_string(h) + "x" + std::to_string(w); }

std::string shape(const Layer& l) {
  if (l.kind == LayerKind::Fc || l.kind == LayerKind::Flatten) return std::to_string(l.out.c);
  return std::to_string(l.out.c) + "x" + hw(l.out.h, l.out.w);
}

std::string inputs_of(const Network& net, const Layer& l) {
  std::string s;
  for (int t : l.in_ids)
    s += (s.empty() ? "" : ", ") + (t == kNetworkInput ? std::string("input") : net.layers[std::size_t(t)].name);
  return s;
}

/// Weights and biases of node i at width k (what the weight memory holds for it).
std::int64_t params(const Network& net, std::size_t i, int k) { return net.weight_count(i, k) + net.bias_count(i, k); }

}  // namespace

std::string describe_node(const Network& net, std::size_t i) {
  const Layer& l = net.layers.at(i);
  std::string s;
  const std::string stride = l.stride_h == 1 && l.stride_w == 1 ? ""
                             : l.stride_h == l.stride_w         ? "/" + std::to_string(l.stride_h)
                                                                : "/" + hw(l.stride_h, l.stride_w);
  switch (l.kind) {
    case LayerKind::Conv:
      s = std::string(l.depthwise() ? "dwconv " : "conv ") + hw(l.kernel_h, l.kernel_w) + stride;
      if (l.groups > 1 && !l.depthwise()) s += " g" + std::to_string(l.groups);
      break;
    case LayerKind::MaxPool:
    case LayerKind::AvgPool:
      s = std::string(to_string(l.kind)) + " " +
          (l.global ? std::string("global") : hw(l.kernel_h, l.kernel_w) + stride);
      break;
    case LayerKind::Act: s = to_string(l.activation()); break;
    default: s = to_string(l.kind);
  }
  if (l.kind != LayerKind::Act && l.activation() != Activation::None)
    s += std::string(" +") + to_string(l.activation());
  if (l.is_classifier)
    s += " (classifier)";
  else if (l.has_weights() && !l.width_configurable)
    s += " (full width)";
  return s;
}

std::string node_table(const Network& net, bool markdown) {
  const int G = net.width_groups;
  Row header{"node", "kind", "inputs", "output"};
  for (const char* what : {"ch", "MACs", "weights"})
    for (int k = 1; k <= G; ++k) header.push_back(std::string(what) + " k=" + std::to_string(k));
  std::vector<Row> rows;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    Row r{l.name, describe_node(net, i), inputs_of(net, l), shape(l)};
    for (int k = 1; k <= G; ++k) r.push_back(std::to_string(net.active_out(i, k)));
    for (int k = 1; k <= G; ++k) r.push_back(l.has_weights() ? std::to_string(net.macs(i, k)) : "");
    for (int k = 1; k <= G; ++k) r.push_back(l.has_weights() ? std::to_string(params(net, i, k)) : "");
    rows.push_back(std::move(r));
  }
  Row total{"total", std::to_string(net.layers.size()) + " nodes", "", ""};
  for (int k = 1; k <= G; ++k) total.push_back("");
  for (int k = 1; k <= G; ++k) total.push_back(std::to_string(net.total_macs(k)));
  for (int k = 1; k <= G; ++k) total.push_back(std::to_string(net.total_weights(k)));
  rows.push_back(std::move(total));
  std::vector<bool> code(header.size(), false);
  code[0] = true;
  return render(header, rows, markdown, code);
}

nlohmann::ordered_json node_table_json(const Network& net) {
  const int G = net.width_groups;
  nlohmann::ordered_json j;
  j["network"] = net.name;
  j["input"] = {net.input.c, net.input.h, net.input.w};
  j["width_groups"] = G;
  j["nodes"] = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    nlohmann::ordered_json n;
    n["name"] = l.name;
    n["type"] = l.kind == LayerKind::Act ? to_string(l.activation()) : to_string(l.kind);
    n["description"] = describe_node(net, i);
    nlohmann::ordered_json ins = nlohmann::ordered_json::array();
    for (int t : l.in_ids) ins.push_back(t == kNetworkInput ? std::string("input") : net.layers[std::size_t(t)].name);
    n["inputs"] = ins;
    n["output"] = {l.out.c, l.out.h, l.out.w};
    n["narrows_with_width"] = l.split;  // false: the image, the classifier, `width: false` and what they pin
    nlohmann::ordered_json ch = nlohmann::ordered_json::array(), macs = ch, w = ch;
    for (int k = 1; k <= G; ++k) {
      ch.push_back(net.active_out(i, k));
      macs.push_back(net.macs(i, k));
      w.push_back(params(net, i, k));
    }
    n["channels"] = ch;
    n["macs"] = macs;
    n["weights"] = w;
    j["nodes"].push_back(std::move(n));
  }
  nlohmann::ordered_json macs = nlohmann::ordered_json::array(), w = macs;
  for (int k = 1; k <= G; ++k) macs.push_back(net.total_macs(k)), w.push_back(net.total_weights(k));
  j["totals"] = {{"macs", macs}, {"weights", w}};
  return j;
}

}  // namespace rcsim::cli
