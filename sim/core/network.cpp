#include "core/network.h"

#include <algorithm>
#include <numeric>
#include <queue>
#include <unordered_map>

#include "core/errors.h"
#include "core/width.h"

namespace rcsim {

const char* to_string(LayerKind kind) {
  switch (kind) {
    case LayerKind::Conv: return "conv";
    case LayerKind::MaxPool: return "maxpool";
    case LayerKind::AvgPool: return "avgpool";
    case LayerKind::Fc: return "fc";
    case LayerKind::Add: return "add";
    case LayerKind::Concat: return "concat";
    case LayerKind::Flatten: return "flatten";
    case LayerKind::Act: return "act";
    case LayerKind::BatchNorm: return "batchnorm";
  }
  return "?";
}

const char* to_string(Activation a) {
  switch (a) {
    case Activation::None: return "none";
    case Activation::Relu: return "relu";
    case Activation::Relu6: return "relu6";
  }
  return "?";
}

namespace {

// Caps that keep hostile files from exhausting memory or time before anything is allocated.
constexpr std::size_t kMaxNodes = 100000;
// Below 2^31: an fc's input length and a flatten's channel count are ints.
constexpr std::int64_t kMaxTensorElements = (std::int64_t(1) << 31) - 1;
// Weights of the whole network (int8: 2 GiB) and (tensor, channel) slots of the width-group
// analysis (4 bytes each): a hostile file must not make either allocate tens of GiB.
constexpr std::int64_t kMaxNetworkWeights = std::int64_t(1) << 31;
constexpr std::int64_t kMaxChannelSlots = std::int64_t(1) << 26;
constexpr std::int64_t kMaxNetworkMacs = std::int64_t(1) << 50;
constexpr int kMaxDim = 1 << 20;

[[noreturn]] void fail(const std::string& origin, const Layer& l, const std::string& field,
                       const std::string& what) {
  throw ConfigError(origin + ": layer '" + l.name + "': field '" + field + "': " + what);
}

/// Group (1..G) of channel c when n channels are split contiguously into G groups.
int contiguous_group(int n, int G, int c) {
  int g = 1;
  while (group_end(n, G, g) <= c) ++g;
  return g;
}

std::string got(int v) { return " (got " + std::to_string(v) + ")"; }
std::string shape_text(const Shape3& s) {
  return std::to_string(s.c) + "x" + std::to_string(s.h) + "x" + std::to_string(s.w);
}

/// Union-find over (tensor, channel) slots: channels coupled by an add, a depthwise conv, a
/// concat, a pool or a flatten end up in one class, which gets one width group.
class ChannelUnion {
 public:
  int add(int n) {
    const int first = int(parent_.size());
    for (int j = 0; j < n; ++j) parent_.push_back(first + j);
    return first;
  }
  int find(int x) {
    while (parent_[std::size_t(x)] != x) x = parent_[std::size_t(x)] = parent_[std::size_t(parent_[std::size_t(x)])];
    return x;
  }
  void unite(int a, int b) {
    a = find(a), b = find(b);
    if (a == b) return;
    // The smaller index stays root: the earliest tensor (in topological order) names the class.
    if (a < b) parent_[std::size_t(b)] = a;
    else parent_[std::size_t(a)] = b;
  }

