#pragma once
// Whole-file reads for the dataset and weights loaders.
#include <cstdint>
#include <string>
#include <vector>

namespace rcsim {

/// The bytes of `path`; InputError "<path>: file not found" / "cannot open file" otherwise.
/// `hint` (e.g. how to fetch the file) is appended to the not-found message.
std::vector<std::uint8_t> read_binary_file(const std::string& path, const std::string& hint = "");

}  // namespace rcsim
