#pragma once
// Width groups (DESIGN §2): the hidden channels of a layer are split into G contiguous groups;
// width configuration k keeps the first ceil(k·N/G) channels.

namespace rcsim {

/// Channels kept at width configuration k of G for a layer with n channels: ceil(k·n/G).
/// k = 0 gives 0 and k = G gives n, so group g spans [group_end(n,G,g-1), group_end(n,G,g)).
/// In 64 bits: k·n overflows an int for n > 2^31/64 (the result is at most n, so it fits).
constexpr int group_end(int n, int groups, int k) {
  return int((static_cast<long long>(k) * n + groups - 1) / groups);
}

/// Size of group g (1-based): ceil(g·N/G) − ceil((g−1)·N/G).
constexpr int group_size(int n, int groups, int g) {
  return group_end(n, groups, g) - group_end(n, groups, g - 1);
}

}  // namespace rcsim