 private:
  std::vector<int> parent_;
};

}  // namespace

void Network::finalize(const std::string& origin) {
  if (name.empty()) throw ConfigError(origin + ": field 'name': must not be empty");
  if (input.c <= 0 || input.h <= 0 || input.w <= 0)
    throw ConfigError(origin + ": field 'input': channels, height and width must be positive");
  if (input.c > kMaxDim || input.h > kMaxDim || input.w > kMaxDim || input.size() > kMaxTensorElements)
    throw ConfigError(origin + ": field 'input': " + shape_text(input) + " is larger than rcsim supports");
  if (width_groups <= 0)
    throw ConfigError(origin + ": field 'width_groups': must be positive" + got(width_groups));
  if (width_groups > 64) throw ConfigError(origin + ": field 'width_groups': at most 64 are supported" + got(width_groups));
  if (layers.empty()) throw ConfigError(origin + ": field 'layers': no layers");
  if (layers.size() > kMaxNodes)
    throw ConfigError(origin + ": field 'layers': " + std::to_string(layers.size()) + " layers, at most " +
                      std::to_string(kMaxNodes) + " are supported");

  // --- Names and inputs -------------------------------------------------------------------
  std::unordered_map<std::string, int> index;
  index.reserve(layers.size());
  for (std::size_t i = 0; i < layers.size(); ++i) {
    Layer& l = layers[i];
    if (l.name.empty()) throw ConfigError(origin + ": layer " + std::to_string(i) + ": field 'name': must not be empty");
    if (l.name == "input") fail(origin, l, "name", "'input' names the network input");
    if (!index.emplace(l.name, int(i)).second) fail(origin, l, "name", "duplicate layer name");
  }
  for (std::size_t i = 0; i < layers.size(); ++i) {
    Layer& l = layers[i];
    l.in_ids.clear();
    l.consumers.clear();
    if (l.inputs.empty()) {
      l.in_ids.push_back(i == 0 ? kNetworkInput : int(i) - 1);
    } else {
      for (const std::string& n : l.inputs) {
        if (n == "input") {
          l.in_ids.push_back(kNetworkInput);
          continue;
        }
        const auto it = index.find(n);
        if (it == index.end()) fail(origin, l, "inputs", "unknown input '" + n + "' (no layer of that name)");
        if (it->second == int(i)) fail(origin, l, "inputs", "a layer cannot read its own output");
        l.in_ids.push_back(it->second);
      }
    }
    const std::size_t n_in = l.in_ids.size();
    if (l.kind == LayerKind::Add && n_in != 2) fail(origin, l, "inputs", "add takes exactly 2 inputs" + got(int(n_in)));
    if (l.kind == LayerKind::Concat && n_in < 2) fail(origin, l, "inputs", "concat takes at least 2 inputs" + got(int(n_in)));
    if (l.kind != LayerKind::Add && l.kind != LayerKind::Concat && n_in != 1)
      fail(origin, l, "inputs", std::string(to_string(l.kind)) + " takes exactly 1 input" + got(int(n_in)));
  }

  // --- Topological order (stable: the YAML order wherever the edges allow) -----------------
  {
    const std::size_t n = layers.size();
    std::vector<int> indeg(n, 0);
    std::vector<std::vector<int>> out_edges(n);
    for (std::size_t i = 0; i < n; ++i)
      for (int p : layers[i].in_ids)
        if (p != kNetworkInput) ++indeg[i], out_edges[std::size_t(p)].push_back(int(i));
    std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
    for (std::size_t i = 0; i < n; ++i)
      if (indeg[i] == 0) ready.push(int(i));
    std::vector<int> order;
    order.reserve(n);
    while (!ready.empty()) {
      const int i = ready.top();
      ready.pop();
      order.push_back(i);
      for (int j : out_edges[std::size_t(i)])
        if (--indeg[std::size_t(j)] == 0) ready.push(j);
    }
    if (order.size() != n) {
      // Name one node on a cycle: follow unfinished inputs until one repeats.
      int at = 0;
      while (indeg[std::size_t(at)] == 0) ++at;
      std::vector<int> seen(n, -1);
      std::vector<int> path;
      while (seen[std::size_t(at)] < 0) {
        seen[std::size_t(at)] = int(path.size());
        path.push_back(at);
        for (int p : layers[std::size_t(at)].in_ids)
          if (p != kNetworkInput && indeg[std::size_t(p)] > 0) {
            at = p;
            break;
          }
      }
      std::string cycle;
      for (std::size_t j = std::size_t(seen[std::size_t(at)]); j < path.size(); ++j)
        cycle = "'" + layers[std::size_t(path[j])].name + "' -> " + cycle;
      cycle += "'" + layers[std::size_t(at)].name + "'";
      fail(origin, layers[std::size_t(at)], "inputs", "cycle: " + cycle);
    }
    std::vector<int> new_index(n);
    for (std::size_t j = 0; j < n; ++j) new_index[std::size_t(order[j])] = int(j);
    std::vector<Layer> sorted;
    sorted.reserve(n);
    for (int i : order) sorted.push_back(std::move(layers[std::size_t(i)]));
    layers = std::move(sorted);
    for (Layer& l : layers)
      for (int& p : l.in_ids)
        if (p != kNetworkInput) p = new_index[std::size_t(p)];
  }
  auto rebuild_consumers = [&] {
    for (Layer& l : layers) l.consumers.clear();
    for (std::size_t i = 0; i < layers.size(); ++i)
      for (int p : layers[i].in_ids)
        if (p != kNetworkInput) layers[std::size_t(p)].consumers.push_back(int(i));
  };
  rebuild_consumers();

  // --- Fuse batch norms and activations into their producers -----------------------------
  {
    std::vector<bool> removed(layers.size(), false);
    std::vector<int> replaced_by(layers.size());
    std::iota(replaced_by.begin(), replaced_by.end(), 0);
    for (std::size_t i = 0; i < layers.size(); ++i) {
      Layer& l = layers[i];
      for (int& p : l.in_ids)
        while (p != kNetworkInput && removed[std::size_t(p)]) p = replaced_by[std::size_t(p)];
      if (l.kind != LayerKind::BatchNorm && l.kind != LayerKind::Act) continue;
      const int p = l.in_ids[0];
      Layer* prod = p == kNetworkInput ? nullptr : &layers[std::size_t(p)];
      const bool single = prod && prod->consumers.size() == 1;
      if (l.kind == LayerKind::BatchNorm) {
        if (!prod || !prod->has_weights() || !single || prod->activation() != Activation::None || prod->batchnorm)
          fail(origin, l, "inputs",
               "a batchnorm must directly follow a conv or fc that has no activation and feeds only the batchnorm");
        prod->batchnorm = true;
        prod->bn_eps = l.bn_eps;
      } else {
        const bool fusable = prod && single && prod->activation() == Activation::None &&
                             (prod->has_weights() || prod->kind == LayerKind::Add);
        if (!fusable) continue;  // stays a node of its own (post-processing)
        prod->set_activation(l.activation());
      }
      removed[i] = true;
      replaced_by[i] = p;
    }
    if (std::find(removed.begin(), removed.end(), true) != removed.end()) {
      std::vector<int> new_index(layers.size(), -1);
      std::vector<Layer> kept;
      for (std::size_t i = 0; i < layers.size(); ++i)
        if (!removed[i]) new_index[i] = int(kept.size()), kept.push_back(std::move(layers[i]));
      for (Layer& l : kept)
        for (int& p : l.in_ids)
          if (p != kNetworkInput) p = new_index[std::size_t(p)];
      layers = std::move(kept);
      rebuild_consumers();
    }
  }

  // --- Shapes ------------------------------------------------------------------------------
  std::vector<bool> features(layers.size(), false);  // fc / flatten outputs: a feature vector
  auto input_is_features = [&](int t) { return t != kNetworkInput && features[std::size_t(t)]; };
  chain_ = true;
  std::int64_t channel_slots = input.c, network_weights = 0, network_macs = 0;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    Layer& l = layers[i];
    chain_ = chain_ && l.in_ids.size() == 1 && l.in_ids[0] == int(i) - 1 &&
             (l.kind == LayerKind::Conv || l.kind == LayerKind::MaxPool || l.kind == LayerKind::Fc) &&
             l.groups == 1 && !l.relu6 && !l.batchnorm && l.kernel_h == l.kernel_w &&
             l.stride_h == l.stride_w && l.pad_top == l.pad_left && l.pad_top == l.pad_bottom &&
             l.pad_top == l.pad_right;
    const Shape3 cur = tensor_shape(l.in_ids[0]);
    l.in = cur;
    l.is_classifier = false;
    switch (l.kind) {
      case LayerKind::Conv:
      case LayerKind::MaxPool:
      case LayerKind::AvgPool: {
        if (input_is_features(l.in_ids[0]))
          fail(origin, l, "type", std::string(to_string(l.kind)) + " after fc is not supported");
        if (l.kind == LayerKind::AvgPool && l.global) {
          l.kernel_h = cur.h, l.kernel_w = cur.w, l.stride_h = l.stride_w = 1;
          l.pad_top = l.pad_left = l.pad_bottom = l.pad_right = 0;
        }
        if (l.kind == LayerKind::Conv && l.out_channels <= 0)
          fail(origin, l, "out_channels", "must be positive" + got(l.out_channels));
        if (l.kernel_h <= 0 || l.kernel_w <= 0) fail(origin, l, "kernel", "must be positive" + got(std::min(l.kernel_h, l.kernel_w)));
        if (l.stride_h <= 0 || l.stride_w <= 0) fail(origin, l, "stride", "must be positive" + got(std::min(l.stride_h, l.stride_w)));
        if (l.kernel_h > kMaxDim || l.kernel_w > kMaxDim || l.stride_h > kMaxDim || l.stride_w > kMaxDim)
          fail(origin, l, "kernel", "larger than rcsim supports");
        for (int pad : {l.pad_top, l.pad_left, l.pad_bottom, l.pad_right})
          if (pad < 0) fail(origin, l, "pad", "must not be negative" + got(pad));
        if (std::max(l.pad_top, l.pad_bottom) >= l.kernel_h || std::max(l.pad_left, l.pad_right) >= l.kernel_w)
          fail(origin, l, "pad", "must be smaller than the kernel" + got(std::max({l.pad_top, l.pad_bottom, l.pad_left, l.pad_right})));
        const std::int64_t hp = std::int64_t(cur.h) + l.pad_top + l.pad_bottom;
        const std::int64_t wp = std::int64_t(cur.w) + l.pad_left + l.pad_right;
        if (l.kernel_h > hp || l.kernel_w > wp)
          fail(origin, l, "kernel",
               "kernel " + (l.kernel_h == l.kernel_w ? std::to_string(l.kernel_h)
                                                      : std::to_string(l.kernel_h) + "x" + std::to_string(l.kernel_w)) +
                   " is larger than its input " + std::to_string(hp) + "x" + std::to_string(wp) + " (incl. padding)");
        int oc = cur.c;
        if (l.kind == LayerKind::Conv) {
          oc = l.out_channels;
          if (l.groups <= 0) fail(origin, l, "groups", "must be positive" + got(l.groups));
          if (cur.c % l.groups != 0)
            fail(origin, l, "groups", "must divide the input's " + std::to_string(cur.c) + " channels" + got(l.groups));
          if (oc % l.groups != 0)
            fail(origin, l, "groups", "must divide out_channels " + std::to_string(oc) + got(l.groups));
        } else if (l.groups != 1) {
          fail(origin, l, "groups", "only convolutions have groups");
        }
        l.out = Shape3{oc, int((hp - l.kernel_h) / l.stride_h + 1), int((wp - l.kernel_w) / l.stride_w + 1)};
        break;
      }
      case LayerKind::Fc:
        if (l.out_channels <= 0) fail(origin, l, "out_features", "must be positive" + got(l.out_channels));
        l.in = Shape3{int(cur.size()), 1, 1};
        l.out = Shape3{l.out_channels, 1, 1};
        features[i] = true;
        break;
      case LayerKind::Flatten:
        l.out = Shape3{int(cur.size()), 1, 1};
        features[i] = true;
        break;
      case LayerKind::Act:
        l.out = cur;
        features[i] = input_is_features(l.in_ids[0]);
        break;
      case LayerKind::Add: {
        const Shape3 b = tensor_shape(l.in_ids[1]);
        if (b != cur)
          fail(origin, l, "inputs",
               "shape mismatch: '" + (l.in_ids[0] == kNetworkInput ? std::string("input") : layers[std::size_t(l.in_ids[0])].name) +
                   "' is " + shape_text(cur) + ", '" +
                   (l.in_ids[1] == kNetworkInput ? std::string("input") : layers[std::size_t(l.in_ids[1])].name) + "' is " +
                   shape_text(b));
        l.out = cur;
        features[i] = input_is_features(l.in_ids[0]);
        break;
      }
      case LayerKind::Concat: {
        std::int64_t c = 0;
        for (int t : l.in_ids) {
          const Shape3 s = tensor_shape(t);
          if (input_is_features(t)) fail(origin, l, "inputs", "concat of fc outputs is not supported");
          if (s.h != cur.h || s.w != cur.w)
            fail(origin, l, "inputs",
                 "shape mismatch: '" + (t == kNetworkInput ? std::string("input") : layers[std::size_t(t)].name) + "' is " +
                     shape_text(s) + ", concat needs " + std::to_string(cur.h) + "x" + std::to_string(cur.w) + " planes");
          c += s.c;
        }
        if (c > kMaxDim) fail(origin, l, "inputs", "too many channels");
        l.out = Shape3{int(c), cur.h, cur.w};
        break;
      }
      case LayerKind::BatchNorm:
        throw InternalError("batchnorm left after fusion");
    }
    if (l.out.h <= 0 || l.out.w <= 0 || l.out.c <= 0 || l.out.size() > kMaxTensorElements ||
        (l.kind == LayerKind::Fc && std::int64_t(l.in.c) * l.out.c > kMaxTensorElements))
      fail(origin, l, "type", "output " + shape_text(l.out) + " is larger than rcsim supports");
    if (l.kind == LayerKind::Conv) {
      // Each factor is capped above, so the product fits in int64; one layer's weights must fit an int.
      const std::int64_t w = std::int64_t(l.out.c) * (l.in.c / l.groups) * l.kernel_h * l.kernel_w;
      if (w > kMaxTensorElements) fail(origin, l, "out_channels", std::to_string(w) + " weights, more than rcsim supports");
    }
    channel_slots += l.out.c;
    if (channel_slots > kMaxChannelSlots)
      fail(origin, l, "type", "the network has more than " + std::to_string(kMaxChannelSlots) +
                                  " channels in all (counting a flatten's features), more than rcsim supports");
    if (l.has_weights()) {
      const std::int64_t w = l.kind == LayerKind::Fc ? std::int64_t(l.in.c) * l.out.c
                                                     : std::int64_t(l.out.c) * (l.in.c / l.groups) * l.kernel_h * l.kernel_w;
      network_weights += w;
      if (network_weights > kMaxNetworkWeights)
        fail(origin, l, "type", "the network has more than " + std::to_string(kMaxNetworkWeights) +
                                    " weights, more than rcsim supports");
      // w < 2^31 and out.h·out.w < 2^31: each product fits; the sum is capped so totals never wrap.
      network_macs += w * l.out.h * l.out.w;
      if (network_macs > kMaxNetworkMacs)
        fail(origin, l, "type", "the network has more than 2^50 MACs, more than rcsim supports");
    }
  }

