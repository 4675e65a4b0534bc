#include "accel/sanitizer_stack.h"

#if defined(__SANITIZE_ADDRESS__)
#define RCSIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RCSIM_ASAN 1
#endif
#endif

#ifdef RCSIM_ASAN
#include <pthread.h>
#include <sanitizer/common_interface_defs.h>

#include <cstddef>
#endif

namespace rcsim {

void restore_main_stack_bounds() {
#ifdef RCSIM_ASAN
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
  void* bottom = nullptr;
  std::size_t size = 0;
  const int rc = pthread_attr_getstack(&attr, &bottom, &size);
  pthread_attr_destroy(&attr);
  if (rc != 0 || size == 0) return;
  // A "switch" from this stack to itself, with its real bounds.
  void* fake_stack = nullptr;
  __sanitizer_start_switch_fiber(&fake_stack, bottom, size);
  __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
#endif
}

}  // namespace rcsim
