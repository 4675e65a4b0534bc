// Large arrays (new[] of ≥ 2 MB) on transparent huge pages, for the rcsim executable only.
//
// Why: libsystemc's static initializer allocates its temporary heap (sc_core::sc_temp_heap,
// 3 MB) with new[] and zeroes it, before main, in every process. On 4 kB pages that is ~770 page
// faults: on the measuring machine (a VM, where a fault costs ~10 µs) about a third of
// `rcsim --version`'s CPU time (docs/performance.md, "Start-up"). From 2 MB pages the same zeroing
// takes two faults. The replacement is the standard's replaceable operator new[]/delete[]; every
// smaller array still comes from malloc. Where the kernel has transparent huge pages disabled,
// madvise is a no-op and the blocks are ordinary pages.
#include <sys/mman.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace {

constexpr std::size_t kHugePage = std::size_t(1) << 21;

/// The blocks handed out from mmap (few: one per large new[] alive), so delete[] knows them.
struct Mapping {
  std::atomic<void*> user{nullptr};
  void* base = nullptr;
  std::size_t length = 0;
};
constexpr int kSlots = 32;
Mapping slots[kSlots];
std::atomic<int> live{0};

void* huge_block(std::size_t n) {
  const std::size_t length = (n + kHugePage - 1) / kHugePage * kHugePage + kHugePage;  // room to align
  void* base = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return nullptr;
  const auto b = reinterpret_cast<std::uintptr_t>(base);
  void* user = reinterpret_cast<void*>((b + kHugePage - 1) & ~std::uintptr_t(kHugePage - 1));
  madvise(user, length - (reinterpret_cast<std::uintptr_t>(user) - b), MADV_HUGEPAGE);
  for (Mapping& m : slots) {
    void* expected = nullptr;
    if (m.user.load(std::memory_order_relaxed) == nullptr &&
        m.user.compare_exchange_strong(expected, reinterpret_cast<void*>(1))) {  // claimed
      m.base = base, m.length = length;
      m.user.store(user, std::memory_order_release);
      live.fetch_add(1);
      return user;
    }
  }
  munmap(base, length);  // every slot taken: an ordinary allocation instead
  return nullptr;
}

bool release_huge_block(void* p) {
  if (live.load() == 0) return false;
  for (Mapping& m : slots)
    if (m.user.load(std::memory_order_acquire) == p) {
      void* const base = m.base;
      const std::size_t length = m.length;
      m.user.store(nullptr, std::memory_order_release);
      live.fetch_sub(1);
      munmap(base, length);
      return true;
    }
  return false;
}

}  // namespace

void* operator new[](std::size_t n) {
  if (n >= kHugePage)
    if (void* p = huge_block(n)) return p;
  return ::operator new(n);
}

void operator delete[](void* p) noexcept {
  if (p && !release_huge_block(p)) ::operator delete(p);
}

void operator delete[](void* p, std::size_t) noexcept { operator delete[](p); }