  // --- The classifier: the one output, an fc ------------------------------------------------
  for (std::size_t i = 0; i + 1 < layers.size(); ++i)
    if (layers[i].consumers.empty())
      fail(origin, layers[i], "name", "output is never used (a network has one output, its classifier)");
  Layer& last = layers.back();
  if (last.kind != LayerKind::Fc)
    throw ConfigError(origin + ": missing classifier: the last layer must be fc (it is '" + last.name + "')");
  last.is_classifier = true;
  if (last.relu)
    fail(origin, last, "relu", "the classifier must not have a ReLU (its outputs are logits)");

  // --- Width groups: couple channels, then give each class one group -----------------------
  const int G = width_groups;
  ChannelUnion u;
  const int input_base = u.add(input.c);
  std::vector<int> base(layers.size());
  for (std::size_t i = 0; i < layers.size(); ++i) base[i] = u.add(layers[i].out.c);
  auto slot = [&](int t, int c) { return (t == kNetworkInput ? input_base : base[std::size_t(t)]) + c; };
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const Layer& l = layers[i];
    const int me = int(i);
    switch (l.kind) {
      case LayerKind::Conv:
        if (l.groups > 1 && l.groups == l.in.c) {  // depthwise: output n reads input n / multiplier
          const int mult = l.out.c / l.in.c;
          for (int n = 0; n < l.out.c; ++n) u.unite(slot(me, n), slot(l.in_ids[0], n / mult));
        }
        break;
      case LayerKind::MaxPool:
      case LayerKind::AvgPool:
      case LayerKind::Act:
      case LayerKind::Add:
        for (int t : l.in_ids)
          for (int c = 0; c < l.out.c; ++c) u.unite(slot(me, c), slot(t, c));
        break;
      case LayerKind::Concat: {
        int off = 0;
        for (int t : l.in_ids) {
          const int n = tensor_shape(t).c;
          for (int c = 0; c < n; ++c) u.unite(slot(me, off + c), slot(t, c));
          off += n;
        }
        break;
      }
      case LayerKind::Flatten: {
        const Shape3 s = tensor_shape(l.in_ids[0]);
        const int plane = s.h * s.w;
        for (int c = 0; c < s.c; ++c)
          for (int p = 0; p < plane; ++p) u.unite(slot(me, c * plane + p), slot(l.in_ids[0], c));
        break;
      }
      case LayerKind::Fc:
      case LayerKind::BatchNorm:
        break;
    }
  }
  // A class is pinned to group 1 if it holds an image channel, a classifier output or a channel
  // of a node marked `width: false`; otherwise its first source (the earliest conv/fc output in
  // the class) gives the group by the contiguous split of that source's channels.
  const std::size_t slots = std::size_t(base.empty() ? input.c : base.back() + layers.back().out.c);
  std::vector<int> class_group(slots, 0);  // by root slot; 0 = not yet decided
  std::vector<bool> pinned(slots, false);
  for (int c = 0; c < input.c; ++c) pinned[std::size_t(u.find(input_base + c))] = true;
  for (std::size_t i = 0; i < layers.size(); ++i)
    if (layers[i].is_classifier || !layers[i].width_configurable)
      for (int c = 0; c < layers[i].out.c; ++c) pinned[std::size_t(u.find(base[i] + c))] = true;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const Layer& l = layers[i];
    if (!l.has_weights() || l.depthwise()) continue;  // only dense/grouped conv and fc outputs are sources
    for (int c = 0; c < l.out.c; ++c) {
      const std::size_t r = std::size_t(u.find(base[i] + c));
      if (class_group[r] == 0) class_group[r] = pinned[r] ? 1 : contiguous_group(l.out.c, G, c);
    }
  }
  input_groups_ = ChannelGroups::contiguous(input.c, G, false);
  groups_.assign(layers.size(), {});
  for (std::size_t i = 0; i < layers.size(); ++i) {
    Layer& l = layers[i];
    std::vector<int> g(std::size_t(l.out.c));
    for (int c = 0; c < l.out.c; ++c) {
      const std::size_t r = std::size_t(u.find(base[i] + c));
      g[std::size_t(c)] = pinned[r] || class_group[r] == 0 ? 1 : class_group[r];
    }
    groups_[i] = ChannelGroups::from_groups(std::move(g), G);
    l.split = groups_[i].split();
    if (l.has_weights() && !l.depthwise() && l.width_configurable && !l.is_classifier && G > l.out.c)
      fail(origin, l, l.kind == LayerKind::Fc ? "out_features" : "out_channels",
           "width_groups " + std::to_string(G) + " is larger than the layer's " + std::to_string(l.out.c) + " channels");
  }
}

