#pragma once
// The network IR: what every part of rcsim (host model, mapper, accelerator, energy) agrees on.
#include <cstdint>
#include <string>
#include <vector>

#include "core/shape.h"

namespace rcsim {

enum class LayerKind { Conv, MaxPool, Fc };

const char* to_string(LayerKind kind);

/// One layer as written in the network YAML, plus the shapes derived by Network::finalize().
struct Layer {
  std::string name;
  LayerKind kind = LayerKind::Conv;
  int out_channels = 0;  ///< conv: output channels; fc: out_features; maxpool: unused (0)
  int kernel = 1;        ///< conv/maxpool square kernel
  int stride = 1;
  int pad = 0;           ///< conv zero padding on each side
  bool relu = false;     ///< conv/fc: ReLU after bias and requantization

  // Derived (full width) by Network::finalize().
  Shape3 in;                   ///< full-width input shape (fc: in.c = features, h = w = 1)
  Shape3 out;                  ///< full-width output shape
  bool split = false;          ///< output channels are split into width groups
  bool is_classifier = false;  ///< the last fc layer: its outputs are never split
  bool has_weights() const { return kind != LayerKind::MaxPool; }
};

/// A feed-forward CNN: convs and max-pools, then fully connected layers; the last fc is the
/// classifier. Hidden layers' output channels are split into `width_groups` groups.
struct Network {
  std::string name;
  Shape3 input;
  int width_groups = 4;
  std::vector<Layer> layers;

  /// Derives shapes and split flags and validates the structure. Throws ConfigError whose
  /// message starts with `origin` (a file name or "network NAME").
  void finalize(const std::string& origin);

  /// Throws InputError unless 1 ≤ k ≤ width_groups.
  void check_width(int k) const;

  /// Active output channels (conv/pool) or features (fc) of layer i at width k.
  int active_out(std::size_t i, int k) const;
  /// Active input channels (conv/pool) or input features (fc) of layer i at width k.
  int active_in(std::size_t i, int k) const;
  /// Active input/output tensor shapes of layer i at width k (fc: {features,1,1}).
  Shape3 in_shape(std::size_t i, int k) const;
  Shape3 out_shape(std::size_t i, int k) const;

  /// Multiply-accumulates of layer i at width k (0 for pools).
  std::int64_t macs(std::size_t i, int k) const;
  /// Weights (excluding biases) of layer i used at width k.
  std::int64_t weight_count(std::size_t i, int k) const;
  /// Biases of layer i used at width k (= active outputs for conv/fc).
  std::int64_t bias_count(std::size_t i, int k) const;

  std::int64_t total_macs(int k) const;
  std::int64_t total_weights(int k) const;  ///< weights + biases
  int num_classes() const { return layers.back().out_channels; }

  /// Index of the layer called `name`; throws InputError if there is none.
  std::size_t index_of(const std::string& name) const;
};

}  // namespace rcsim
