#pragma once
// Which entries of a layer's full-size parameters incremental step k trains (torch-free, so the
// rule can be read, documented and tested on its own).
//
// Step k trains the width-k network minus the width-(k−1) network: for a weight tensor
// [out][in](…) that is the rectangle [0,a_k)×[0,b_k) minus [0,a_{k−1})×[0,b_{k−1}), with a_k the
// active outputs and b_k the active inputs at width k (fc after conv: the CHW-flatten prefix).
// This includes old→new connections (rows a_{k−1}..a_k, old columns) and new→old connections
// (old rows, columns b_{k−1}..b_k). Biases: the outputs of group k, [a_{k−1}, a_k). The
// classifier's outputs are never split (a_k = classes for every k), so it trains only the
// columns fed by group k, and its bias trains in step 1 only. Step 1 trains the whole width-1
// network (a_0 = b_0 = 0).
#include <algorithm>
#include <cstdint>

#include "core/network.h"

namespace rcsim {

struct TrainableSlice {
  int out_prev = 0, out_end = 0;  ///< a_{k−1}, a_k
  int in_prev = 0, in_end = 0;    ///< b_{k−1}, b_k
  int bias_begin = 0, bias_end = 0;

  /// Whether weight entry (o, i) (any kernel position) trains in this step.
  bool weight_trains(int o, int i) const {
    return o < out_end && i < in_end && !(o < out_prev && i < in_prev);
  }
  bool bias_trains(int o) const { return o >= bias_begin && o < bias_end; }
};

/// The slice of weighted layer `layer` trained in incremental step k (1..G).
inline TrainableSlice trainable_slice(const Network& net, std::size_t layer, int k) {
  net.check_width(k);
  TrainableSlice s;
  s.out_end = net.active_out(layer, k);
  s.in_end = net.active_in(layer, k);
  if (k > 1) {
    s.out_prev = net.active_out(layer, k - 1);
    s.in_prev = net.active_in(layer, k - 1);
  }
  s.bias_begin = s.out_prev;
  s.bias_end = s.out_end;
  // Classifier (outputs not split): out_prev == out_end for k > 1, so its bias trains in step 1.
  return s;
}

/// The same rule for any node of a graph, by width group (core/channel_groups.h): weight entry
/// (output channel in group `out_group`, input channel or feature in group `in_group`) is used
/// from width max(out_group, in_group) on, so it trains in exactly that step. On a chain (every
/// tensor's active channels a prefix) this is TrainableSlice::weight_trains; it also covers
/// non-prefix channels (after a concat) and grouped/depthwise convs (an output reads only its
/// own channel group's inputs). A bias (and a per-width batch norm's entries of width k: they
/// are all new in step k) trains in step `out_group`.
inline bool trains_in_step(int out_group, int in_group, int k) { return std::max(out_group, in_group) == k; }

}  // namespace rcsim