void Network::check_width(int k) const {
  if (k < 1 || k > width_groups)
    throw InputError("width " + std::to_string(k) + " is out of range for network '" + name +
                     "': it has " + std::to_string(width_groups) + " width groups (1.." +
                     std::to_string(width_groups) + ")");
}

Shape3 Network::tensor_active_shape(int t, int k) const {
  const Shape3& s = tensor_shape(t);
  return Shape3{groups_of(t).active_count(k), s.h, s.w};
}

int Network::active_out(std::size_t i, int k) const { return groups_.at(i).active_count(k); }

int Network::active_in(std::size_t i, int k) const {
  const Layer& l = layers.at(i);
  const Shape3 s = tensor_active_shape(l.in_ids[0], k);
  // fc reads its input flattened (CHW): the active channels' planes, one after the other.
  // finalize() caps every tensor below 2^31 elements, so this fits an int.
  if (l.kind == LayerKind::Fc) return int(s.size());
  return s.c;
}

Shape3 Network::in_shape(std::size_t i, int k) const {
  const Layer& l = layers.at(i);
  if (l.kind == LayerKind::Fc) return Shape3{active_in(i, k), 1, 1};
  return tensor_active_shape(l.in_ids[0], k);
}

Shape3 Network::out_shape(std::size_t i, int k) const { return tensor_active_shape(int(i), k); }

