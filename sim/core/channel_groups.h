#pragma once
// The width groups of one tensor's channels. Width configuration k keeps the channels whose group
// is ≤ k. A split tensor of n channels has G contiguous groups (core/width.h: group g spans
// [ceil((g−1)·n/G), ceil(g·n/G))); an unsplit one (the image, the classifier, a node marked
// `width: false`) has every channel in group 1; a concat's output has its inputs' groups one after
// the other, so its active channels need not be a prefix.
#include <cstdint>
#include <vector>

namespace rcsim {

class ChannelGroups {
 public:
  ChannelGroups() = default;
  /// n channels, split into G contiguous groups (split) or all in group 1 (not split).
  static ChannelGroups contiguous(int n, int G, bool split);
  /// Channel c of the result has group `group_of[c]` (1..G).
  static ChannelGroups from_groups(std::vector<int> group_of, int G);
  /// The channels of `parts` one after the other (a concat).
  static ChannelGroups concat(const std::vector<const ChannelGroups*>& parts);

  int channels() const { return int(group_of_.size()); }
  int width_groups() const { return G_; }
  int group(int c) const { return group_of_[std::size_t(c)]; }
  const std::vector<int>& group_of() const { return group_of_; }
  /// Channels active at width k (1..G), increasing.
  const std::vector<int>& active(int k) const { return active_[std::size_t(k - 1)]; }
  int active_count(int k) const { return int(active(k).size()); }
  /// True if the active channels of every width are a prefix 0..n_k−1.
  bool prefix() const { return prefix_; }
  /// True if some channel is not in group 1 (the tensor narrows with the width).
  bool split() const;
  bool operator==(const ChannelGroups& o) const { return G_ == o.G_ && group_of_ == o.group_of_; }
  bool operator!=(const ChannelGroups& o) const { return !(*this == o); }

 private:
  void index();
  int G_ = 1;
  std::vector<int> group_of_;
  std::vector<std::vector<int>> active_;  ///< [k−1] → active channels
  bool prefix_ = true;
};

}  // namespace rcsim
