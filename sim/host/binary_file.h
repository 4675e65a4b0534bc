#pragma once
// Whole-file reads for the dataset and weights loaders.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace rcsim {

/// The bytes of `path`; InputError "<path>: file not found" / "cannot open file" otherwise.
/// `hint` (e.g. how to fetch the file) is appended to the not-found message.
std::vector<std::uint8_t> read_binary_file(const std::string& path, const std::string& hint = "");

/// A T stored little-endian at `p` (unaligned). The file formats read here (safetensors, MAT v5
/// "IM") are little-endian, as is every host rcsim builds on (x86-64, AArch64).
template <class T>
T load_le(const std::uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

}  // namespace rcsim