Shape3 Network::input_shape(std::size_t i, std::size_t j, int k) const {
  return tensor_active_shape(layers.at(i).in_ids.at(j), k);
}

std::vector<int> Network::active_features(std::size_t i, int k) const {
  const Layer& l = layers.at(i);
  const Shape3 s = tensor_shape(l.in_ids[0]);
  const int plane = s.h * s.w;
  std::vector<int> f;
  f.reserve(std::size_t(active_in(i, k)));
  for (int c : active_channels(l.in_ids[0], k))
    for (int p = 0; p < plane; ++p) f.push_back(c * plane + p);
  return f;
}

int Network::weights_per_output(std::size_t i) const {
  const Layer& l = layers.at(i);
  if (l.kind == LayerKind::Fc) return l.in.c;
  if (l.kind == LayerKind::Conv) return l.in.c / l.groups;
  return 0;
}

int Network::conv_group_of_output(std::size_t i, int n) const {
  const Layer& l = layers.at(i);
  return l.kind == LayerKind::Conv ? n / (l.out.c / l.groups) : 0;
}

std::vector<int> Network::active_inputs_of_output(std::size_t i, int n, int k) const {
  const Layer& l = layers.at(i);
  if (l.kind == LayerKind::Fc) return active_features(i, k);
  const int per = l.in.c / l.groups, g = conv_group_of_output(i, n);
  std::vector<int> r;
  for (int c : active_channels(l.in_ids[0], k))
    if (c >= g * per && c < (g + 1) * per) r.push_back(c);
  return r;
}

