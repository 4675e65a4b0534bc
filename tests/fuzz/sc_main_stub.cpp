// libsystemc.so (linked through rcsim_accel by the sweep targets) references sc_main; libFuzzer's
// main() is the one that runs, so an empty extern "C" sc_main satisfies the linker
// (tests/support/test_main.cpp does the same for the test binaries).
extern "C" int sc_main(int, char**) { return 0; }
