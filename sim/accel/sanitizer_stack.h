#pragma once
// AddressSanitizer and SystemC's coroutines. Debian's SystemC announces its stack switches to ASan
// (__sanitizer_start_switch_fiber), but it does not know the main thread's stack and hands it back
// as empty when a coroutine switches to main: after sc_start ASan believes the main thread has no
// stack, ignores the unpoisoning a thrown exception asks for ("ASan is ignoring requested
// __asan_handle_no_return ... top: 0x0"), and reports false stack errors from then on (every test
// whose process throws after a simulation ran). restore_main_stack_bounds() announces the real
// main-thread stack again; it does nothing in a build without ASan.
namespace rcsim {

/// Call on the main thread after sc_start returns.
void restore_main_stack_bounds();

}  // namespace rcsim
