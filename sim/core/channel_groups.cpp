#include "core/channel_groups.h"

#include "core/width.h"

namespace rcsim {

ChannelGroups ChannelGroups::contiguous(int n, int G, bool split) {
  ChannelGroups g;
  g.G_ = G;
  g.group_of_.assign(std::size_t(n), 1);
  if (split)
    for (int grp = 1; grp <= G; ++grp)
      for (int c = group_end(n, G, grp - 1); c < group_end(n, G, grp); ++c) g.group_of_[std::size_t(c)] = grp;
  g.index();
  return g;
}

ChannelGroups ChannelGroups::from_groups(std::vector<int> group_of, int G) {
  ChannelGroups g;
  g.G_ = G;
  g.group_of_ = std::move(group_of);
  g.index();
  return g;
}

ChannelGroups ChannelGroups::concat(const std::vector<const ChannelGroups*>& parts) {
  ChannelGroups g;
  g.G_ = parts.empty() ? 1 : parts.front()->G_;
  for (const ChannelGroups* p : parts) g.group_of_.insert(g.group_of_.end(), p->group_of_.begin(), p->group_of_.end());
  g.index();
  return g;
}

bool ChannelGroups::split() const {
  for (int x : group_of_)
    if (x != 1) return true;
  return false;
}

void ChannelGroups::index() {
  active_.assign(std::size_t(G_), {});
  prefix_ = true;
  for (int k = 1; k <= G_; ++k) {
    auto& a = active_[std::size_t(k - 1)];
    for (int c = 0; c < int(group_of_.size()); ++c)
      if (group_of_[std::size_t(c)] <= k) a.push_back(c);
    for (std::size_t j = 0; j < a.size(); ++j) prefix_ = prefix_ && a[j] == int(j);
  }
}

}  // namespace rcsim
