#include "core/network.h"

#include <sstream>

#include "core/errors.h"
#include "core/width.h"

namespace rcsim {

const char* to_string(LayerKind kind) {
  switch (kind) {
    case LayerKind::Conv: return "conv";
    case LayerKind::MaxPool: return "maxpool";
    case LayerKind::Fc: return "fc";
  }
  return "?";
}

namespace {

[[noreturn]] void fail(const std::string& origin, const Layer& l, const std::string& field,
                       const std::string& what) {
  throw ConfigError(origin + ": layer '" + l.name + "': field '" + field + "': " + what);
}

std::string got(int v) { return " (got " + std::to_string(v) + ")"; }

}  // namespace

void Network::finalize(const std::string& origin) {
  if (name.empty()) throw ConfigError(origin + ": field 'name': must not be empty");
  if (input.c <= 0 || input.h <= 0 || input.w <= 0)
    throw ConfigError(origin + ": field 'input': channels, height and width must be positive");
  if (width_groups <= 0)
    throw ConfigError(origin + ": field 'width_groups': must be positive" + got(width_groups));
  if (layers.empty()) throw ConfigError(origin + ": field 'layers': no layers");
  if (layers.back().kind != LayerKind::Fc)
    throw ConfigError(origin + ": missing classifier: the last layer must be fc (it is '" +
                      layers.back().name + "')");

  Shape3 cur = input;
  bool seen_fc = false;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    Layer& l = layers[i];
    if (l.name.empty()) throw ConfigError(origin + ": layer " + std::to_string(i) + ": field 'name': must not be empty");
    for (std::size_t j = 0; j < i; ++j)
      if (layers[j].name == l.name) fail(origin, l, "name", "duplicate layer name");
    l.in = cur;
    l.is_classifier = (i + 1 == layers.size());
    switch (l.kind) {
      case LayerKind::Conv:
      case LayerKind::MaxPool: {
        if (seen_fc) fail(origin, l, "type", std::string(to_string(l.kind)) + " after fc is not supported");
        if (l.kind == LayerKind::Conv && l.out_channels <= 0)
          fail(origin, l, "out_channels", "must be positive" + got(l.out_channels));
        if (l.kernel <= 0) fail(origin, l, "kernel", "must be positive" + got(l.kernel));
        if (l.stride <= 0) fail(origin, l, "stride", "must be positive" + got(l.stride));
        if (l.pad < 0) fail(origin, l, "pad", "must not be negative" + got(l.pad));
        if (l.pad >= l.kernel) fail(origin, l, "pad", "must be smaller than the kernel" + got(l.pad));
        const int hp = cur.h + 2 * l.pad, wp = cur.w + 2 * l.pad;
        if (l.kernel > hp || l.kernel > wp)
          fail(origin, l, "kernel",
               "kernel " + std::to_string(l.kernel) + " is larger than its input " +
                   std::to_string(hp) + "x" + std::to_string(wp) + " (incl. padding)");
        const int oc = l.kind == LayerKind::Conv ? l.out_channels : cur.c;
        l.out = Shape3{oc, (hp - l.kernel) / l.stride + 1, (wp - l.kernel) / l.stride + 1};
        l.split = l.kind == LayerKind::Conv;  // pools inherit the split of their input
        break;
      }
      case LayerKind::Fc:
        seen_fc = true;
        if (l.out_channels <= 0) fail(origin, l, "out_features", "must be positive" + got(l.out_channels));
        l.in = Shape3{int(cur.size()), 1, 1};
        l.out = Shape3{l.out_channels, 1, 1};
        l.split = !l.is_classifier;
        break;
    }
    if (l.split && width_groups > l.out.c)
      fail(origin, l, l.kind == LayerKind::Fc ? "out_features" : "out_channels",
           "width_groups " + std::to_string(width_groups) + " is larger than the layer's " +
               std::to_string(l.out.c) + " channels");
    cur = l.out;
  }
  if (layers.back().relu)
    fail(origin, layers.back(), "relu", "the classifier must not have a ReLU (its outputs are logits)");
}

void Network::check_width(int k) const {
  if (k < 1 || k > width_groups)
    throw InputError("width " + std::to_string(k) + " is out of range for network '" + name +
                     "': it has " + std::to_string(width_groups) + " width groups (1.." +
                     std::to_string(width_groups) + ")");
}

int Network::active_out(std::size_t i, int k) const {
  const Layer& l = layers.at(i);
  if (l.kind == LayerKind::MaxPool) return i == 0 ? l.out.c : active_out(i - 1, k);
  return l.split ? group_end(l.out.c, width_groups, k) : l.out.c;
}

int Network::active_in(std::size_t i, int k) const {
  const Layer& l = layers.at(i);
  if (i == 0) return l.in.c;  // image channels (fc first: all input features) are never split
  const Layer& p = layers[i - 1];
  const int prev_c = active_out(i - 1, k);
  // CHW flattening keeps the first prev_c channels as one contiguous prefix of the features.
  if (l.kind == LayerKind::Fc) return prev_c * p.out.h * p.out.w;
  return prev_c;
}

Shape3 Network::in_shape(std::size_t i, int k) const {
  const Layer& l = layers.at(i);
  return Shape3{active_in(i, k), l.in.h, l.in.w};
}

Shape3 Network::out_shape(std::size_t i, int k) const {
  const Layer& l = layers.at(i);
  return Shape3{active_out(i, k), l.out.h, l.out.w};
}

std::int64_t Network::weight_count(std::size_t i, int k) const {
  const Layer& l = layers.at(i);
  switch (l.kind) {
    case LayerKind::Conv: return std::int64_t(active_out(i, k)) * active_in(i, k) * l.kernel * l.kernel;
    case LayerKind::Fc: return std::int64_t(active_out(i, k)) * active_in(i, k);
    case LayerKind::MaxPool: return 0;
  }
  return 0;
}

std::int64_t Network::bias_count(std::size_t i, int k) const {
  return layers.at(i).has_weights() ? active_out(i, k) : 0;
}

std::int64_t Network::macs(std::size_t i, int k) const {
  const Layer& l = layers.at(i);
  if (l.kind == LayerKind::MaxPool) return 0;
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
