#pragma once
#include <cstdint>

namespace rcsim {

/// Channels × height × width of one activation tensor (batch of one, CHW order as in PyTorch).
struct Shape3 {
  int c = 0;
  int h = 0;
  int w = 0;
  std::int64_t size() const { return std::int64_t(c) * h * w; }
  bool operator==(const Shape3& o) const { return c == o.c && h == o.h && w == o.w; }
  bool operator!=(const Shape3& o) const { return !(*this == o); }
};

}  // namespace rcsim
