#pragma once
// A std::vector whose resize() leaves new elements uninitialized: for buffers that are written in
// full before they are read (per-batch activations), so that reusing one never costs a memset.
#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace rcsim {

template <class T>
struct DefaultInitAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  DefaultInitAllocator() = default;
  template <class U>
  DefaultInitAllocator(const DefaultInitAllocator<U>&) noexcept {}
  /// Default-initialization: nothing for arithmetic types.
  template <class U>
  void construct(U* p) noexcept(noexcept(U())) {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

template <class T>
using UninitializedBuffer = std::vector<T, DefaultInitAllocator<T>>;

}  // namespace rcsim