std::int64_t Network::weight_count(std::size_t i, int k) const {
  const Layer& l = layers.at(i);
  if (!l.has_weights()) return 0;
  if (l.kind == LayerKind::Fc) return std::int64_t(active_out(i, k)) * active_in(i, k);
  if (l.groups == 1) return std::int64_t(active_out(i, k)) * active_in(i, k) * l.kernel_h * l.kernel_w;
  // Grouped: each active output reads the active inputs of its own channel group.
  const int per = l.in.c / l.groups, outs_per = l.out.c / l.groups;
  std::vector<std::int64_t> in_per_group(std::size_t(l.groups), 0);
  for (int c : active_channels(l.in_ids[0], k)) ++in_per_group[std::size_t(c / per)];
  std::int64_t s = 0;
  for (int n : active_channels(int(i), k)) s += in_per_group[std::size_t(n / outs_per)];
  return s * l.kernel_h * l.kernel_w;
}

std::int64_t Network::bias_count(std::size_t i, int k) const {
  return layers.at(i).has_weights() ? active_out(i, k) : 0;
}

std::int64_t Network::macs(std::size_t i, int k) const {
  const Layer& l = layers.at(i);
  if (!l.has_weights()) return 0;
  return weight_count(i, k) * l.out.h * l.out.w;
}

std::int64_t Network::total_macs(int k) const {
  std::int64_t s = 0;
  for (std::size_t i = 0; i < layers.size(); ++i) s += macs(i, k);
  return s;
}

std::int64_t Network::total_weights(int k) const {
  std::int64_t s = 0;
  for (std::size_t i = 0; i < layers.size(); ++i) s += weight_count(i, k) + bias_count(i, k);
  return s;
}

std::size_t Network::index_of(const std::string& n) const {
  for (std::size_t i = 0; i < layers.size(); ++i)
    if (layers[i].name == n) return i;
  throw InputError("network '" + name + "' has no layer '" + n + "'");
}

}  // namespace rcsim
