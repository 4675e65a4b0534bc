// Every test binary links this main. libsystemc.so exports its own main() that calls sc_main();
// defining both here makes the gtest main win the link (if SystemC's won, the binary would run
// zero tests and exit 0 — ctest runs with --no-tests=error to catch that).
#include <gtest/gtest.h>

// SystemC declares sc_main extern "C" (sysc/kernel/sc_externs.h): without it the symbol is mangled
// and a binary linking libsystemc.so fails with "undefined reference to sc_main".
extern "C" int sc_main(int, char**) { return 0; }

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
