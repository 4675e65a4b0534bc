#pragma once
// Shared by the libFuzzer targets: the one rule every reader of untrusted bytes must keep is
// "return, or throw ConfigError/InputError" (one line, exit 2 in the CLI). Any other exception
// escapes run_reader() and libFuzzer reports it as a crash; ASan/UBSan report the rest.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "core/errors.h"

namespace rcsim::fuzz {

template <class F>
void run_reader(F&& read) {
  try {
    read();
  } catch (const ConfigError&) {
  } catch (const InputError&) {
  }
}

inline std::string text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

/// A private scratch directory of this fuzzing process (file-based readers).
inline const std::string& scratch_dir() {
  static const std::string dir = [] {
    std::string d = "/tmp/rcsim_fuzz_XXXXXX";
    if (!::mkdtemp(d.data())) std::abort();
    return d;
  }();
  return dir;
}

/// Writes `size` bytes to scratch_dir()/name and returns the path.
inline std::string write_scratch(const std::string& name, const std::uint8_t* data, std::size_t size) {
  const std::string path = scratch_dir() + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
  return path;
}

}  // namespace rcsim::fuzz
