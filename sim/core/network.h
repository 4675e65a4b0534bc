#pragma once
// The network IR: what every part of rcsim (host model, mapper, accelerator, energy) agrees on.
//
// A network is a DAG of nodes ("layers", kept in topological order), each producing one tensor
// named after it; the image is the tensor `input`. A chain (every node reading the previous one)
// is the special case the 2016 networks use. Width groups (core/channel_groups.h): every tensor's
// channels are split into G groups; width k keeps the channels of groups 1..k, and the channels
// coupled by an add, a depthwise conv or a concat share one split. docs/networks.md is the
// user-facing description of the IR and its YAML grammar.
#include <cstdint>
#include <string>
#include <vector>

#include "core/channel_groups.h"
#include "core/shape.h"

namespace rcsim {

enum class LayerKind {
  Conv,     ///< 2-D convolution, `groups` 1 (dense) .. in channels (depthwise)
  MaxPool,  ///< max over a window (padded positions take no part)
  AvgPool,  ///< mean over a window, or over the whole plane (`global`)
  Fc,       ///< fully connected on the flattened (CHW) input
  Add,      ///< element-wise sum of two tensors of one shape (residual)
  Concat,   ///< channel concatenation
  Flatten,  ///< CHW → features (no arithmetic)
  Act,      ///< stand-alone ReLU / ReLU6 that could not be fused into its producer
  BatchNorm ///< only while parsing: finalize() folds it into the conv/fc before it
};

enum class Activation { None, Relu, Relu6 };

const char* to_string(LayerKind kind);
const char* to_string(Activation a);

/// Index of the network input where a node index is expected.
constexpr int kNetworkInput = -1;

/// One node as written in the network YAML, plus what Network::finalize() derives.
struct Layer {
  std::string name;
  LayerKind kind = LayerKind::Conv;
  std::vector<std::string> inputs;  ///< producer names ("input" = the image); empty = previous node
  int out_channels = 0;  ///< conv: output channels; fc: out_features; others: derived (0 in YAML)
  int kernel_h = 1, kernel_w = 1;   ///< conv / pool window
  int stride_h = 1, stride_w = 1;
  int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;  ///< zero padding per side
  int groups = 1;                   ///< conv: channel groups (1 dense, = in channels depthwise)
  bool relu = false;                ///< rectify after requantization (conv, fc, add, act nodes)
  bool relu6 = false;               ///< ... and clip at 6 (ReLU6; implies relu)
  bool global = false;              ///< avgpool over the whole input plane
  bool count_include_pad = false;   ///< avgpool: padded zeros count in the divisor (PyTorch's default)
  bool width_configurable = true;   ///< YAML `width: false` keeps the output at full width
  bool batchnorm = false;           ///< a batch norm follows (folded into scale/bias by whoever supplies weights)
  double bn_eps = 1e-5;

  // Derived by Network::finalize().
  std::vector<int> in_ids;     ///< producer node index per input (kNetworkInput = the image)
  Shape3 in;                   ///< full-width shape of the first input (fc: {features, 1, 1})
  Shape3 out;                  ///< full-width output shape (fc: {features, 1, 1})
  bool split = false;          ///< output channels are split into width groups
  bool is_classifier = false;  ///< the network's output node (an fc): int32 logits, never split
  std::vector<int> consumers;  ///< nodes reading this node's output, in order

  Activation activation() const { return relu6 ? Activation::Relu6 : relu ? Activation::Relu : Activation::None; }
  void set_activation(Activation a) { relu = a != Activation::None, relu6 = a == Activation::Relu6; }
  bool has_weights() const { return kind == LayerKind::Conv || kind == LayerKind::Fc; }
  bool is_pool() const { return kind == LayerKind::MaxPool || kind == LayerKind::AvgPool; }
  bool depthwise() const { return kind == LayerKind::Conv && groups > 1 && groups == in.c; }
  /// Square kernel / stride / symmetric pad (the chain-era fields; asserts nothing).
  int kernel() const { return kernel_h; }
  int stride() const { return stride_h; }
  int pad() const { return pad_top; }
};

class Network {
 public:
  std::string name;
  Shape3 input;
  int width_groups = 4;
  std::vector<Layer> layers;  ///< topological order after finalize()

  /// Resolves inputs, orders the nodes topologically, derives shapes, channel groups and the
  /// classifier, and validates everything. Throws ConfigError whose message starts with
  /// `origin` (a file name or "network NAME") and names the node and field.
  void finalize(const std::string& origin);

  /// Throws InputError unless 1 ≤ k ≤ width_groups.
  void check_width(int k) const;

  /// True if every node reads only the node before it (the 2016 networks).
  bool is_chain() const { return chain_; }

  /// Full-width shape of tensor t (a node index, or kNetworkInput).
  const Shape3& tensor_shape(int t) const { return t == kNetworkInput ? input : layers.at(std::size_t(t)).out; }
  /// Channel groups of tensor t.
  const ChannelGroups& groups_of(int t) const { return t == kNetworkInput ? input_groups_ : groups_.at(std::size_t(t)); }
  /// Active channels of tensor t at width k: full-width channel indices, increasing. At width k a
  /// tensor is stored compactly as these channels, in this order (CHW).
  const std::vector<int>& active_channels(int t, int k) const { return groups_of(t).active(k); }
  /// Active shape of tensor t at width k.
  Shape3 tensor_active_shape(int t, int k) const;

  /// Active output channels (conv/pool/add/concat) or features (fc, flatten) of node i at width k.
  int active_out(std::size_t i, int k) const;
  /// Active input channels (conv/pool/...) or input features (fc) of node i's first input at width k.
  int active_in(std::size_t i, int k) const;
  /// Active input/output tensor shapes of node i at width k (fc: {features,1,1}).
  Shape3 in_shape(std::size_t i, int k) const;
  Shape3 out_shape(std::size_t i, int k) const;
  /// Active shape of node i's input j at width k.
  Shape3 input_shape(std::size_t i, std::size_t j, int k) const;

  /// Input features of fc node i at width k, as indices into its full-width (CHW-flattened)
  /// input: the active channels' planes in order.
  std::vector<int> active_features(std::size_t i, int k) const;

  /// Multiply-accumulates of node i at width k (0 for nodes without weights).
  std::int64_t macs(std::size_t i, int k) const;
  /// Weights (excluding biases) of node i used at width k.
  std::int64_t weight_count(std::size_t i, int k) const;
  /// Biases of node i used at width k (= active outputs for conv/fc).
  std::int64_t bias_count(std::size_t i, int k) const;
  /// Input channels one output channel of conv i reads at full width (in.c / groups; fc: in features).
  int weights_per_output(std::size_t i) const;
  /// Full-width input channels (conv) or features (fc) that output channel n of node i reads.
  int conv_group_of_output(std::size_t i, int n) const;
  /// Active input channels (full-width indices) output channel n of conv i reads at width k.
  std::vector<int> active_inputs_of_output(std::size_t i, int n, int k) const;

  std::int64_t total_macs(int k) const;
  std::int64_t total_weights(int k) const;  ///< weights + biases
  int num_classes() const { return layers.back().out_channels; }

  /// Index of the node called `name`; throws InputError if there is none.
  std::size_t index_of(const std::string& name) const;

 private:
  bool chain_ = true;
  ChannelGroups input_groups_;
  std::vector<ChannelGroups> groups_;  ///< per node output
};

}  // namespace rcsim
